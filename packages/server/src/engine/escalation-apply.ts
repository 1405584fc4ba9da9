import { randomUUID } from "node:crypto";
import { sql, type Insertable, type Transaction } from "kysely";
import {
  customerEscalationText,
  customerTierLabel,
  type EscalationDecision,
  type Handoff,
} from "@eskala/core/escalation";
import { ruleEventSentence } from "@eskala/core/rules";
import type { Actor } from "../auth/actor.ts";
import { defer, type DeferredFlush } from "../db/deferred.ts";
import type { DB, TicketRow } from "../db/schema.ts";
import { appendEvents, type TimelineEvent } from "../tickets/ticket-events.ts";
import { runHooks, type TicketHook } from "../tickets/ticket-hooks.ts";
import { updateTicket } from "../tickets/ticket.repo.ts";
import type { EngineEffects } from "./effects.ts";
import { automaticHandoff, handoffParams, ROUTING_NOTE } from "./escalation-handoff.ts";
import type { BusinessMinutes, EscalationCause } from "./escalation-types.ts";
import type { OrgSnapshot } from "./org-cache.ts";
import { forgetRoutingAgents, routeTicket } from "./routing.ts";

type EscalationRow = Insertable<DB["escalations"]> & { id: string; handoff?: Handoff | null };

/** Writes a deferring transaction's escalation records (db/deferred.ts) in one statement. */
const flushEscalations: DeferredFlush<EscalationRow> = async (trx, rows) => {
  const columns = sql.join(Object.keys(rows[0]!).map((c) => sql.ref(c)));
  await sql`insert into escalations (${columns})
    select ${columns} from jsonb_populate_recordset(null::escalations, ${JSON.stringify(rows)}::jsonb)`.execute(trx);
};

/** The escalation record, now or (in a deferring transaction) with the others at its end. */
async function insertEscalation(trx: Transaction<DB>, row: EscalationRow): Promise<{ id: string }> {
  if (!defer(trx, flushEscalations, row))
    await trx
      .insertInto("escalations")
      .values({ ...row, handoff: row.handoff ? JSON.stringify(row.handoff) : null })
      .execute();
  return { id: row.id };
}

/** Applies a planned move: the ticket, the escalation record, its timeline event, routing, notices, the hooks. */
export type ApplyEscalation = ReturnType<typeof createApplyEscalation>;

/**
 * The write side of every escalation (a person, a rule, an SLA timer, the customer's request): one
 * ticket update with the routing decided before it, the record, the event, the outbox rows and the hooks,
 * all in the caller's transaction.
 */
