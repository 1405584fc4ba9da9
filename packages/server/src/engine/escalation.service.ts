import type { Kysely, Transaction } from "kysely";
import { planEscalation } from "@eskala/core/escalation";
import type { Actor } from "../auth/actor.ts";
import type { DB, TicketRow } from "../db/schema.ts";
import { AppError } from "../lib/app-error.ts";
import { assertVisible } from "../tickets/ticket-access.ts";
import type { TicketHook } from "../tickets/ticket-hooks.ts";
import { findTicketForUpdate } from "../tickets/ticket.repo.ts";
import type { EngineEffects } from "./effects.ts";
import { createApplyEscalation } from "./escalation-apply.ts";
import { planError } from "./escalation-errors.ts";
import { createEscalationRequests } from "./escalation-requests.ts";
import type { BusinessMinutes, EscalateInput, EscalationCause } from "./escalation-types.ts";
import { ticketFacts, type OrgCache } from "./org-cache.ts";

export type { BusinessMinutes, EscalateInput, EscalationCause, RequestResponseDue } from "./escalation-types.ts";

export type EscalationService = ReturnType<typeof createEscalationService>;

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
  const { db, org } = deps;
  const apply = createApplyEscalation(deps);

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

    ...createEscalationRequests({ ...deps, apply }),
  };
}
