/* Reads .ics files as libical (Evolution, KDE's KCalendarCore's cousin)
 * does and prints, one tab-separated line per VEVENT: file, UID,
 * RECURRENCE-ID, "date" or the zone used, start and end (UTC for times,
 * YYYY-MM-DD for dates). Each TZID is converted with the file's own
 * VTIMEZONE, as icalcomponent_get_dtstart() looks it up in the VCALENDAR.
 *   cc read_libical.c $(pkg-config --cflags --libs libical) && ./a.out FILE... */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *text = malloc(n + 1);
    if (fread(text, 1, n, f) != (size_t)n) { perror(path); exit(2); }
    text[n] = 0;
    fclose(f);
    return text;
}

static void instant(struct icaltimetype t, char *out, size_t size) {
    if (icaltime_is_null_time(t)) { snprintf(out, size, "-"); return; }
    if (t.is_date) { snprintf(out, size, "%04d-%02d-%02d", t.year, t.month, t.day); return; }
    if (!t.zone) { snprintf(out, size, "floating"); return; }
    time_t seconds = icaltime_as_timet_with_zone(t, t.zone);
    struct tm utc;
    gmtime_r(&seconds, &utc);
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &utc);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        char *text = slurp(argv[i]);
        icalcomponent *calendar = icalparser_parse_string(text);
        if (!calendar) { fprintf(stderr, "%s: %s\n", argv[i], icalerror_strerror(icalerrno)); return 1; }
        for (icalcomponent *event = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); event;
             event = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
            struct icaltimetype start = icalcomponent_get_dtstart(event);
            struct icaltimetype end = icalcomponent_get_dtend(event);
            struct icaltimetype recurrence = icalcomponent_get_recurrenceid(event);
            char from[32], to[32], again[32];
            instant(start, from, sizeof from);
            instant(end, to, sizeof to);
            instant(recurrence, again, sizeof again);
            const char *zone = start.is_date ? "date" : start.zone ? icaltimezone_get_tzid((icaltimezone *)start.zone) : "floating";
            printf("%s\t%s\t%s\t%s\t%s\t%s\n", argv[i], icalcomponent_get_uid(event), again, zone ? zone : "?", from, to);
        }
        icalcomponent_free(calendar);
        free(text);
    }
    return 0;
}
