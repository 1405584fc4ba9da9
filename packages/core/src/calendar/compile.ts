/**
 * Compiled form of a calendar: per UTC year, the sorted open intervals as UTC instants with a
 * prefix sum of business time, built lazily. add = binary search on the prefix sums,
 * between = difference of prefix sums; DST and holidays are exact because the intervals are.
 */
import { HOLIDAY_SETS } from "./holidays-id.ts";
import { WEEKDAYS, type Calendar } from "./types.ts";
import { rangeMinutes, validateCalendar } from "./validate.ts";
import { DAY_MS, MINUTE_MS, localToUtc } from "./zone.ts";

export const YEAR_MIN = 1970;
export const YEAR_MAX = 2200;
const YEAR_COUNT = YEAR_MAX - YEAR_MIN + 1;
const AVG_YEAR_MS = 365.2425 * DAY_MS;
const WEEK_MINUTES = 7 * 1440;

/** `YEAR_STARTS[i]` is 1 January of year YEAR_MIN + i, 00:00 UTC, in ms; one extra entry closes the range. */
const YEAR_STARTS = new Float64Array(YEAR_COUNT + 1);
for (let i = 0; i <= YEAR_COUNT; i++) YEAR_STARTS[i] = Date.UTC(YEAR_MIN + i, 0, 1);

/** Open intervals of one UTC year: `[starts[i], ends[i])`, with business ms before (`cum`) and through (`cumEnd`) each. */
export interface Chunk {
  start: number;
  end: number;
  starts: Float64Array;
  ends: Float64Array;
  cum: Float64Array;
  cumEnd: Float64Array;
  total: number;
}

export interface CompiledCalendar {
  readonly calendar: Calendar;
  readonly zone: string;
  /** Truly 24/7: every instant is open, nothing is built. */
  readonly alwaysOpen: boolean;
  /** Opening intervals per weekday (Mon = 0) in minutes since that day's local midnight; ends may pass 1440. */
  readonly week: readonly (readonly [number, number])[][];
  /** Holidays as local day numbers (days since 1970-01-01). */
  readonly holidays: ReadonlySet<number>;
  readonly chunks: (Chunk | undefined)[];
}

const compiled = new WeakMap<Calendar, CompiledCalendar>();
/** Second-level cache by content, for callers that parse the same calendar JSON again per request. */
const byContent = new Map<string, CompiledCalendar>();
const CONTENT_CACHE_SIZE = 256;

/** Local day number (days since 1970-01-01) of a `YYYY-MM-DD` date. */
export function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

function coversWholeWeek(week: readonly (readonly [number, number])[][]): boolean {
  const spans: [number, number][] = [];
  week.forEach((ranges, day) => {
    for (const [a, b] of ranges) {
      const s = day * 1440 + a;
      const e = day * 1440 + b;
      if (e > WEEK_MINUTES) spans.push([s, WEEK_MINUTES], [0, e - WEEK_MINUTES]);
      else spans.push([s, e]);
    }
  });
  spans.sort((x, y) => x[0] - y[0]);
  let reached = 0;
  for (const [s, e] of spans) {
    if (s > reached) return false;
    reached = Math.max(reached, e);
  }
  return reached >= WEEK_MINUTES;
}

/**
 * Compiles a calendar once per object identity (WeakMap) and per JSON content (bounded map); later
 * edits to the same object are not seen, so treat calendars as immutable. Throws a RangeError if invalid.
 */
