import { HOLIDAY_SETS } from "./holidays-id.ts";
import { resolveZone } from "./zone.ts";
import {
  WEEKDAYS,
  type Calendar,
  type CalendarValidation,
  type TimeRange,
  type ValidationIssue,
  type Weekday,
} from "./types.ts";

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEK_MINUTES = 7 * 1440;
const KNOWN_KEYS = new Set(["timezone", "always_open", "weekly", "holidays", "holiday_sets"]);

/** Minutes since local midnight of a strict `HH:MM` (or `24:00` when `isEnd`), else undefined. */
export function parseTime(value: unknown, isEnd: boolean): number | undefined {
  if (typeof value !== "string") return undefined;
  if (value === "24:00") return isEnd ? 1440 : undefined;
  const m = TIME.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** Whether `value` is a real calendar date `YYYY-MM-DD` between 1970 and 2200. */
export function isLocalDate(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1970 || y > 2200) return false;
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * Opening intervals of one weekday in minutes since that day's midnight; an overnight end is
 * past 1440 (Monday `["22:00","06:00"]` → [1320, 1800]). Assumes validated times.
 */
export function rangeMinutes(range: TimeRange): [number, number] {
  const start = parseTime(range[0], false)!;
  let end = parseTime(range[1], true)!;
  if (end <= start) end += 1440;
  return [start, end];
}

interface WeekInterval {
  start: number;
  end: number;
  path: (string | number)[];
}

function validateWeekly(weekly: unknown, errors: ValidationIssue[]): WeekInterval[] {
  const intervals: WeekInterval[] = [];
  if (typeof weekly !== "object" || weekly === null || Array.isArray(weekly)) {
    errors.push({ path: ["weekly"], message: "must be an object keyed by weekday (mon..sun)" });
    return intervals;
  }
  for (const [key, ranges] of Object.entries(weekly)) {
    const day = WEEKDAYS.indexOf(key as Weekday);
    if (day < 0) {
      errors.push({
        path: ["weekly", key],
        message: `unknown weekday "${key}"; use mon, tue, wed, thu, fri, sat, sun`,
      });
      continue;
    }
    if (!Array.isArray(ranges)) {
      errors.push({ path: ["weekly", key], message: 'must be a list of ["HH:MM","HH:MM"] intervals' });
      continue;
    }
    ranges.forEach((range: unknown, i) => {
      const path = ["weekly", key, i];
      if (!Array.isArray(range) || range.length !== 2) {
        errors.push({ path, message: 'must be a pair ["HH:MM","HH:MM"]' });
        return;
      }
      const start = parseTime(range[0], false);
      const end = parseTime(range[1], true);
      if (start === undefined)
        errors.push({
          path: [...path, 0],
          message: `malformed start time ${JSON.stringify(range[0])}; use HH:MM from 00:00 to 23:59`,
        });
      if (end === undefined)
        errors.push({
          path: [...path, 1],
          message: `malformed end time ${JSON.stringify(range[1])}; use HH:MM from 00:00 to 24:00`,
        });
      if (start === undefined || end === undefined) return;
      if (start === end) {
        errors.push({ path, message: 'start equals end; use ["00:00","24:00"] for a whole day' });
        return;
      }
      const [s, e] = rangeMinutes(range as unknown as TimeRange);
      intervals.push({ start: day * 1440 + s, end: day * 1440 + e, path });
    });
  }
  return intervals;
}

function describe(path: (string | number)[]): string {
  return `${path.slice(0, 2).join(".")}[${String(path[2])}]`;
}

const intersects = (a: WeekInterval, b: WeekInterval, shift: number) =>
  a.start + shift < b.end && b.start < a.end + shift;

/** Overlaps in the weekly cycle, including an overnight spill (Sunday's into Monday's) into the next day. */
function checkOverlaps(intervals: WeekInterval[], errors: ValidationIssue[]): void {
  intervals.forEach((b, j) => {
    for (const a of intervals.slice(0, j)) {
      if (intersects(a, b, 0) || intersects(a, b, WEEK_MINUTES) || intersects(a, b, -WEEK_MINUTES)) {
        const overnight = a.end - a.start > 1440 - (a.start % 1440) || b.end - b.start > 1440 - (b.start % 1440);
        errors.push({ path: b.path, message: `overlaps ${describe(a.path)}${overnight ? " (overnight spill)" : ""}` });
      }
    }
  });
}

/**
 * Validates a calendar in its JSON form, naming the faulty field: unknown zone, malformed
 * times, overlapping intervals (overnight spill included), impossible dates, unknown sets.
 */
export function validateCalendar(input: unknown): CalendarValidation {
  const errors: ValidationIssue[] = [];
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ path: [], message: "calendar must be an object" }] };
  }
  const raw = input as Record<string, unknown>;
  for (const key of Object.keys(raw))
    if (!KNOWN_KEYS.has(key)) errors.push({ path: [key], message: `unknown field "${key}"` });

  let timezone = raw.timezone;
  if (typeof timezone !== "string" || timezone === "") {
    errors.push({ path: ["timezone"], message: "required IANA time zone, e.g. Asia/Jakarta" });
  } else {
    const resolved = resolveZone(timezone);
    if (resolved === undefined) errors.push({ path: ["timezone"], message: `unknown IANA time zone "${timezone}"` });
    else if (resolved.toLowerCase() === timezone.toLowerCase()) timezone = resolved;
  }

  const alwaysOpen = raw.always_open;
  if (alwaysOpen !== undefined && typeof alwaysOpen !== "boolean")
    errors.push({ path: ["always_open"], message: "must be a boolean" });
  if (alwaysOpen === true && raw.weekly !== undefined) {
    errors.push({ path: ["weekly"], message: "must be absent when always_open is true" });
  } else if (alwaysOpen !== true) {
    if (raw.weekly === undefined) errors.push({ path: ["weekly"], message: "required unless always_open is true" });
    else {
      const intervals = validateWeekly(raw.weekly, errors);
      checkOverlaps(intervals, errors);
      if (intervals.length === 0 && errors.length === 0)
        errors.push({ path: ["weekly"], message: "calendar is never open" });
    }
  }

  if (raw.holidays !== undefined) {
    if (!Array.isArray(raw.holidays))
      errors.push({ path: ["holidays"], message: "must be a list of YYYY-MM-DD dates" });
    else
      raw.holidays.forEach((d: unknown, i) => {
        if (!isLocalDate(d))
          errors.push({
            path: ["holidays", i],
            message: `invalid date ${JSON.stringify(d)}; use an existing YYYY-MM-DD between 1970 and 2200`,
          });
      });
  }
  if (raw.holiday_sets !== undefined) {
    if (!Array.isArray(raw.holiday_sets))
      errors.push({ path: ["holiday_sets"], message: "must be a list of holiday set ids" });
    else
      raw.holiday_sets.forEach((id: unknown, i) => {
        if (typeof id !== "string" || !Object.hasOwn(HOLIDAY_SETS, id)) {
          errors.push({
            path: ["holiday_sets", i],
            message: `unknown holiday set ${JSON.stringify(id)}; known: ${Object.keys(HOLIDAY_SETS).join(", ")}`,
          });
        }
      });
  }

  if (errors.length > 0) return { ok: false, errors };
  const calendar: Calendar = { ...(raw as unknown as Calendar), timezone: timezone as string };
  return { ok: true, calendar };
}
