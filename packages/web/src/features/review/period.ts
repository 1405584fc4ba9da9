/**
 * Review periods as calendar dates (`YYYY-MM-DD`, both ends included) in the organisation's zone:
 * the presets of the period picker and the previous period of the same length they are compared with.
 * Pure: "today" is passed in.
 */
export const PERIOD_PRESETS = [
  "last_7_days",
  "last_30_days",
  "last_month",
  "this_month",
  "last_quarter",
  "last_12_months",
] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** A period of whole days, `from` and `to` included. */
export type Period = { from: string; to: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function toUtcMs(date: string): number {
  const m = DATE.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** True for a real calendar date written `YYYY-MM-DD` (not 2026-02-30). */
export function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  return fromUtcMs(toUtcMs(value)) === value;
}

export function addDays(date: string, days: number): string {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/** Days in a period, both ends counted (a single day is 1). */
export function daysIn(p: Period): number {
  return Math.round((toUtcMs(p.to) - toUtcMs(p.from)) / DAY_MS) + 1;
}

/** The calendar date of an instant in a time zone (`Asia/Jakarta`). */
export function todayIn(zone: string, nowMs: number): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(nowMs),
  );
}

function firstOfMonth(year: number, month0: number): string {
  return fromUtcMs(Date.UTC(year, month0, 1));
}

function lastOfMonth(year: number, month0: number): string {
  return fromUtcMs(Date.UTC(year, month0 + 1, 0));
}

/** The dates a preset covers when today is `today`. */
export function presetPeriod(preset: PeriodPreset, today: string): Period {
  const d = new Date(toUtcMs(today));
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (preset) {
    case "last_7_days":
      return { from: addDays(today, -6), to: today };
    case "last_30_days":
      return { from: addDays(today, -29), to: today };
    case "last_month":
      return { from: firstOfMonth(y, m - 1), to: lastOfMonth(y, m - 1) };
    case "this_month":
      return { from: firstOfMonth(y, m), to: today };
    case "last_quarter": {
      const q0 = Math.floor(m / 3) * 3 - 3;
      return { from: firstOfMonth(y, q0), to: lastOfMonth(y, q0 + 2) };
    }
    case "last_12_months":
      // The same day a year ago is left out, so the period is twelve months, not twelve and a day.
      return { from: addDays(fromUtcMs(Date.UTC(y - 1, m, d.getUTCDate())), 1), to: today };
  }
}

/** The period of the same length that ends the day before `p` starts. */
export function previousPeriod(p: Period): Period {
  const days = daysIn(p);
  return { from: addDays(p.from, -days), to: addDays(p.from, -1) };
}

/** The preset that gives exactly this period today, if any (to show it selected). */
export function presetOf(p: Period, today: string): PeriodPreset | null {
  for (const preset of PERIOD_PRESETS) {
    const q = presetPeriod(preset, today);
    if (q.from === p.from && q.to === p.to) return preset;
  }
  return null;
}
