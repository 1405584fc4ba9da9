/**
 * Business-time arithmetic on compiled calendars. Instants are UTC; business time is real
 * elapsed time while open and not paused, so a local 00:00-24:00 on a DST day is 23 or 25 hours.
 */
import { chunkAt, chunkIndex, compileCalendar, type Chunk, type CompiledCalendar } from "./compile.ts";
import type { Calendar, Pause } from "./types.ts";
import { MINUTE_MS } from "./zone.ts";

/** Number of intervals in `c` starting at or before `t`. */
function countStartingBy(c: Chunk, t: number): number {
  const starts = c.starts;
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Business ms in `[c.start, t)`. */
function openBefore(c: Chunk, t: number): number {
  const n = countStartingBy(c, t);
  if (n === 0) return 0;
  const end = c.ends[n - 1]!;
  return c.cum[n - 1]! + (t < end ? t : end) - c.starts[n - 1]!;
}

/** Business ms in `[a, b)` for `a <= b`, ignoring pauses. */
export function openMsBetween(cal: CompiledCalendar, a: number, b: number): number {
  if (cal.alwaysOpen) return b - a;
  const ia = chunkIndex(a);
  const ib = chunkIndex(b);
  const ca = chunkAt(cal, ia);
  if (ia === ib) return openBefore(ca, b) - openBefore(ca, a);
  let sum = ca.total - openBefore(ca, a);
  for (let i = ia + 1; i < ib; i++) sum += chunkAt(cal, i).total;
  return sum + openBefore(chunkAt(cal, ib), b);
}

/** Earliest instant `u >= t` with `d > 0` business ms in `[t, u)`, ignoring pauses. */
function addOpenMs(cal: CompiledCalendar, t: number, d: number): number {
  if (cal.alwaysOpen) return t + d;
  let i = chunkIndex(t);
  let c = chunkAt(cal, i);
  let target = openBefore(c, t) + d;
  while (target > c.total) {
    target -= c.total;
    c = chunkAt(cal, ++i);
  }
  const cumEnd = c.cumEnd;
  let lo = 0;
  let hi = cumEnd.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumEnd[mid]! >= target) hi = mid;
    else lo = mid + 1;
  }
  return c.starts[lo]! + (target - c.cum[lo]!);
}

/** First open instant at or after `t` (ms). */
export function nextOpeningMs(cal: CompiledCalendar, t: number): number {
  if (cal.alwaysOpen) return t;
  let i = chunkIndex(t);
  let c = chunkAt(cal, i);
  const n = countStartingBy(c, t);
  if (n > 0 && t < c.ends[n - 1]!) return t;
  if (n < c.starts.length) return c.starts[n]!;
  for (;;) {
    c = chunkAt(cal, ++i);
    if (c.starts.length > 0) return c.starts[0]!;
  }
}

/** The open intervals intersected with `[a, b)`, as `[from, to]` ms pairs (for explanations). */
export function openIntervalsMs(cal: CompiledCalendar, a: number, b: number): [number, number][] {
  if (cal.alwaysOpen) return a < b ? [[a, b]] : [];
  const out: [number, number][] = [];
  for (let i = chunkIndex(a); a < b; i++) {
    const c = chunkAt(cal, i);
    for (let k = Math.max(0, countStartingBy(c, a) - 1); k < c.starts.length && c.starts[k]! < b; k++) {
      const s = Math.max(c.starts[k]!, a);
      const e = Math.min(c.ends[k]!, b);
      if (e <= s) continue;
      const last = out[out.length - 1];
      if (last && last[1] === s) last[1] = e;
      else out.push([s, e]);
    }
    a = c.end;
  }
  return out;
}

function instant(d: Date, what: string): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (Number.isNaN(t)) throw new RangeError(`${what} is not a valid Date`);
  return t;
}

/** Pauses as sorted, merged, non-empty `[from, to)` ms pairs; pauses with `to <= from` are ignored. */
export function mergePauses(pauses: readonly Pause[] | undefined): number[] {
  if (!pauses || pauses.length === 0) return [];
  const pairs = pauses
    .map((p) => [instant(p.from, "pause.from"), instant(p.to, "pause.to")] as const)
    .filter(([f, t]) => t > f)
    .sort((x, y) => x[0] - y[0]);
  const flat: number[] = [];
  for (const [f, t] of pairs) {
    const n = flat.length;
    if (n > 0 && f <= flat[n - 1]!) flat[n - 1] = Math.max(flat[n - 1]!, t);
    else flat.push(f, t);
  }
  return flat;
}

