import { ALWAYS_OPEN, explainDue } from "@eskala/core/calendar";
import type { TicketSla } from "@eskala/contracts";
import type { SlaPlan } from "./plan.ts";

const round2 = (n: number) => Math.round(n * 100) / 100;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Targets a customer is promised; tier budgets are internal targets between teams. */
const CUSTOMER_TARGETS = new Set(["first_response", "next_response", "periodic_update", "resolution"]);

/**
 * The `sla` block of a ticket: each clock with its due instant, live remaining business minutes and
 * a bilingual explanation, and the pause ledger. A customer sees their promised targets without
 * the internal policy name or the tiers' budgets.
 */
export function presentSla(plan: SlaPlan | null, viewer: { role: string } | undefined): TicketSla {
  if (!plan || !plan.policy) return { policy: null, clocks: [], pauses: [] };
  const customer = viewer?.role === "customer";
  const calendar = plan.policy.core.calendar ?? ALWAYS_OPEN;
  return {
    policy: customer ? null : { id: plan.policy.core.id, name: plan.policy.core.name },
    clocks: plan.clocks
      .filter((c) => !customer || CUSTOMER_TARGETS.has(c.target))
      .map((c) => ({
        target: c.target,
        tier: c.tier,
        state: c.state,
        started_at: c.startedAt.toISOString(),
        due_at: c.dueAt.toISOString(),
        remaining_minutes: c.stoppedAt ? null : round2(c.remainingMinutes),
        paused_minutes: round2(c.pausedMinutes),
        achieved_at: iso(c.stoppedAt),
        breached_at: iso(c.breachedAt),
        explanation: {
          id: explainDue(calendar, c.startedAt, c.targetMinutes, c.dueAt, "id", c.pauses),
          en: explainDue(calendar, c.startedAt, c.targetMinutes, c.dueAt, "en", c.pauses),
        },
      })),
    pauses: plan.pauseLedger.map((p) => ({ from: p.from.toISOString(), to: iso(p.to), reason: p.reason })),
  };
}
