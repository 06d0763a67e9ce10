"""Local wall-clock times → aware datetimes, and the DST traps."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from campsite.model.times import (
    clock_example,
    instant,
    localize,
    on_programme_of,
    parse_clock,
    parse_moment,
    parse_zone,
    programme_day,
    start_of_day,
)

PARIS = ZoneInfo("Europe/Paris")


def test_moments_are_dates_or_datetimes():
    assert parse_moment("2026-06-13") == date(2026, 6, 13)
    assert parse_moment("2026-06-13T09:30") == datetime(2026, 6, 13, 9, 30)
    assert parse_moment("2026-06-13 09:30") == datetime(2026, 6, 13, 9, 30)
    with_offset = parse_moment("2026-10-25T02:30+01:00")
    assert with_offset.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize("text", ["13/06/2026", "2026-02-30", "demain", "2026-06-13T25:00"])
def test_impossible_moments_are_refused(text):
    with pytest.raises(ValueError):
        parse_moment(text)


def test_clock_times():
    assert parse_clock("9:30") == time(9, 30)
    assert parse_clock("10:00") == time(10, 0)
    with pytest.raises(ValueError, match="not a real time"):
        parse_clock("24:30")


def test_unknown_zone_suggests_the_right_one():
    with pytest.raises(ValueError, match='did you mean "Europe/Paris"'):
        parse_zone("Europe/Pari")


def test_ordinary_local_times_get_the_zone_offset():
    summer = localize(datetime(2026, 6, 13, 9, 30), PARIS)
    winter = localize(datetime(2026, 12, 5, 9, 30), PARIS)
    assert summer.utcoffset() == timedelta(hours=2)
    assert winter.utcoffset() == timedelta(hours=1)


def test_a_time_skipped_by_the_clocks_going_forward_is_refused():
    with pytest.raises(ValueError, match="does not exist in Europe/Paris"):
        localize(datetime(2026, 3, 29, 2, 30), PARIS)


def test_a_time_that_happens_twice_is_refused_with_both_offsets():
    with pytest.raises(ValueError, match=r"happens twice .* 2026-10-25T02:30\+02:00 for the first time or \+01:00 for the second"):
        localize(datetime(2026, 10, 25, 2, 30), PARIS)


def test_an_explicit_offset_settles_an_ambiguous_time():
    first = localize(parse_moment("2026-10-25T02:30+02:00"), PARIS)
    second = localize(parse_moment("2026-10-25T02:30+01:00"), PARIS)
    assert instant(second) - instant(first) == timedelta(hours=1)
    with pytest.raises(ValueError, match="is not Europe/Paris's"):
        localize(parse_moment("2026-06-13T09:30+05:00"), PARIS)


def test_start_of_a_day_whose_midnight_is_skipped():
    # Santiago's clocks jumped from 00:00 to 01:00 on 2026-09-06.
    santiago = ZoneInfo("America/Santiago")
    first = start_of_day(date(2026, 9, 6), santiago)
    assert first.date() == date(2026, 9, 6)
    assert first.astimezone(ZoneInfo("UTC")).hour == 4


def test_after_midnight_belongs_to_the_evening_before():
    assert programme_day(datetime(2026, 6, 14, 0, 30, tzinfo=PARIS)) == date(2026, 6, 13)
    assert programme_day(datetime(2026, 6, 14, 9, 0, tzinfo=PARIS)) == date(2026, 6, 14)


@pytest.mark.parametrize(("text", "example"), [("18:00", "2026-06-13T18:00"), ("9:30", "2026-06-13T09:30")])
def test_a_time_where_a_date_is_needed_says_to_write_the_day_too(text, example):
    with pytest.raises(ValueError, match=f'"{text}" is a time without a date: write the day too, like {example}'):
        parse_moment(text)


def test_a_time_alone_is_on_the_programme_of_its_day():
    day = date(2026, 6, 13)
    assert on_programme_of(day, time(18, 0)) == datetime(2026, 6, 13, 18, 0)
    assert on_programme_of(day, time(4, 0)) == datetime(2026, 6, 13, 4, 0)
    assert on_programme_of(day, time(1, 30)) == datetime(2026, 6, 14, 1, 30)  # after midnight


def test_times_written_the_french_way_get_their_own_example():
    assert [clock_example(t) for t in ("10h30", "9h", "9 h 15", "dix heures")] == ["10:30", "09:00", "09:15", "10:00"]
    with pytest.raises(ValueError, match='"10h30" is not a time of day: write it like 10:30'):
        parse_clock("10h30")
