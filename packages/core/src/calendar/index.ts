export * from "./types.ts";
export { validateCalendar } from "./validate.ts";
export { HOLIDAY_SETS, type HolidayEntry, type HolidaySet } from "./holidays-id.ts";
export { compileCalendar, type CompiledCalendar } from "./compile.ts";
export { addBusinessMinutes, businessMinutesBetween, isOpen, nextOpening } from "./ops.ts";
export { explainDue, formatBusinessDuration } from "./explain.ts";
export { localToUtc, utcToLocal, resolveZone } from "./zone.ts";
