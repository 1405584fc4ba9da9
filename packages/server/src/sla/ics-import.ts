/**
 * Holiday dates from an iCalendar (.ics) file, parsed with ical.js: every day an event covers
 * (all-day events by their dates, DTEND exclusive; timed events by their start date), recurring
 * events expanded. With `year` only that year's dates are kept.
 */
import ICAL from "ical.js";
import { AppError } from "../lib/app-error.ts";

const MAX_DATES = 5_000;
/** Without a year, recurring events are expanded up to this many years after their start. */
const DEFAULT_SPAN_YEARS = 2;

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
const dateOf = (t: ICAL.Time) => `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`;

function fail(message: string): never {
  throw new AppError("validation_failed", `ics: ${message}`, [{ path: ["ics"], message }]);
}

/** The days `[start, end)` of one occurrence (at least its start day). */
function daysOf(start: ICAL.Time, end: ICAL.Time | null, out: Set<string>, keep: (d: string) => boolean): void {
  const day = start.clone();
  day.isDate = true;
  const last = end && end.compare(start) > 0 ? end : null;
  let guard = 0;
  do {
    const d = dateOf(day);
    if (keep(d)) out.add(d);
    day.adjust(1, 0, 0, 0);
  } while (last && day.compare(last) < 0 && ++guard < 366);
  if (out.size > MAX_DATES) fail(`more than ${MAX_DATES} dates; import one year at a time`);
}

/** Sorted `YYYY-MM-DD` dates of the file's events; a malformed file is a 422 naming `ics`. */
export function holidaysFromIcs(text: string, year?: number): string[] {
  let root: ICAL.Component;
  try {
    const parsed = ICAL.parse(text);
    root = new ICAL.Component(Array.isArray(parsed[0]) ? (parsed[0] as never) : (parsed as never));
  } catch (err) {
    fail(`not a valid iCalendar file (${(err as Error).message})`);
  }
  if (root.name !== "vcalendar") fail("not a VCALENDAR");
  const keep = year === undefined ? () => true : (d: string) => d.startsWith(`${year}-`);
  const out = new Set<string>();
  for (const vevent of root.getAllSubcomponents("vevent")) {
    let event: ICAL.Event;
    let start: ICAL.Time;
    try {
      event = new ICAL.Event(vevent);
      start = event.startDate;
    } catch (err) {
      fail(`an event could not be read (${(err as Error).message})`);
    }
    if (!start) fail(`event "${event.summary ?? event.uid ?? "?"}" has no DTSTART`);
    const length = event.endDate ? event.endDate.subtractDate(start) : null;
    if (!event.isRecurring()) {
      daysOf(start, event.endDate ?? null, out, keep);
      continue;
    }
    const until = year ?? start.year + DEFAULT_SPAN_YEARS;
    const it = event.iterator();
    for (let next = it.next(), n = 0; next && next.year <= until && n < 2_000; next = it.next(), n++) {
      if (year !== undefined && next.year < year) continue;
      const end = length ? next.clone() : null;
      if (end && length) end.addDuration(length);
      daysOf(next, end, out, keep);
    }
  }
  return [...out].sort();
}
