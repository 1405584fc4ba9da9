import { WEEKDAYS, type CalendarDefinition, type Interval, type Weekday } from "../../../lib/types.ts";

export const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function defaultDefinition(): CalendarDefinition {
  const day: Interval[] = [["08:00", "17:00"]];
  return {
    timezone: "Asia/Jakarta",
    weekly: { mon: day, tue: day, wed: day, thu: day, fri: day },
    holidays: [],
    holiday_sets: [],
  };
}

/** An interval that ends at or before it starts runs past midnight ("22:00"–"06:00"). */
export function isOvernight([start, end]: Interval): boolean {
  return end !== "24:00" && TIME_RE.test(start) && TIME_RE.test(end) && end <= start;
}

/** Client-side checks, keyed like the server's error paths (definition.weekly.mon.0.1). */
export function validateDefinition(
  def: CalendarDefinition,
  msg: { required: string; time: string; same: string },
): Record<string, string> {
  const errs: Record<string, string> = {};
  if (!def.timezone) errs["definition.timezone"] = msg.required;
  for (const day of WEEKDAYS) {
    (def.weekly[day] ?? []).forEach(([start, end], i) => {
      const base = `definition.weekly.${day}.${i}`;
      if (!TIME_RE.test(start) || start === "24:00") errs[`${base}.0`] = msg.time;
      if (!TIME_RE.test(end)) errs[`${base}.1`] = msg.time;
      if (start === end) errs[`${base}.1`] = msg.same;
    });
  }
  return errs;
}

/** A stored definition with its optional parts filled in, for the editor. */
export function normalizeDefinition(def: Partial<CalendarDefinition> | undefined): CalendarDefinition | null {
  if (!def) return null;
  return {
    timezone: def.timezone ?? "Asia/Jakarta",
    ...(def.always_open ? { always_open: true } : {}),
    weekly: def.weekly ?? {},
    holidays: def.holidays ?? [],
    holiday_sets: def.holiday_sets ?? [],
  };
}

/** The JSON the API stores: a 24/7 calendar carries nothing but its zone. */
export type StoredDefinition = Pick<CalendarDefinition, "timezone"> & Partial<CalendarDefinition>;

/** Drop empty days so the stored JSON stays the documented shape. */
export function cleanDefinition(def: CalendarDefinition): StoredDefinition {
  const weekly: Partial<Record<Weekday, Interval[]>> = {};
  for (const day of WEEKDAYS) {
    const intervals = def.weekly[day];
    if (intervals?.length) weekly[day] = intervals;
  }
  const { always_open: alwaysOpen, ...rest } = def;
  if (alwaysOpen) return { timezone: def.timezone, always_open: true };
  return { ...rest, weekly, holidays: [...new Set(def.holidays)].sort() };
}

export function timezones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const all = intl.supportedValuesOf?.("timeZone") ?? [];
  const preferred = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "Asia/Singapore", "UTC"];
  return [...preferred, ...all.filter((z) => !preferred.includes(z))];
}
