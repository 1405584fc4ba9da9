import { randomUUID } from "node:crypto";
import { sql, type Insertable, type Kysely, type Transaction } from "kysely";
import { defer, type DeferredFlush } from "../db/deferred.ts";
import {
  composeHandoff,
  customerEscalationText,
  customerTierLabel,
  planCustomerRequest,
  planEscalation,
  type EscalationDecision,
  type EscalationReason,
  type EscalationTarget,
  type EscalationType,
  type CustomerRequestReason,
  type Handoff,
  type HandoffCause,
} from "@eskala/core/escalation";
import { ruleEventSentence, type RuleEvent } from "@eskala/core/rules";
import type { Actor } from "../auth/actor.ts";
import type { DB, HandoffNote, TicketRow } from "../db/schema.ts";
import { AppError } from "../lib/app-error.ts";
import { assertVisible } from "../tickets/ticket-access.ts";
import { appendEvents, type TimelineEvent } from "../tickets/ticket-events.ts";
import { runHooks, type TicketHook } from "../tickets/ticket-hooks.ts";
import { findTicketForUpdate, updateTicket } from "../tickets/ticket.repo.ts";
import type { EngineEffects } from "./effects.ts";
import { ticketFacts, type OrgCache, type OrgSnapshot } from "./org-cache.ts";
import { handoffFactsOf } from "./handoff-facts.ts";
import { forgetRoutingAgents, routeTicket } from "./routing.ts";
import { setTimers } from "./timers.ts";

const PLAN_ERRORS: Record<
  string,
  { status: "validation_failed" | "forbidden" | "invalid_transition" | "conflict"; field: string[]; message: string }
> = {
  unknown_target: { status: "validation_failed", field: ["to"], message: "unknown target" },
  forbidden: {
    status: "forbidden",
    field: ["to"],
    message: "beyond your powers: agents escalate upward from their own tier or to a department",
  },
  note_required: {
    status: "validation_failed",
    field: ["note"],
    message: "a handoff note is required: what was tried, what is known",
  },
  note_too_long: { status: "validation_failed", field: ["note"], message: "at most 5000 characters" },
  reason_text_required: {
    status: "validation_failed",
    field: ["reason_text"],
    message: "required when the reason is other",
  },
  same_level: { status: "conflict", field: ["to"], message: "the ticket is there already" },
  no_next_tier: { status: "validation_failed", field: ["to", "tier"], message: "there is no higher tier" },
  ticket_closed: { status: "invalid_transition", field: ["ticket"], message: "the ticket is closed" },
  type_mismatch: { status: "validation_failed", field: ["type"], message: "does not match the target" },
  request_already_open: {
    status: "conflict",
    field: ["ticket"],
    message: "an escalation request is already open for this ticket",
  },
  text_too_long: { status: "validation_failed", field: ["text"], message: "at most 2000 characters" },
};

function planError(code: string, field?: string): AppError {
  const e = PLAN_ERRORS[code] ?? { status: "validation_failed" as const, field: ["to"], message: code };
  // Core names the field inside the request ("group_id", "tier"); the API's body nests targets under "to".
  const path = field
    ? ["note", "reason_text", "type", "text"].includes(field)
      ? [field]
      : ["to", ...field.split(".")]
    : e.field;
  return new AppError(e.status, `${path.join(".")}: ${e.message}`, [{ path, message: e.message }]);
}

/**
 * What a customer reads when their escalation request cannot be taken: a sentence, never a field
 * path, target or group name. Any code not listed reads as the generic sentence.
 */
const CUSTOMER_REQUEST_ERRORS: Record<
  string,
  { status: "validation_failed" | "forbidden" | "invalid_transition" | "conflict"; field?: string; message: string }
