import { sql, type Transaction } from "kysely";
import { defer, deferredRows, isDeferred, type DeferredFlush } from "../db/deferred.ts";
import {
  evaluateRules,
  ruleEventSentence,
  type RuleAction,
  type RuleEvent,
  type RuleEventType,
} from "@eskala/core/rules";
import { SYSTEM_ACTOR } from "../auth/actor.ts";
import { AppError } from "../lib/app-error.ts";
import type { DB, TicketRow } from "../db/schema.ts";
import { updateTicket, type TicketPatch } from "../tickets/ticket.repo.ts";
import { appendEvents, type TimelineEvent } from "../tickets/ticket-events.ts";
import { recordChange, type TicketChange, type TicketHook } from "../tickets/ticket-hooks.ts";
import type { EngineEffects } from "./effects.ts";
import type { EscalationService } from "./escalation.service.ts";
import { ticketFacts, type OrgCache } from "./org-cache.ts";
import { forgetRoutingAgents, routeTicket } from "./routing.ts";
import { ruleNotice } from "../notify/rule-notice.ts";
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
function ruleEventsOf(e: TicketChange["events"][number], change: TicketChange): RuleEvent[] {
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
 * The escalation engine's reaction to every ticket change, inside its transaction: route new
 * tickets (or move them up when nobody in the tier has the skill), close customer escalation
 * requests that got an answer, and run the rules once per occurrence of their event.
 */
export function createEngineHook(deps: {
  hooks: TicketHook[];
  org: OrgCache;
  rules: RulesService;
  escalations: EscalationService;
  effects: EngineEffects;
  /** Hands an agent with room the waiting tickets they fit. */
  fillAgent?: (trx: Transaction<DB>, agentId: string, now: Date) => Promise<string[]>;
}): TicketHook {
  const { org, rules, escalations, effects } = deps;

  return async (trx, change) => {
    let ticket = change.ticket;
    const depth = change.depth ?? 0;
    const snapshot = await org.get(trx);
    const types = new Set(change.events.map((e) => e.type));

    if (types.has("ticket.created") && !ticket.assignee_id) {
      const routed = await routeTicket(trx, ticket, snapshot, change.now);
      if ("assigned" in routed) {
        ticket = await updateTicket(trx, ticket, { assignee_id: routed.assigned });
        await appendEvents(trx, null, [
          {
            ticketId: ticket.id,
            type: "assigned",
            at: change.now,
            actorKind: "system",
            data: { assignee_id: routed.assigned, by: "routing" },
          },
        ]);
      } else if ("missingSkill" in routed && snapshot.structure.defaultGroupByTier[ticket.tier + 1]) {
        const moved = await escalations.escalateInTrx(
          trx,
          SYSTEM_ACTOR,
          ticket,
          { to: { tier: "next" }, reason: "missing_skill" },
          { trigger: "rule", ruleName: "Routing", depth: depth + 1 },
          change.now,
        );
        ticket = moved.ticket;
      }
    }

    if (change.message?.kind === "reply" && change.message.authorRole !== "customer") {
      await trx
        .updateTable("escalation_requests")
        .set({ status: "resolved", resolved_at: change.now })
        .where("ticket_id", "=", ticket.id)
        .where("status", "!=", "resolved")
        .execute();
    }

    // A person's change that frees an agent (solved, closed, or handed to someone else): the agent
    // takes the next waiting ticket they fit. Rule and deadline moves wait for the agent's next
    // such change or their coming online, so a burst of deadlines does no extra work per ticket.
    const freed = change.previous?.assignee_id;
    if (freed && change.actor.via !== "system" && deps.fillAgent) {
      const closed = (s: string) => s === "solved" || s === "closed";
      if (ticket.assignee_id !== freed || (closed(ticket.status) && !closed(change.previous!.status)))
        await deps.fillAgent(trx, freed, change.now);
    }

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
  };

  async function applyAction(
    trx: Transaction<DB>,
    ticket: TicketRow,
    action: RuleAction,
    ctx: { ruleId: string; ruleName: string; event: RuleEvent; depth: number; now: Date; notified: Set<string> },
  ): Promise<TicketRow> {
    const { now } = ctx;
    const key = `rule:${ctx.ruleId}:${ctx.event.occurrenceKey}`;
    try {
      switch (action.type) {
        case "escalate": {
          const trigger =
            ctx.event.type === "sla.breached" ||
            ctx.event.type === "sla.warning" ||
            ctx.event.type === "tier.budget_exceeded"
              ? "sla_timer"
              : "rule";
          // Worded in the ticket's language, never the event's raw name; the escalation adds the handoff composed from the ticket.
          const note = `${ctx.ruleName}: ${ruleEventSentence(ctx.event, ticket.language)}`;
          const res = await escalations.escalateInTrx(
            trx,
            SYSTEM_ACTOR,
            ticket,
            { to: action.to, reason: action.reason, reason_text: action.reason_text ?? null, note },
            { trigger, ruleId: ctx.ruleId, ruleName: ctx.ruleName, depth: ctx.depth, event: ctx.event },
            now,
          );
          for (const userId of res.notified) ctx.notified.add(userId);
          return res.ticket;
        }
        case "set_priority":
          return change(
            trx,
            ticket,
            { priority: action.priority, priority_rank: ["low", "medium", "high", "urgent"].indexOf(action.priority) },
            ctx,
          );
        case "add_tag":
          return ticket.tags.includes(action.tag)
            ? ticket
            : change(trx, ticket, { tags: [...ticket.tags, action.tag] }, ctx);
        case "remove_tag":
          return ticket.tags.includes(action.tag)
            ? change(trx, ticket, { tags: ticket.tags.filter((t) => t !== action.tag) }, ctx)
            : ticket;
        case "assign": {
          if (action.agent_id !== "auto") return change(trx, ticket, { assignee_id: action.agent_id }, ctx);
          const routed = await routeTicket(
            trx,
            { ...ticket, assignee_id: null },
            await org.get(trx),
            now,
            ticket.assignee_id ? { excludeAgentIds: [ticket.assignee_id] } : {},
          );
          return "assigned" in routed ? change(trx, ticket, { assignee_id: routed.assigned }, ctx) : ticket;
        }
        case "internal_note": {
          const msg = await trx
            .insertInto("messages")
            .values({
              ticket_id: ticket.id,
              author_id: null,
              kind: "note",
              body: action.body,
              channel: "api",
              created_at: now,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          await appendEvents(trx, null, [
            {
              ticketId: ticket.id,
              type: "message.added",
              at: now,
              actorKind: "rule",
              data: { message_id: msg.id, kind: "note", author_role: "rule", rule_name: ctx.ruleName },
            },
          ]);
          return ticket;
        }
        case "notify":
          await notify(trx, ticket, action, ctx, key);
          return ticket;
      }
    } catch (err) {
      // A database error aborts the transaction: let it go up (the timer is retried, the request fails).
      if (!(err instanceof AppError)) throw err;
      // A rule whose action cannot apply (no higher tier, unknown agent) is recorded, never fatal to the change.
      const code = (err as { code?: string }).code ?? "error";
      await appendEvents(trx, null, [
        {
          ticketId: ticket.id,
          type: "rule.action_failed",
          at: now,
          actorKind: "rule",
          data: {
            rule_id: ctx.ruleId,
            rule_name: ctx.ruleName,
            action: action.type,
            code,
            detail: String((err as Error).message),
          },
        },
      ]);
      return ticket;
    }
  }

  async function change(
    trx: Transaction<DB>,
    current: TicketRow,
    set: TicketPatch,
    ctx: { ruleId: string; ruleName: string; depth: number; now: Date },
  ) {
    if ("assignee_id" in set || "status" in set) forgetRoutingAgents(trx);
    const changes = Object.fromEntries(
      Object.entries(set)
        .filter(([k]) => k !== "priority_rank")
        .map(([k, v]) => [k, [current[k as keyof TicketRow], v]]),
    );
    const ticket = await updateTicket(trx, current, set, ctx.now);
    const events: TimelineEvent[] = [
      {
        ticketId: ticket.id,
        type: "ticket.updated",
        at: ctx.now,
        actorKind: "rule",
        data: { changes, rule_id: ctx.ruleId, rule_name: ctx.ruleName },
      },
    ];
    return recordChange(deps.hooks, trx, null, {
      ticket,
      previous: current,
      events,
      actor: SYSTEM_ACTOR,
      now: ctx.now,
      depth: ctx.depth,
    });
  }

  async function notify(
    trx: Transaction<DB>,
    ticket: TicketRow,
    action: Extract<RuleAction, { type: "notify" }>,
    ctx: { ruleName: string; event: RuleEvent; now: Date; notified: Set<string> },
    key: string,
  ) {
    const snapshot = await org.get(trx);
    const group = snapshot.structure.groups.find((g) => g.id === ticket.group_id);
    let userIds: string[] = [];
    switch (action.channel) {
      case "customer": {
        // The periodic update is one mail per period whoever asks for it (the channels send it by
        // default): keyed by the period's timeline event, so a rule that also sends it adds nothing.
        const period = ctx.event.type === "sla.breached" && ctx.event.data?.target === "periodic_update";
        const occurrence = period ? `periodic-${ctx.event.occurrenceKey}` : key;
        await effects.customerEmail?.(
          trx,
          ticket,
          action.template ?? "ticket.periodic_update",
          {},
          occurrence,
          ctx.now,
        );
        return;
      }
      case "webhook":
        await effects.webhook?.(
          trx,
          ctx.event.type,
          {
            ticket_id: ticket.id,
            number: ticket.number,
            rule: ctx.ruleName,
            event: ctx.event.type,
            data: ctx.event.data ?? {},
          },
          { ticketId: ticket.id, key, now: ctx.now },
        );
        return;
      case "assignee":
        userIds = ticket.assignee_id ? [ticket.assignee_id] : [...(group?.supervisor_ids ?? [])];
        break;
      case "supervisor":
        userIds = [...(group?.supervisor_ids ?? [])];
        break;
      case "agent":
        userIds = action.agent_id ? [action.agent_id] : [];
        break;
      case "group":
        userIds = ticket.group_id
          ? (
              await trx.selectFrom("group_members").select("user_id").where("group_id", "=", ticket.group_id).execute()
            ).map((r) => r.user_id)
          : [];
        break;
    }
    userIds = userIds.filter((id) => !ctx.notified.has(id));
    if (userIds.length)
      await effects.notify?.(trx, {
        userIds,
        ...ruleNotice(ticket, ctx.ruleName, ctx.event),
        ticketId: ticket.id,
        key,
        now: ctx.now,
      });
  }
}
