/** Business-calendar vocabulary (PRODUCT.md §4): the JSON form stored on calendars and sent over the API. */

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A local opening interval `["HH:MM","HH:MM"]`; an end before the start runs overnight into the next day. */
export type TimeRange = readonly [start: string, end: string];

/**
 * A business calendar. Weekdays absent from `weekly` are closed; `holidays` are local dates
 * (`YYYY-MM-DD`) closed for the whole local day; `holiday_sets` reference {@link HOLIDAY_SETS} ids.
 * `always_open: true` means 24/7 (holidays still apply if listed).
 */
export interface Calendar {
  timezone: string;
  always_open?: boolean;
  weekly?: Partial<Record<Weekday, readonly TimeRange[]>>;
  holidays?: readonly string[];
  holiday_sets?: readonly string[];
}

/** An instant range `[from, to)` during which a clock stops (UTC instants). */
export interface Pause {
  from: Date;
  to: Date;
}

export interface ValidationIssue {
  path: (string | number)[];
  message: string;
}

export type CalendarValidation = { ok: true; calendar: Calendar } | { ok: false; errors: ValidationIssue[] };

/** The 24/7 calendar used when an SLA policy has no calendar. */
export const ALWAYS_OPEN: Calendar = Object.freeze({ timezone: "UTC", always_open: true });