/** Business ms in `[a, b)` (a <= b) minus the business ms covered by merged pauses. */
export function businessMsBetween(cal: CompiledCalendar, a: number, b: number, pauses: readonly number[]): number {
  let ms = openMsBetween(cal, a, b);
  for (let k = 0; k < pauses.length; k += 2) {
    const f = Math.max(a, pauses[k]!);
    const t = Math.min(b, pauses[k + 1]!);
    if (f < t) ms -= openMsBetween(cal, f, t);
  }
  return ms;
}

/** First instant at or after `t` that is open and not inside a merged pause. */
function nextOpenUnpaused(cal: CompiledCalendar, t: number, pauses: readonly number[]): number {
  let u = nextOpeningMs(cal, t);
  for (let k = 0; k < pauses.length; k += 2) {
    if (pauses[k + 1]! <= u) continue;
    if (pauses[k]! > u) break;
    u = nextOpeningMs(cal, pauses[k + 1]!);
  }
  return u;
}

/** Deadline in ms: earliest instant by which `d` business ms have elapsed from `t` outside pauses. */
export function addBusinessMs(cal: CompiledCalendar, t: number, d: number, pauses: readonly number[]): number {
  if (d === 0) return nextOpenUnpaused(cal, t, pauses);
  let cur = t;
  let rest = d;
  for (let k = 0; k < pauses.length; k += 2) {
    const from = pauses[k]!;
    const to = pauses[k + 1]!;
    if (to <= cur) continue;
    if (from > cur) {
      const candidate = addOpenMs(cal, cur, rest);
      if (candidate <= from) return candidate;
      rest -= openMsBetween(cal, cur, from);
      if (rest <= 0) return from;
    }
    cur = to;
  }
  return addOpenMs(cal, cur, rest);
}

/**
 * The deadline `minutes` business minutes (fractional allowed) after `start`, skipping closed time
 * and pauses `[from, to)`: counting starts at the next opening; a deadline that lands on a closing
 * time is that closing instant; 0 minutes gives `start` if open, else the next opening. The result
 * is rounded to the millisecond. Throws a RangeError for negative or non-finite minutes (no subtraction).
 */
export function addBusinessMinutes(calendar: Calendar, start: Date, minutes: number, pauses?: readonly Pause[]): Date {
  if (!(minutes >= 0) || minutes === Infinity)
    throw new RangeError(`minutes must be a finite number >= 0, got ${minutes}`);
  const cal = compileCalendar(calendar);
  const t = instant(start, "start");
  if (pauses === undefined || pauses.length === 0) {
    return new Date(Math.round(minutes === 0 ? nextOpeningMs(cal, t) : addOpenMs(cal, t, minutes * MINUTE_MS)));
  }
  return new Date(Math.round(addBusinessMs(cal, t, minutes * MINUTE_MS, mergePauses(pauses))));
}

/**
 * Business minutes (fractional, real elapsed time while open and not paused) from `from` to `to`;
 * negative when `to` is before `from`.
 */
export function businessMinutesBetween(calendar: Calendar, from: Date, to: Date, pauses?: readonly Pause[]): number {
  const cal = compileCalendar(calendar);
  const a = instant(from, "from");
  const b = instant(to, "to");
  const merged = pauses === undefined || pauses.length === 0 ? [] : mergePauses(pauses);
  if (b < a) return -businessMsBetween(cal, b, a, merged) / MINUTE_MS;
  return businessMsBetween(cal, a, b, merged) / MINUTE_MS;
}

/** The first open instant at or after `at` (UTC); `at` itself when open. */
export function nextOpening(calendar: Calendar, at: Date): Date {
  return new Date(nextOpeningMs(compileCalendar(calendar), instant(at, "at")));
}

/** Whether the calendar is open at the UTC instant `at` (intervals are `[opening, closing)`). */
export function isOpen(calendar: Calendar, at: Date): boolean {
  const cal = compileCalendar(calendar);
  const t = instant(at, "at");
  return cal.alwaysOpen || nextOpeningMs(cal, t) === t;
}
