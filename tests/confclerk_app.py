"""Drive Debian's ConfClerk (0.7.1) as a visitor would, under Xvfb.

ConfClerk has no command-line import: a schedule is added from its
conference editor (Ctrl+O, then "+", then a URL, then Enter). This module
does exactly that with xdotool, on a private X display, with ConfClerk's
settings and database in a temporary home, and then reads the database
ConfClerk filled — the one its Day, Tracks and Rooms views are drawn from.

Every step waits for the window it needs and fails with what it was
waiting for: no fixed sleeps, so a slow machine is only slower."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

TOOLS = {"Xvfb": "xvfb", "xdotool": "xdotool", "confclerk": "confclerk"}  # command: Debian package
# The editor's "+" button, from the editor's top-left corner: the dialog has
# no keyboard path to it (its tool buttons take no focus).
ADD_BUTTON = (34, 32)
PATIENCE = 60.0  # seconds for any one step; ConfClerk answers in well under one


def missing_package() -> str | None:
    """The Debian package of the first tool this machine lacks, if any."""
    return next((package for tool, package in TOOLS.items() if not shutil.which(tool)), None)


@dataclass(frozen=True, order=True)
class Event:
    """One session as ConfClerk shows it: "10:00-10:45, Auditorium", the
    title, "Presenters: A and B"."""

    room: str
    start: str  # HH:MM as ConfClerk displays it
    minutes: int
    title: str
    presenters: tuple[str, ...]


@dataclass(frozen=True)
class Conference:
    title: str
    start: str  # YYYY-MM-DD
    end: str
    events: list[Event]


class ConfClerk:
    def __init__(self, home: Path, display: str):
        self.home = home
        self.environ = {**os.environ, "DISPLAY": display, "HOME": str(home), "LC_ALL": "C.UTF-8",
                        "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
                        "QT_QPA_PLATFORM": "xcb", "NO_PROXY": "127.0.0.1"}
        self.process: subprocess.Popen | None = None

    @property
    def database(self) -> Path:
        return self.home / "data" / "Toastfreeware" / "ConfClerk" / "ConfClerk.sqlite"

    # --- the GUI ------------------------------------------------------------

    def start(self) -> None:
        self.process = subprocess.Popen(["confclerk"], env=self.environ, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        self.window("ConfClerk")

    def add_schedule(self, url: str) -> None:
        """Conferences > "+" > the URL > Open, as in ConfClerk's manual."""
        editor = self.editor()
        self.xdotool("mousemove", "--window", editor, *map(str, ADD_BUTTON), "click", "1")
        dialog = self.window("URL Input")
        self.xdotool("windowfocus", "--sync", dialog)
        self.xdotool("type", "--delay", "2", url)
        self.xdotool("key", "Return")
        self.wait(lambda: self.conference_id(url) is not None, f"ConfClerk to import {url}")

    def editor(self) -> str:
        found = self.find("Edit Conferences")
        if found:
            return found
        self.xdotool("windowfocus", "--sync", self.window("ConfClerk"))
        self.xdotool("key", "ctrl+o")
        return self.window("Edit Conferences")

    def window(self, name: str) -> str:
        return self.wait(lambda: self.find(name), f"ConfClerk's window {name!r}")

    def find(self, name: str) -> str | None:
        done = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{name}$"],
                              env=self.environ, capture_output=True, text=True, timeout=30)
        return done.stdout.split()[0] if done.stdout.split() else None

    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env=self.environ, check=True, capture_output=True, timeout=30)

    def wait(self, ready, what: str):
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"ConfClerk exited ({self.process.returncode}) while waiting for {what}")
            found = ready()
            if found:
                return found
            time.sleep(0.1)
        raise AssertionError(f"gave up after {PATIENCE:.0f} s waiting for {what}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    # --- what it stored -----------------------------------------------------

    def query(self, sql: str, *args) -> list[tuple]:
        if not self.database.is_file():
            return []
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=10) as db:
            try:
                return db.execute(sql, args).fetchall()
            except sqlite3.OperationalError:  # its schema is still being created
                return []

    def conference_id(self, url: str) -> int | None:
        # ConfClerk imports a schedule in one transaction: once its events
        # can be seen, all of them can.
        found = self.query("SELECT id FROM conference WHERE url = ? AND"
                           " EXISTS (SELECT 1 FROM event WHERE xid_conference = conference.id)", url)
        return found[0][0] if found else None

    def conference(self, url: str) -> Conference:
        conference = self.conference_id(url)
        [(title, start, end)] = self.query("SELECT title, start, \"end\" FROM conference WHERE id = ?", conference)
        return Conference(title, _day(start), _day(end), self.events(conference))

    def events(self, conference: int) -> list[Event]:
        rows = self.query("""
            SELECT event.id, room.name, event.start, event.duration, event.title
            FROM event
            LEFT JOIN event_room ON event_room.xid_conference = event.xid_conference
                                AND event_room.xid_event = event.id
            LEFT JOIN room ON room.xid_conference = event.xid_conference AND room.id = event_room.xid_room
            WHERE event.xid_conference = ?""", conference)
        return sorted(Event(room, _clock(start), duration // 60, title, self.presenters(conference, event))
                      for event, room, start, duration, title in rows)

    def presenters(self, conference: int, event: int) -> tuple[str, ...]:
        # In the order ConfClerk lists them ("Presenters: A and B").
        return tuple(name for (name,) in self.query("""
            SELECT person.name FROM event_person
            JOIN person ON person.xid_conference = event_person.xid_conference
                       AND person.id = event_person.xid_person
            WHERE event_person.xid_conference = ? AND event_person.xid_event = ?
            ORDER BY event_person.rowid""", conference, event))


# ConfClerk keeps each time as the local wall clock written as if it were UTC
# (plus one utc_offset per conference), and displays that clock.
def _clock(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%H:%M")


def _day(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).date().isoformat()


@contextmanager
def running(home: Path) -> Iterator[ConfClerk]:
    """ConfClerk on a display of its own, stopped (with the display) after."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    app = None
    try:
        with os.fdopen(read) as told:
            number = told.readline().strip()  # Xvfb writes the display it took once it is ready
        if not number:
            raise AssertionError("Xvfb did not start")
        app = ConfClerk(home, f":{number}")
        app.start()
        yield app
    finally:
        if app is not None:
            app.stop()
        xvfb.terminate()
        xvfb.wait(timeout=10)
