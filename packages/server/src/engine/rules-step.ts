import { sql, type Transaction } from "kysely";
import { evaluateRules, type RuleEvent, type RuleEventType } from "@eskala/core/rules";
import { defer, deferredRows, isDeferred, type DeferredFlush } from "../db/deferred.ts";
import type { DB, TicketRow } from "../db/schema.ts";
import { appendEvents } from "../tickets/ticket-events.ts";
import type { TicketChange } from "../tickets/ticket-hooks.ts";
import { ticketFacts, type OrgSnapshot } from "./org-cache.ts";
import type { RuleActions } from "./rule-actions.ts";
import type { RulesService } from "./rules.service.ts";

/** Rule chains deeper than this stop with a recorded reason (core's loop check refuses most loops at save time). */
export const MAX_RULE_DEPTH = 8;
/** A customer message at or below this sentiment score raises `sentiment.negative`. */
export const NEGATIVE_SENTIMENT = -0.6;

const PASS_THROUGH = new Set<string>([
  "sla.warning",
  "sla.breached",
  "ticket.idle",
  "tier.budget_exceeded",
  "csat.low",
  "escalation.requested",
]);

/** The rule events one timeline event raises. Each timeline event is one occurrence. */
export function ruleEventsOf(e: TicketChange["events"][number], change: TicketChange): RuleEvent[] {
  const key = `ev:${e.id}`;
  const d = e.data ?? {};
  if (e.type === "ticket.created") return [{ type: "ticket.created", occurrenceKey: key }];
  if (e.type === "ticket.updated" || e.type === "escalated") return [{ type: "ticket.updated", occurrenceKey: key }];
  if (e.type === "message.added" && d.kind === "reply") {
    if (d.author_role !== "customer") return [{ type: "message.agent", occurrenceKey: key }];
    const out: RuleEvent[] = [{ type: "message.customer", occurrenceKey: key }];
    const score = typeof d.sentiment === "number" ? d.sentiment : change.message?.sentiment;
    if (typeof score === "number" && score <= NEGATIVE_SENTIMENT)
      out.push({ type: "sentiment.negative", occurrenceKey: `${key}:sentiment`, data: { score } });
    return out;
  }
  if (PASS_THROUGH.has(e.type)) {
    const data: RuleEvent["data"] = {};
    if (typeof d.target === "string") data.target = d.target as never;
    if (typeof d.threshold === "number") data.threshold = d.threshold;
    if (typeof d.minutes === "number") data.minutes = d.minutes;
    if (typeof d.rating === "number") data.rating = d.rating;
    return [{ type: e.type as RuleEventType, occurrenceKey: key, data }];
  }
  return [];
}

interface FiringRow {
  rule_id: string;
  occurrence_key: string;
  ticket_id: string;
  fired_at: Date;
}

/** Writes a deferring transaction's rule firings (db/deferred.ts) in one statement. */
const flushFirings: DeferredFlush<FiringRow> = async (trx, rows) => {
  await sql`
    insert into rule_firings (rule_id, occurrence_key, ticket_id, fired_at)
    select rule_id, occurrence_key, ticket_id, fired_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(rule_id uuid, occurrence_key text, ticket_id uuid, fired_at timestamptz)
    on conflict (rule_id, occurrence_key) do nothing`.execute(trx);
};

/**
 * Claims a rule's firing for one occurrence; false if it fired already. Occurrences are named by
 * timeline event ids, and in a transaction that defers its writes those events are its own (their
 * ids reserved by it), so no other transaction can hold the claim: the buffer is the whole check.
 */
async function claimFiring(trx: Transaction<DB>, row: FiringRow): Promise<boolean> {
  if (isDeferred(trx)) {
    const waiting = deferredRows(trx, flushFirings);
    if (waiting.some((f) => f.rule_id === row.rule_id && f.occurrence_key === row.occurrence_key)) return false;
    if (row.occurrence_key.startsWith("ev:")) return defer(trx, flushFirings, row);
  }
  const claimed = await trx
    .insertInto("rule_firings")
    .values(row)
    .onConflict((oc) => oc.columns(["rule_id", "occurrence_key"]).doNothing())
    .returning("rule_id")
    .executeTakeFirst();
  return claimed !== undefined;
}

/**
 * The rules step of the engine hook: the rule events the change's timeline events raise, each
 * enabled rule evaluated on them, and each firing claimed once per occurrence and its actions applied.
 */
export async function runRulesStep(
  trx: Transaction<DB>,
  change: TicketChange,
  current: TicketRow,
  snapshot: OrgSnapshot,
  deps: { rules: RulesService; applyAction: RuleActions["applyAction"] },
): Promise<TicketRow> {
  let ticket = current;
  const depth = change.depth ?? 0;
  const { rules, applyAction } = deps;
  const ruleEvents = change.events.flatMap((e) => ruleEventsOf(e, change));
  if (ruleEvents.length === 0) return ticket;
  const enabled = await rules.enabled(trx);
  if (enabled.length === 0) return ticket;
  if (depth >= MAX_RULE_DEPTH) {
    await appendEvents(trx, null, [
      {
        ticketId: ticket.id,
        type: "rule.chain_stopped",
        at: change.now,
        actorKind: "rule",
        data: { reason: "depth_exceeded", depth },
      },
    ]);
    return ticket;
  }

  for (const event of ruleEvents) {
    const previous =
      event.type === "ticket.updated" && change.previous ? ticketFacts(change.previous, snapshot) : undefined;
    const result = evaluateRules(enabled, event, ticketFacts(ticket, snapshot), change.now, new Set(), previous);
    for (const firing of result.firings) {
      // Fire once per (rule, occurrence), even if the same change is replayed.
      const claimed = await claimFiring(trx, {
        rule_id: firing.ruleId,
        occurrence_key: firing.occurrenceKey,
        ticket_id: ticket.id,
        fired_at: change.now,
      });
      if (!claimed) continue;
      await appendEvents(trx, null, [
        {
          ticketId: ticket.id,
          type: "rule.fired",
          at: change.now,
          actorKind: "rule",
          data: {
            rule_id: firing.ruleId,
            rule_name: firing.ruleName,
            event: event.type,
            actions: firing.actions.map((a) => a.type),
          },
        },
      ]);
      // People told of the ticket by an earlier action of this firing ("escalated to you" names
      // the rule and its event): its notify actions tell only the others, one notice per person.
      const notified = new Set<string>();
      for (const action of firing.actions) {
        ticket = await applyAction(trx, ticket, action, {
          ruleId: firing.ruleId,
          ruleName: firing.ruleName,
          event,
          depth: depth + 1,
          now: change.now,
          notified,
        });
      }
    }
  }
  return ticket;
}