> = {
  forbidden: { status: "forbidden", message: "Only the person who opened this ticket can ask for escalation." },
  ticket_closed: {
    status: "invalid_transition",
    message: "This ticket is closed. Please open a new ticket if you still need help.",
  },
  request_already_open: {
    status: "conflict",
    message: "You have already asked for escalation on this ticket. A supervisor will reply to you.",
  },
  reason_text_required: { status: "validation_failed", field: "text", message: "Please tell us why you are asking." },
  text_too_long: { status: "validation_failed", field: "text", message: "Please keep it under 2000 characters." },
};

function customerRequestError(code: string): AppError {
  const e = CUSTOMER_REQUEST_ERRORS[code] ?? {
    status: "validation_failed" as const,
    message: "We could not record your request. Please reply to the ticket instead.",
  };
  return new AppError(e.status, e.message, e.field ? [{ path: [e.field], message: e.message }] : undefined);
}

export interface EscalateInput {
  to: EscalationTarget;
  type?: EscalationType | undefined;
  reason: EscalationReason;
  reason_text?: string | null | undefined;
  note?: string | null | undefined;
}

/** How an escalation was caused, for the record and the timeline. */
export interface EscalationCause {
  trigger: "agent" | "rule" | "sla_timer" | "customer";
  ruleId?: string;
  ruleName?: string;
  depth?: number;
  /** The rule event that fired (a rule's or a deadline's move), for the handoff's "why". */
  event?: RuleEvent;
  /** A customer's request: their reason and own words, for the handoff's "why". */
  request?: { reason: string; text: string | null };
}

/** Business minutes between two instants on the ticket's SLA calendar; null when none applies. */
export type BusinessMinutes = (trx: Transaction<DB>, ticket: TicketRow, from: Date, to: Date) => Promise<number | null>;

/** A handoff's gist as a notification's flat params (the web words it with the ticket view's sentences). */
function handoffParams(h: Handoff): Record<string, string | number | null> {
  const asked = h.asked.latest ?? h.asked.first;
  return {
    why: h.why.kind,
    rule: h.why.rule ?? null,
    event: h.why.event ?? null,
    target: h.why.target ?? null,
    threshold: h.why.threshold ?? null,
    minutes: h.why.minutes ?? null,
    request_reason: h.why.kind === "customer" || h.why.kind === "routing" ? (h.why.reason ?? null) : null,
    words: h.why.words ?? null,
    asked: asked ? asked.text : null,
  };
}

/** The handoff note a person wrote at the ticket's last move (not an automatic one). */
function previousPersonNote(ticket: TicketRow) {
  const note = ticket.handoff_note as HandoffNote | null;
  if (!note || note.handoff || !note.author_id) return null;
  return { body: note.body, at: new Date(note.at), authorName: note.author_name };
}

/** What the handoff note reads when no person wrote one and the handoff says the rest (the ticket's language). */
const ROUTING_NOTE = {
  en: "No agent in this tier has the skill this ticket needs.",
  id: "Tidak ada agen di tier ini yang punya keahlian yang dibutuhkan tiket ini.",
} as const;

export type EscalationService = ReturnType<typeof createEscalationService>;

/** When a customer's escalation request made at `now` must be answered (the SLA policy's target in business time); null: no target. */
export type RequestResponseDue = (trx: Transaction<DB>, ticket: TicketRow, now: Date) => Promise<Date | null>;

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

/**
 * Escalations of every cause (a person, a rule, an SLA timer, the customer): core plans the
 * move, then one transaction writes the ticket, the escalation record, its timeline event, the
 * routing assignment, the hooks' reactions (new clocks, rules) and the outbox rows.
 */
