import { ALWAYS_OPEN, addBusinessMinutes } from "../calendar/index.ts";
import type { SlaClock, SlaPolicy, SlaTimer } from "./types.ts";

/**
 * Future instants the engine must act on for running (active or warning) clocks: one warning per
 * ladder threshold not yet reached (at threshold × target business minutes from the start, with the
 * clock's pauses), then the breach; a tier clock gets only its budget-exceeded instant. Paused and
 * stopped clocks get none (they are re-planned on resume). Sorted by instant.
 */
export function timersFor(clocks: readonly SlaClock[], policy: SlaPolicy): SlaTimer[] {
  const calendar = policy.calendar ?? ALWAYS_OPEN;
  const timers: SlaTimer[] = [];
  for (const clock of clocks) {
    if (clock.state !== "active" && clock.state !== "warning") continue;
    if (clock.target === "tier_budget") {
      timers.push({ kind: "tier.budget_exceeded", target: "tier_budget", tier: clock.tier ?? 0, dueAt: clock.dueAt });
      continue;
    }
    for (const threshold of policy.ladder) {
      const minutes = threshold * clock.targetMinutes;
      if (clock.businessMinutes >= minutes) continue;
      const dueAt = addBusinessMinutes(calendar, clock.startedAt, minutes, clock.pauses);
      timers.push({ kind: "sla.warning", target: clock.target, threshold, dueAt });
    }
    timers.push({ kind: "sla.breached", target: clock.target, dueAt: clock.dueAt });
  }
  return timers.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}
