// Reads .ics files as ical.js (Thunderbird) or node-ical does and prints,
// one JSON line per VEVENT, its UID, RECURRENCE-ID and start and end
// instants in UTC: node read.mjs ical.js|node-ical FILE...
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const [reader, ...files] = process.argv.slice(2);

function iso(date) {
  return date.toISOString().replace(/\.000Z$/, "Z");
}

function byIcalJs(ICAL, path) {
  const root = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  // The file's own VTIMEZONEs, and only them: ical.js converts with them.
  ICAL.TimezoneService.reset();
  for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
  }
  return root.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const start = event.startDate;
    const end = event.endDate;
    const zone = start.zone && start.zone.tzid;
    return {
      uid: event.uid,
      recurrence: event.recurrenceId ? event.recurrenceId.toString() : null,
      all_day: start.isDate,
      zone,
      start: start.isDate ? start.toString() : iso(start.toJSDate()),
      end: end ? (end.isDate ? end.toString() : iso(end.toJSDate())) : null,
    };
  });
}

function byNodeIcal(ical, path) {
  const found = [];
  const day = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  const add = (event, recurrence) => {
    const allDay = event.datetype === "date";
    found.push({
      uid: event.uid,
      recurrence,
      all_day: allDay,
      zone: event.start && event.start.tz,
      start: allDay ? day(event.start) : iso(event.start),
      end: event.end ? (allDay ? day(event.end) : iso(event.end)) : null,
    });
  };
  for (const event of Object.values(ical.sync.parseFile(path))) {
    if (event.type !== "VEVENT") continue;
    add(event, event.recurrenceid ? iso(event.recurrenceid) : null);
    for (const [key, other] of Object.entries(event.recurrences || {})) add(other, key);
  }
  return found;
}

let read;
if (reader === "ical.js") {
  const ICAL = (await import("ical.js")).default;
  read = (path) => byIcalJs(ICAL, path);
} else if (reader === "node-ical") {
  const ical = require("node-ical");
  read = (path) => byNodeIcal(ical, path);
} else {
  console.error(`unknown reader ${reader}`);
  process.exit(2);
}
for (const path of files) {
  for (const event of read(path)) console.log(JSON.stringify({ file: path, ...event }));
}
