import type { ReportFilters, ReportPeriod as ReportPeriodJson } from "@eskala/contracts";
import type { ReportPeriod } from "./report-query.ts";

/** A resolved period as the reports' JSON carries it. */
export const presentPeriod = (p: ReportPeriod): ReportPeriodJson => ({
  from: p.from,
  to: p.to,
  time_zone: p.timeZone,
  starts_at: p.start.toISOString(),
  ends_at: p.end.toISOString(),
});

/** The filters applied (an agent's own id included), without the unset ones. */
export function presentFilters(f: ReportFilters): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(f)) if (v !== undefined) out[k] = v;
  return out;
}