export function compileCalendar(calendar: Calendar): CompiledCalendar {
  const cached = compiled.get(calendar);
  if (cached) return cached;
  const key = JSON.stringify(calendar);
  const same = byContent.get(key);
  if (same) {
    compiled.set(calendar, same);
    return same;
  }
  const checked = validateCalendar(calendar);
  if (!checked.ok) {
    throw new RangeError(
      `invalid calendar: ${checked.errors.map((e) => `${e.path.join(".")}: ${e.message}`).join("; ")}`,
    );
  }
  const cal = checked.calendar;
  const holidays = new Set<number>((cal.holidays ?? []).map(dayNumber));
  for (const id of cal.holiday_sets ?? [])
    for (const entry of HOLIDAY_SETS[id]!.dates) holidays.add(dayNumber(entry.date));
  const week = WEEKDAYS.map((day) =>
    cal.always_open ? [[0, 1440] as const] : (cal.weekly?.[day] ?? []).map(rangeMinutes).sort((x, y) => x[0] - y[0]),
  );
  const result: CompiledCalendar = {
    calendar,
    zone: cal.timezone,
    alwaysOpen: holidays.size === 0 && coversWholeWeek(week),
    week,
    holidays,
    chunks: new Array<Chunk | undefined>(YEAR_COUNT),
  };
  compiled.set(calendar, result);
  if (byContent.size >= CONTENT_CACHE_SIZE) byContent.delete(byContent.keys().next().value!);
  byContent.set(key, result);
  return result;
}

/** Index of the UTC year chunk holding the instant `ms`; RangeError outside 1970-2200. */
export function chunkIndex(ms: number): number {
  let i = Math.floor(ms / AVG_YEAR_MS);
  if (i >= 0 && i < YEAR_COUNT) {
    if (ms < YEAR_STARTS[i]!) i--;
    else if (ms >= YEAR_STARTS[i + 1]!) i++;
    if (i >= 0 && i < YEAR_COUNT) return i;
  }
  throw new RangeError(`instant ${new Date(ms).toISOString()} outside the supported years ${YEAR_MIN}-${YEAR_MAX}`);
}

/** The chunk for year index `i`, built on first use. */
export function chunkAt(cal: CompiledCalendar, i: number): Chunk {
  if (i < 0 || i >= YEAR_COUNT)
    throw new RangeError(`business time runs past the supported years ${YEAR_MIN}-${YEAR_MAX}`);
  return cal.chunks[i] ?? (cal.chunks[i] = buildChunk(cal, i));
}

function buildChunk(cal: CompiledCalendar, index: number): Chunk {
  const start = YEAR_STARTS[index]!;
  const end = YEAR_STARTS[index + 1]!;
  const pairs: [number, number][] = [];
  const push = (localStart: number, localEnd: number) => {
    const s = Math.max(localToUtc(cal.zone, localStart), start);
    const e = Math.min(localToUtc(cal.zone, localEnd), end);
    if (e > s) pairs.push([s, e]);
  };
  // Local days overlapping this UTC year: zone offsets stay within ±1 day, overnight spills add one.
  for (let day = Math.floor(start / DAY_MS) - 2; day <= Math.floor(end / DAY_MS) + 1; day++) {
    const ranges = cal.week[(((day + 3) % 7) + 7) % 7]!;
    const base = day * DAY_MS;
    for (const [a, b] of ranges) {
      // A holiday closes its whole local date, including the part of an overnight shift that falls on it.
      if (!cal.holidays.has(day)) push(base + a * MINUTE_MS, base + Math.min(b, 1440) * MINUTE_MS);
      if (b > 1440 && !cal.holidays.has(day + 1)) push(base + DAY_MS, base + b * MINUTE_MS);
    }
  }
  pairs.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const pair of pairs) {
    const last = merged[merged.length - 1];
    if (last && pair[0] <= last[1]) last[1] = Math.max(last[1], pair[1]);
    else merged.push([pair[0], pair[1]]);
  }
  const n = merged.length;
  const chunk: Chunk = {
    start,
    end,
    starts: new Float64Array(n),
    ends: new Float64Array(n),
    cum: new Float64Array(n),
    cumEnd: new Float64Array(n),
    total: 0,
  };
  let total = 0;
  merged.forEach(([s, e], i) => {
    chunk.starts[i] = s;
    chunk.ends[i] = e;
    chunk.cum[i] = total;
    total += e - s;
    chunk.cumEnd[i] = total;
  });
  chunk.total = total;
  return chunk;
}
