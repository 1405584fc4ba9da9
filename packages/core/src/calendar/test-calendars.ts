/** Calendars shared by the calendar and SLA tests (not exported from the package). */
import type { Calendar, TimeRange } from "./types.ts";

export const OFFICE: readonly TimeRange[] = [
  ["08:00", "12:00"],
  ["13:00", "17:00"],
];

/** Mon-Fri 08:00-12:00, 13:00-17:00 in `timezone`. */
export function officeCalendar(timezone: string, extra: Partial<Calendar> = {}): Calendar {
  return { timezone, weekly: { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE }, ...extra };
}

export const JAKARTA = officeCalendar("Asia/Jakarta", { holidays: ["2026-12-25"] });
export const JAKARTA_ID = officeCalendar("Asia/Jakarta", {
  holiday_sets: ["id-national-2026", "id-cuti-bersama-2026"],
});

/** A WIB wall time (`2026-03-02 15:00`) as a UTC instant. */
export const wib = (local: string) => new Date(`${local.replace(" ", "T")}:00+07:00`);
export const utc = (iso: string) => new Date(iso.endsWith("Z") ? iso : `${iso}Z`);
