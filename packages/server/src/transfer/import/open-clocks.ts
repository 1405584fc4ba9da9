/**
 * SLA clocks of imported open tickets, in the batch's transaction. Each ticket's ledger is built
 * from its original history (created, public messages, status), and its policy chosen as for any
 * ticket. The deadlines that passed before the import are history: each breach is recorded on the
 * timeline at the instant it happened and in the ledger (so no timer is set for it), warnings
 * already passed are marked, and only future deadlines become timer rows. Then ONE decision per
 * breached ticket: its latest breach goes through the ticket hooks at import time, so the rules
 * decide once (escalate or not) instead of the timer worker firing every past deadline at start.
 */
import { sql, type Transaction } from "kysely";
import type { Composition } from "../../compose.ts";
import { SYSTEM_ACTOR } from "../../auth/actor.ts";
import type { DB } from "../../db/schema.ts";
import { slaOf } from "../../sla/compose-sla.ts";
import { applyEvent, newLedger, reconcile, recordKey } from "../../sla/ledger.ts";
import { planSla } from "../../sla/plan.ts";
import { choosePolicy } from "../../sla/sla-engine.ts";
import { lockTickets, writePlan } from "../../sla/sla.repo.ts";
import { appendEvents, type TimelineEvent } from "../../tickets/ticket-events.ts";
import type { ImportedOpenTicket } from "./write-tickets.ts";

export interface ClockResult {
  clocked: number;
  breachesRecorded: number;
  decisions: number;
}

export async function startOpenClocks(
  app: Pick<Composition, "events">,
  trx: Transaction<DB>,
  open: ImportedOpenTicket[],
  now: Date,
): Promise<ClockResult> {
  const result: ClockResult = { clocked: 0, breachesRecorded: 0, decisions: 0 };
  if (open.length === 0) return result;
  const config = await slaOf(app).cache.get(trx);
  if (config.policies.length === 0) return result;
  const byId = new Map(open.map((o) => [o.id, o]));
  const locked = await lockTickets(trx, sql`t.id = any(${[...byId.keys()]}::uuid[])`, open.length);
  for (const { ticket, segment } of locked) {
    const history = byId.get(ticket.id)!;
    const ledger = newLedger(ticket);
    for (const m of history.messages)
      applyEvent(ledger, {
        type: "message.added",
        at: m.at,
        data: { kind: "reply", author_role: m.author === "customer" ? "customer" : "agent" },
      });
    if (ticket.status !== "new") {
      const firstReply = history.messages.find((m) => m.author === "agent")?.at;
      const since = ticket.status === "open" && firstReply ? firstReply : ticket.updated_at;
      applyEvent(ledger, { type: "ticket.updated", at: since, data: { changes: { status: ["new", ticket.status] } } });
    }
    reconcile(ledger, ticket, now);
    const policy = choosePolicy(config, ticket, config.usesSegments ? segment : null);
    if (!policy) continue;
    const first = planSla(ticket.id, ledger, policy, now);
    const breaches: Omit<TimelineEvent, "ticketId">[] = [];
    ledger.rec = { ...first.ledger.rec };
    for (const c of first.clocks) {
      const key = recordKey(c.target, c.tier ?? undefined);
      const r = (ledger.rec[key] = { ...(ledger.rec[key] ?? { s: c.startedAt.getTime(), w: 0, b: null }) });
      const due = c.dueAt.getTime();
      // Passed warnings are not told after the fact; a passed deadline is a breach in the history.
      r.w = Math.max(r.w, ...policy.core.ladder.filter((th) => c.businessMinutes >= th * c.targetMinutes));
      const missed = c.stoppedAt ? c.stoppedAt.getTime() > due : now.getTime() >= due;
      if (!missed || r.b !== null) continue;
      r.b = due;
      const base = { target: c.target, started_at: c.startedAt.toISOString(), due_at: c.dueAt.toISOString() };
      breaches.push(
        c.target === "tier_budget"
          ? {
              type: "tier.budget_exceeded",
              at: c.dueAt,
              actorKind: "sla_timer",
              data: { ...base, tier: c.tier, minutes: c.targetMinutes, imported: true },
            }
          : { type: "sla.breached", at: c.dueAt, actorKind: "sla_timer", data: { ...base, imported: true } },
      );
    }
    const plan = planSla(ticket.id, ledger, policy, now);
    const tierEnteredAt = ticket.tier_entered_at ?? ticket.created_at;
    const planned = await writePlan(trx, ticket, plan, { now, tierEnteredAt });
    result.clocked++;
    if (breaches.length === 0) continue;
    breaches.sort((a, b) => a.at.getTime() - b.at.getTime());
    const latest = breaches.pop()!;
    await appendEvents(
      trx,
      null,
      breaches.map((e) => ({ ...e, ticketId: ticket.id })),
    );
    // The one decision: the rules see the latest breach now, as the timer would have told them.
    await app.events.record(SYSTEM_ACTOR, ticket.id, [latest], now, { trx, locked: planned });
    result.breachesRecorded += breaches.length + 1;
    result.decisions++;
  }
  return result;
}