export function createEscalationService(deps: {
  db: Kysely<DB>;
  hooks: TicketHook[];
  org: OrgCache;
  effects: EngineEffects;
  /** Time in the tier in business terms, for the automatic handoff (the SLA part's calendars). */
  businessMinutes?: BusinessMinutes;
}) {
  const { db, hooks, org, effects } = deps;

  /**
   * The automatic handoff of a move no person wrote a note for: the ticket's facts (read with the
   * batch's other tickets in a deadline batch: handoff-facts.ts) composed by core.
   */
  async function automaticHandoff(
    trx: Transaction<DB>,
    current: TicketRow,
    decision: EscalationDecision,
    cause: EscalationCause,
    now: Date,
  ): Promise<Handoff> {
    const facts = await handoffFactsOf(trx, current.id);
    const since = current.tier_entered_at ?? current.created_at;
    const business = deps.businessMinutes ? await deps.businessMinutes(trx, current, since, now) : null;
    const event = cause.event;
    let why: HandoffCause;
    if (cause.trigger === "customer")
      why = { kind: "customer", reason: cause.request?.reason ?? decision.reason, words: cause.request?.text ?? null };
    else if (!cause.ruleId && !event) why = { kind: "routing", reason: decision.reason };
    else
      why = {
        kind: cause.trigger === "sla_timer" ? "deadline" : "rule",
        ruleName: cause.ruleName ?? "",
        event: event?.type ?? "",
        target: typeof event?.data?.target === "string" ? event.data.target : null,
        threshold: typeof event?.data?.threshold === "number" ? event.data.threshold : null,
        minutes: typeof event?.data?.minutes === "number" ? event.data.minutes : null,
      };
    // A budget of another tier than the one left says nothing to the next level.
    const sla = facts.sla
      .filter((s) => !s.target.startsWith("tier_budget:") || s.target === `tier_budget:${decision.from.tier}`)
      .map((s) => (s.target.startsWith("tier_budget:") ? { ...s, target: "tier_budget" } : s));
    // The event that fires now may still wait in a deadline batch's buffer.
    if (
      event &&
      (event.type === "sla.breached" || event.type === "sla.warning") &&
      typeof event.data?.target === "string"
    )
      sla.push({
        target: event.data.target,
        state: event.type === "sla.breached" ? "breached" : "warning",
        dueAt: null,
        threshold: typeof event.data.threshold === "number" ? event.data.threshold : null,
      });
    return composeHandoff(
      {
        description: current.description,
        createdAt: current.created_at,
        firstCustomerMessage: null,
        latestCustomerMessage: facts.latestCustomerMessage,
        lastAgentReply: facts.lastAgentReply,
        notesCount: facts.notesCount,
        latestNote: facts.latestNote,
        previousNote: previousPersonNote(current),
        tierEnteredAt: since,
        businessMinutesInTier: business,
        sla: sla.filter(
          (s, i) => !(s.dueAt === null && sla.some((o, j) => j !== i && o.target === s.target && o.state === s.state)),
        ),
        nextDue:
          // The tier left behind's budget is no deadline for the next level.
          current.next_due_at &&
          current.next_due_target &&
          current.next_due_target !== "tier_budget" &&
          current.next_due_at > now
            ? { target: current.next_due_target, at: current.next_due_at }
            : null,
        fromTier: decision.from.tier,
        toTier: decision.to.tier,
        cause: why,
      },
      now,
    );
  }

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
    const handoff = byPerson ? null : await automaticHandoff(trx, current, decision, cause, now);
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

  /** Plans and applies an escalation in the caller's transaction (rules, timers) or a new one. */
  async function escalateInTrx(
    trx: Transaction<DB>,
    actor: Actor,
    current: TicketRow,
    input: EscalateInput,
    cause: EscalationCause,
    now: Date,
  ) {
    const snapshot = await org.get(trx);
    const kind =
      cause.trigger === "rule"
        ? "rule"
        : cause.trigger === "sla_timer"
          ? "sla_timer"
          : actor.role === "customer"
            ? "customer"
            : actor.role;
    const planned = planEscalation({
      ticket: ticketFacts(current, snapshot),
      actor: {
        kind,
        userId: actor.userId,
        ...(actor.tier !== null ? { tier: actor.tier } : {}),
        groupIds: actor.groupIds,
      },
      target: input.to,
      ...(input.type ? { type: input.type } : {}),
      reason: input.reason,
      reason_text: input.reason_text ?? null,
      note: input.note ?? null,
      org: snapshot.structure,
    });
    if (!planned.ok) throw planError(planned.code, planned.field);
    return apply(trx, current, planned.decision, actor, cause, now, snapshot);
  }

  return {
    escalateInTrx,

    async escalate(actor: Actor, ticketId: string, input: EscalateInput, now: Date) {
      if (actor.role === "customer")
        throw new AppError("forbidden", "Customers ask for escalation with an escalation request");
      return db.transaction().execute(async (trx) => {
        const current = assertVisible(actor, await findTicketForUpdate(trx, ticketId));
        return escalateInTrx(trx, actor, current, input, { trigger: "agent" }, now);
      });
    },

    async list(actor: Actor, ticketId: string) {
      const t = await db
        .selectFrom("tickets")
        .select(["requester_id", "organization_id"])
        .where("id", "=", ticketId)
        .executeTakeFirst();
      assertVisible(actor, t);
      if (actor.role === "customer")
        throw new AppError("forbidden", "Escalation records are internal; follow the ticket's status instead");
      return db
        .selectFrom("escalations as e")
        .leftJoin("users as u", "u.id", "e.actor_id")
        .selectAll("e")
        .select("u.name as actor_name")
        .where("e.ticket_id", "=", ticketId)
        .orderBy("e.created_at")
        .execute();
    },

    /** A customer's request for escalation: recorded, escalated to the group's supervisor, acknowledged, with its own response target. */
    async request(
      actor: Actor,
      ticketId: string,
      input: { reason: CustomerRequestReason; text?: string | undefined },
      now: Date,
      responseDue: RequestResponseDue,
    ) {
      return db.transaction().execute(async (trx) => {
        const current = assertVisible(actor, await findTicketForUpdate(trx, ticketId));
        if (actor.role !== "customer" || current.requester_id !== actor.userId) {
          throw new AppError("forbidden", "Only the ticket's requester may request escalation");
        }
        const open = await trx
          .selectFrom("escalation_requests")
          .select("id")
          .where("ticket_id", "=", ticketId)
          .where("status", "!=", "resolved")
          .executeTakeFirst();
        const snapshot = await org.get(trx);
        const planned = planCustomerRequest({
          ticket: ticketFacts(current, snapshot),
          customerId: actor.userId,
          reason: input.reason,
          text: input.text ?? null,
          hasOpenRequest: !!open,
          org: snapshot.structure,
        });
        if (!planned.ok) throw customerRequestError(planned.code);
        // The policy's target in business time on its calendar; without one, 4 hours.
        const dueAt = (await responseDue(trx, current, now)) ?? new Date(now.getTime() + 240 * 60_000);
        const { escalationId, ticket } =
          planned.decision.to.group_id === current.group_id && planned.decision.to.assignee_id === current.assignee_id
            ? { escalationId: null, ticket: current }
            : await apply(
                trx,
                current,
                planned.decision,
                actor,
                { trigger: "customer", request: { reason: input.reason, text: planned.request.text } },
                now,
                snapshot,
              );
        const req = await trx
          .insertInto("escalation_requests")
          .values({
            ticket_id: ticketId,
            requester_id: actor.userId,
            reason: input.reason,
            text: planned.request.text,
            status: "acknowledged",
            escalation_id: escalationId,
            due_at: dueAt,
            acknowledged_at: now,
            created_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        if (planned.tell) {
          // The ticket stays with its group (no supervisor there): the nearest lead, or the admins, hear of it.
          const userIds =
            "supervisorIds" in planned.tell
              ? planned.tell.supervisorIds
              : (
                  await trx
                    .selectFrom("users")
                    .select("id")
                    .where("role", "=", "admin")
                    .where("disabled", "=", false)
                    .execute()
                ).map((u) => u.id);
          if (userIds.length)
            await effects.notify?.(trx, {
              userIds,
              kind: "escalation.requested",
              title: `#${current.number} escalation requested: ${current.subject}`,
              body: `The customer asked for escalation (${input.reason.replace(/_/g, " ")}).`,
              params: { number: current.number, subject: current.subject, reason: input.reason },
              ticketId,
              key: `escreq:${req.id}`,
              now,
            });
        }
        const events: TimelineEvent[] = [
          {
            ticketId,
            type: "escalation.requested",
            at: now,
            data: { request_id: req.id, reason: input.reason, text: planned.request.text, due_at: dueAt.toISOString() },
          },
        ];
        const ids = await appendEvents(trx, actor, events);
        await setTimers(trx, [
          { ticketId, kind: "escalation_request.due", key: `escreq:${req.id}`, dueAt, data: { request_id: req.id } },
        ]);
        await effects.customerEmail?.(
          trx,
          ticket,
          "escalation_request.acknowledged",
          { due_at: dueAt.toISOString() },
          `escreq:${req.id}`,
          now,
        );
        await runHooks(hooks, trx, {
          ticket,
          previous: current,
          events: events.map((e, i) => ({ ...e, id: ids[i]! })),
          actor,
          now,
        });
        return req;
      });
    },

    /**
     * A supervisor (or admin) acknowledges a customer's escalation request in person: recorded on
     * the request and the ticket's timeline, which the customer's portal hears of live.
     */
    async acknowledgeRequest(actor: Actor, requestId: string, now: Date) {
      if (actor.role !== "supervisor" && actor.role !== "admin")
        throw new AppError("forbidden", "Supervisors acknowledge escalation requests");
      return db.transaction().execute(async (trx) => {
        const req = await trx
          .selectFrom("escalation_requests")
          .selectAll()
          .where("id", "=", requestId)
          .forUpdate()
          .executeTakeFirst();
        if (!req)
          throw new AppError("not_found", "No such escalation request", [{ path: ["id"], message: "not found" }]);
        const current = assertVisible(actor, await findTicketForUpdate(trx, req.ticket_id));
        if (req.status === "resolved")
          throw new AppError("invalid_transition", "The request was answered already", [
            { path: ["status"], message: "resolved" },
          ]);
        if (req.acknowledged_by) return req;
        const row = await trx
          .updateTable("escalation_requests")
          .set({ status: "acknowledged", acknowledged_at: now, acknowledged_by: actor.userId })
          .where("id", "=", requestId)
          .returningAll()
          .executeTakeFirstOrThrow();
        const events: TimelineEvent[] = [
          { ticketId: current.id, type: "escalation.acknowledged", at: now, data: { request_id: req.id } },
        ];
        const ids = await appendEvents(trx, actor, events);
        await runHooks(hooks, trx, {
          ticket: current,
          previous: current,
          events: events.map((e, i) => ({ ...e, id: ids[i]! })),
          actor,
          now,
        });
        return row;
      });
    },

    async listRequests(actor: Actor, filter: { ticketId?: string; status?: string; requestId?: string }) {
      if (filter.ticketId) {
        const t = await db
          .selectFrom("tickets")
          .select(["requester_id", "organization_id"])
          .where("id", "=", filter.ticketId)
          .executeTakeFirst();
        assertVisible(actor, t);
      } else if (actor.role === "customer" || actor.role === "agent") {
        throw new AppError("forbidden", "Supervisors see all escalation requests");
      }
      let q = db
        .selectFrom("escalation_requests as r")
        .innerJoin("tickets as t", "t.id", "r.ticket_id")
        .innerJoin("users as c", "c.id", "r.requester_id")
        .leftJoin("users as s", "s.id", "r.acknowledged_by")
        .selectAll("r")
        .select([
          "t.number",
          "t.subject",
          "t.assignee_id",
          "t.group_id",
          "c.name as customer_name",
          "c.email as customer_email",
          "s.name as acknowledged_by_name",
        ]);
      if (filter.ticketId) q = q.where("r.ticket_id", "=", filter.ticketId);
      if (filter.requestId) q = q.where("r.id", "=", filter.requestId);
      if (filter.status === "open") q = q.where("r.status", "!=", "resolved");
      else if (filter.status) q = q.where("r.status", "=", filter.status as never);
      return q.orderBy("r.created_at", "desc").limit(200).execute();
    },
  };
}
