import type { Kysely } from "kysely";
import type { Actor } from "../auth/actor.ts";
import type { DB } from "../db/schema.ts";
import { CUSTOMER_EVENT_TYPES } from "@eskala/core/escalation";
import { assertVisible } from "./ticket-access.ts";
import { customerEvent } from "./customer-view.ts";

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
      const customer = actor.role === "customer";
      if (customer) q = q.where("e.type", "in", CUSTOMER_EVENT_TYPES);
      const rows = await q
        .orderBy("e.id")
        .limit(opts.limit ?? 1000)
        .execute();
      if (customer) {
        return rows
          .map((e) => customerEvent({ ...e, data: e.data as Record<string, unknown> }))
          .filter((e) => e !== null);
      }
      return rows.map((e) => {
        const data = e.data as Record<string, unknown>;
        return {
          id: String(e.id),
          ticket_id: e.ticket_id,
          type: e.type,
          actor: {
            kind: e.actor_kind,
            id: e.actor_id,
            name:
              e.actor_kind === "user" || e.actor_kind === "customer"
                ? e.actor_name
                : ((data.rule_name as string | undefined) ?? null),
          },
          data,
          at: e.at.toISOString(),
        };
      });
    },
  };
}
