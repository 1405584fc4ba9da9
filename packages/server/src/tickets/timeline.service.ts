import type { Kysely } from "kysely";
import type { Actor } from "../auth/actor.ts";
import type { DB } from "../db/schema.ts";
import { assertVisible } from "./ticket-access.ts";

/** Event types a customer may see on their own ticket, with their data reduced to what is public. */
const CUSTOMER_EVENTS: Record<string, (data: Record<string, unknown>) => Record<string, unknown>> = {
  "ticket.created": () => ({}),
  "ticket.imported": () => ({}),
  "ticket.updated": (d) => {
    const changes = (d.changes ?? {}) as Record<string, unknown>;
    return changes.status ? { changes: { status: changes.status } } : {};
  },
  escalated: (d) => ({ to_tier: d.to_tier, customer_text: d.customer_text }),
  "escalation.requested": (d) => ({ reason: d.reason }),
};

export function createTimelineService(deps: { db: Kysely<DB> }) {
  const { db } = deps;
  return {
    async list(actor: Actor, ticketId: string, opts: { afterId?: number; limit?: number } = {}) {
      const ticket = await db
        .selectFrom("tickets")
        .select(["requester_id", "organization_id"])
        .where("id", "=", ticketId)
        .executeTakeFirst();
      assertVisible(actor, ticket);
      let q = db
        .selectFrom("ticket_events as e")
        .leftJoin("users as u", "u.id", "e.actor_id")
        .selectAll("e")
        .select("u.name as actor_name")
        .where("e.ticket_id", "=", ticketId);
      if (opts.afterId) q = q.where("e.id", ">", opts.afterId);
      if (actor.role === "customer") q = q.where("e.type", "in", Object.keys(CUSTOMER_EVENTS));
      const rows = await q
        .orderBy("e.id")
        .limit(opts.limit ?? 1000)
        .execute();
      return rows
        .map((e) => {
          const data = e.data as Record<string, unknown>;
          const view = actor.role === "customer" ? CUSTOMER_EVENTS[e.type]!(data) : data;
          return {
            id: String(e.id),
            ticket_id: e.ticket_id,
            type: e.type,
            actor: {
              kind: e.actor_kind,
              id: actor.role === "customer" ? null : e.actor_id,
              name:
                e.actor_kind === "user" || e.actor_kind === "customer"
                  ? e.actor_name
                  : ((data.rule_name as string | undefined) ?? null),
            },
            data: view,
            at: e.at.toISOString(),
          };
        })
        .filter((e) => actor.role !== "customer" || e.type !== "ticket.updated" || Object.keys(e.data).length > 0);
    },
  };
}