export function createApplyEscalation(deps: {
  hooks: TicketHook[];
  effects: EngineEffects;
  /** Time in the tier in business terms, for the automatic handoff (the SLA part's calendars). */
  businessMinutes?: BusinessMinutes | undefined;
}) {
  const { hooks, effects } = deps;
  return apply;

  async function apply(
    trx: Transaction<DB>,
    current: TicketRow,
    decision: EscalationDecision,
    actor: Actor,
    cause: EscalationCause,
    now: Date,
    snapshot: OrgSnapshot,
  ) {
    // A move no person wrote a note for (a rule, a deadline, routing, the customer's request)
    // carries a handoff composed from the ticket's own data.
    const byPerson = cause.trigger === "agent";
    const handoff = byPerson ? null : await automaticHandoff(deps.businessMinutes, trx, current, decision, cause, now);
    const fallback =
      decision.note ??
      (cause.trigger === "customer"
        ? ruleEventSentence({ type: "escalation.requested" }, current.language)
        : handoff?.why.kind === "routing"
          ? ROUTING_NOTE[current.language === "id" ? "id" : "en"]
          : null);
    const note =
      handoff && fallback
        ? {
            body: fallback,
            author_id: null,
            author_name: cause.ruleName ?? null,
            at: now.toISOString(),
            from_tier: decision.from.tier,
            to_tier: decision.to.tier,
            handoff,
          }
        : decision.note && actor.via !== "system"
          ? {
              body: decision.note,
              author_id: actor.userId,
              author_name: actor.name,
              at: now.toISOString(),
              from_tier: decision.from.tier,
              to_tier: decision.to.tier,
            }
          : decision.note
            ? {
                body: decision.note,
                author_id: null,
                author_name: cause.ruleName ?? null,
                at: now.toISOString(),
                from_tier: decision.from.tier,
                to_tier: decision.to.tier,
              }
            : null;
    const tierChanged = decision.to.tier !== current.tier;
    const status = current.status === "new" ? "open" : current.status;
    // Land with an agent of the target group when one fits (decided before the one update);
    // otherwise the ticket waits in the group queue.
    let assignee = decision.to.assignee_id;
    if (assignee) forgetRoutingAgents(trx);
    else {
      const target = { ...current, tier: decision.to.tier, group_id: decision.to.group_id, assignee_id: null, status };
      const routed = await routeTicket(trx, target, snapshot, now, {
        excludeAgentIds: current.assignee_id ? [current.assignee_id] : [],
      });
      if ("assigned" in routed) assignee = routed.assigned;
    }
    let ticket = await updateTicket(
      trx,
      current,
      {
        tier: decision.to.tier,
        group_id: decision.to.group_id,
        assignee_id: assignee,
        ...(note ? { handoff_note: note } : {}),
        escalation_count:
          current.escalation_count + (decision.type === "de_escalation" || decision.type === "reassignment" ? 0 : 1),
        escalated_at: now,
        ...(tierChanged ? { tier_entered_at: now } : {}),
        status,
      },
      now,
    );

    const record = await insertEscalation(trx, {
      id: randomUUID(),
      ticket_id: ticket.id,
      type: decision.type,
      reason: decision.reason,
      reason_text: decision.reason_text,
      trigger: cause.trigger,
      actor_id: actor.via === "system" ? null : actor.userId,
      rule_id: cause.ruleId ?? null,
      from_tier: decision.from.tier,
      to_tier: ticket.tier,
      from_group_id: decision.from.group_id,
      to_group_id: ticket.group_id,
      from_assignee_id: decision.from.assignee_id,
      to_assignee_id: ticket.assignee_id,
      note: decision.note,
      handoff,
      created_at: now,
    });

    const customerText = customerEscalationText(decision, ticket.language);
    const events: TimelineEvent[] = [
      {
        ticketId: ticket.id,
        type: "escalated",
        at: now,
        actorKind: cause.trigger === "rule" ? "rule" : cause.trigger === "sla_timer" ? "sla_timer" : undefined,
        data: {
          escalation_id: record.id,
          type: decision.type,
          reason: decision.reason,
          reason_text: decision.reason_text,
          trigger: cause.trigger,
          from_tier: decision.from.tier,
          to_tier: ticket.tier,
          from_group_id: decision.from.group_id,
          to_group_id: ticket.group_id,
          to_group_name: ticket.group_id ? (snapshot.groupNames.get(ticket.group_id) ?? null) : null,
          from_assignee_id: decision.from.assignee_id,
          to_assignee_id: ticket.assignee_id,
          ...(cause.ruleId ? { rule_id: cause.ruleId, rule_name: cause.ruleName } : {}),
          ...(customerText ? { customer_text: customerText } : {}),
        },
      },
    ];
    const ids = await appendEvents(
      trx,
      cause.trigger === "agent" || cause.trigger === "customer" ? actor : null,
      events,
    );

    const key = `escalation:${record.id}`;
    if (customerText)
      await effects.customerEmail?.(
        trx,
        ticket,
        "ticket.escalated",
        { tier_name: customerTierLabel(ticket.tier, ticket.language), customer_text: customerText },
        key,
        now,
      );
    const recipients = ticket.assignee_id
      ? [ticket.assignee_id]
      : (snapshot.structure.groups.find((g) => g.id === ticket.group_id)?.supervisor_ids ?? []).slice();
    if (recipients.length) {
      await effects.notify?.(trx, {
        userIds: recipients,
        kind: "escalated",
        title: `#${ticket.number} escalated to you: ${ticket.subject}`,
        body: decision.note ?? `Reason: ${decision.reason.replace(/_/g, " ")}.`,
        params: {
          number: ticket.number,
          subject: ticket.subject,
          from_tier: decision.from.tier,
          to_tier: ticket.tier,
          reason: decision.reason,
          note: decision.note ? decision.note.slice(0, 500) : null,
          ...(handoff ? handoffParams(handoff) : {}),
        },
        ticketId: ticket.id,
        key,
        now,
      });
    }
    // Collaborators follow the ticket through its moves (those already told above are not told twice).
    const followers = ticket.collaborator_ids.filter(
      (id) => !recipients.includes(id) && (actor.via === "system" || id !== actor.userId),
    );
    if (followers.length)
      await effects.notify?.(trx, {
        userIds: followers,
        kind: "collaborator.escalated",
        title: `#${ticket.number} ${ticket.subject}`,
        body: `A ticket you follow moved from Tier ${decision.from.tier} to Tier ${ticket.tier}.`,
        params: { number: ticket.number, subject: ticket.subject, from_tier: decision.from.tier, to_tier: ticket.tier },
        ticketId: ticket.id,
        key: `collaborator.escalated:${record.id}`,
        now,
      });
    await effects.webhook?.(
      trx,
      "ticket.escalated",
      {
        ticket_id: ticket.id,
        number: ticket.number,
        escalation_id: record.id,
        type: decision.type,
        reason: decision.reason,
        from_tier: decision.from.tier,
        to_tier: ticket.tier,
        trigger: cause.trigger,
      },
      { ticketId: ticket.id, key, now },
    );

    ticket = await runHooks(hooks, trx, {
      ticket,
      previous: current,
      events: events.map((e, i) => ({ ...e, id: ids[i]! })),
      actor,
      now,
      depth: cause.depth ?? 0,
    });
    // Who was told "escalated to you" (a rule's own notify in the same firing skips them).
    return { escalationId: record.id, ticket, notified: recipients };
  }
}
