import type { Transaction } from "kysely";
import { ruleEventSentence, type RuleAction, type RuleEvent } from "@eskala/core/rules";
import { SYSTEM_ACTOR } from "../auth/actor.ts";
import type { DB, TicketRow } from "../db/schema.ts";
import { AppError } from "../lib/app-error.ts";
import { ruleNotice } from "../notify/rule-notice.ts";
import { updateTicket, type TicketPatch } from "../tickets/ticket.repo.ts";
import { appendEvents, type TimelineEvent } from "../tickets/ticket-events.ts";
import { recordChange, type TicketHook } from "../tickets/ticket-hooks.ts";
import type { EngineEffects } from "./effects.ts";
import type { EscalationService } from "./escalation.service.ts";
import type { OrgCache } from "./org-cache.ts";
import { forgetRoutingAgents, routeTicket } from "./routing.ts";

export type RuleActions = ReturnType<typeof createRuleActions>;

/**
 * What a rule's firing does, action by action, in the change's transaction: escalate, set the
 * priority, tags or assignee (a rule-made `ticket.updated` change with its own hooks), write an
 * internal note, or notify. An action that cannot apply is recorded as `rule.action_failed`.
 */
export function createRuleActions(deps: {
  hooks: TicketHook[];
  org: OrgCache;
  escalations: EscalationService;
  effects: EngineEffects;
}) {
  const { org, escalations, effects } = deps;
  return { applyAction };

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
