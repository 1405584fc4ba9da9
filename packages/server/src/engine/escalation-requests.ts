import type { Kysely } from "kysely";
import { planCustomerRequest, type CustomerRequestReason } from "@eskala/core/escalation";
import type { Actor } from "../auth/actor.ts";
import type { DB } from "../db/schema.ts";
import { AppError } from "../lib/app-error.ts";
import { assertVisible } from "../tickets/ticket-access.ts";
import { appendEvents, type TimelineEvent } from "../tickets/ticket-events.ts";
import { runHooks, type TicketHook } from "../tickets/ticket-hooks.ts";
import { findTicketForUpdate } from "../tickets/ticket.repo.ts";
import type { EngineEffects } from "./effects.ts";
import type { ApplyEscalation } from "./escalation-apply.ts";
import { customerRequestError } from "./escalation-errors.ts";
import type { RequestResponseDue } from "./escalation-types.ts";
import { ticketFacts, type OrgCache } from "./org-cache.ts";
import { setTimers } from "./timers.ts";

/**
 * Customers' escalation requests: recorded and acknowledged to the customer at once (the move to
 * the group's supervisor through `apply`), acknowledged in person by a supervisor, and listed.
 */
export function createEscalationRequests(deps: {
  db: Kysely<DB>;
  hooks: TicketHook[];
  org: OrgCache;
  effects: EngineEffects;
  apply: ApplyEscalation;
}) {
  const { db, hooks, org, effects, apply } = deps;
  return {
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
