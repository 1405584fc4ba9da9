import { sql, type Kysely } from "kysely";
import type { Actor } from "../auth/actor.ts";
import type { DB } from "../db/schema.ts";
import { forbidden } from "../lib/app-error.ts";
import { presentTicketSummary } from "../tickets/ticket.presenter.ts";
import type { TicketView } from "../tickets/ticket.repo.ts";

const OPEN = ["new", "open", "pending", "on_hold"] as const;

function base(db: Kysely<DB>) {
  return db
    .selectFrom("tickets as t")
    .innerJoin("users as r", "r.id", "t.requester_id")
    .leftJoin("tiers as ti", "ti.level", "t.tier")
    .leftJoin("groups as g", "g.id", "t.group_id")
    .leftJoin("users as a", "a.id", "t.assignee_id")
    .leftJoin("organizations as o", "o.id", "t.organization_id")
    .leftJoin("categories as c", "c.id", "t.category_id")
    .selectAll("t")
    .select([
      "ti.name as tier_name",
      "g.name as group_name",
      "a.name as assignee_name",
      "r.name as requester_name",
      "r.email as requester_email",
      "o.name as organization_name",
      "c.name as category_name",
    ])
    .where("t.status", "in", OPEN);
}

/** The agent console's queues: mine, my groups' unassigned, breaching soon (nearest deadline first), escalated to me. */
export async function queue(
  db: Kysely<DB>,
  actor: Actor,
  name: "mine" | "group" | "breaching" | "escalated-to-me",
  limit: number,
) {
  if (actor.role === "customer") throw forbidden("Queues are for agents");
  const groups = [...new Set([...actor.groupIds, ...actor.supervisedGroupIds])];
  let q = base(db);
  switch (name) {
    case "mine":
      q = q
        .where("t.assignee_id", "=", actor.userId)
        .orderBy(sql`t.next_due_at nulls last`)
        .orderBy("t.created_at");
      break;
    case "group":
      q = q
        .where("t.assignee_id", "is", null)
        .where("t.group_id", "in", groups.length ? groups : ["00000000-0000-0000-0000-000000000000"])
        .orderBy(sql`t.next_due_at nulls last`)
        .orderBy("t.created_at");
      break;
    case "breaching":
      q = q.where("t.next_due_at", "is not", null);
      if (actor.role !== "admin")
        q = q.where((eb) =>
          eb.or([
            eb("t.assignee_id", "=", actor.userId),
            eb("t.group_id", "in", groups.length ? groups : ["00000000-0000-0000-0000-000000000000"]),
          ]),
        );
      q = q.orderBy("t.next_due_at");
      break;
    case "escalated-to-me":
      q = q
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom("escalations as e")
              .select("e.id")
              .whereRef("e.ticket_id", "=", "t.id")
              .where((w) =>
                w.or([
                  w("e.to_assignee_id", "=", actor.userId),
                  w.and([
                    w("e.to_assignee_id", "is", null),
                    w("e.to_group_id", "in", groups.length ? groups : ["00000000-0000-0000-0000-000000000000"]),
                  ]),
                ]),
              )
              .where("e.type", "in", ["hierarchical", "functional", "supervisor"]),
          ),
        )
        .where((eb) => eb.or([eb("t.assignee_id", "=", actor.userId), eb("t.assignee_id", "is", null)]))
        .orderBy("t.escalated_at", "desc");
      break;
  }
  const rows = await q.limit(limit).execute();
  return rows.map((r) => ({
    ...presentTicketSummary(r as unknown as TicketView),
    next_due_at: r.next_due_at ? new Date(r.next_due_at).toISOString() : null,
    next_due_target: r.next_due_target ?? null,
  }));
}

/** The supervisor board: live SLA risk, escalations of the last 24 hours by reason, open customer requests, agent load. */
export async function board(db: Kysely<DB>, actor: Actor, now: Date) {
  if (actor.role !== "supervisor" && actor.role !== "admin") throw forbidden("The board is for supervisors");
  const since = new Date(now.getTime() - 86_400_000);
  const [risk, byReason, requests, agents] = await Promise.all([
    // Fresh breaches first (newest first), then what breaches next (nearest first): a supervisor sees a
    // new breach at the top of the board even when older ones are still open.
    base(db)
      .where("t.next_due_at", "<=", now)
      .where("t.next_due_at", ">", new Date(now.getTime() - 7 * 86_400_000))
      .orderBy("t.next_due_at", "desc")
      .limit(25)
      .execute()
      .then(async (breached) => [...breached, ...(await base(db).where("t.next_due_at", ">", now).orderBy("t.next_due_at").limit(50).execute())]),
    db
      .selectFrom("escalations")
      .select(["reason", sql<number>`count(*)::int`.as("count")])
      .where("created_at", ">=", since)
      .groupBy("reason")
      .orderBy("count", "desc")
      .execute(),
    db
      .selectFrom("escalation_requests as r")
      .innerJoin("tickets as t", "t.id", "r.ticket_id")
      .select([
        "r.id",
        "r.ticket_id",
        "r.reason",
        "r.text",
        "r.status",
        "r.due_at",
        "r.created_at",
        "t.number",
        "t.subject",
        "t.assignee_id",
      ])
      .where("r.status", "!=", "resolved")
      .orderBy("r.due_at")
      .limit(100)
      .execute(),
    db
      .selectFrom("agent_profiles as p")
      .innerJoin("users as u", "u.id", "p.user_id")
      .select([
        "u.id",
        "u.name",
        "u.role",
        "p.tier",
        "p.presence",
        "p.capacity",
        sql<number>`(select count(*)::int from tickets t where t.assignee_id = u.id and t.status in ('new','open','pending','on_hold'))`.as(
          "open_tickets",
        ),
      ])
      .where("u.disabled", "=", false)
      .orderBy("p.tier")
      .orderBy("u.name")
      .execute(),
  ]);
  return {
    risk: risk.map((r) => ({
      ticket: presentTicketSummary(r as unknown as TicketView),
      target: r.next_due_target,
      due_at: r.next_due_at ? new Date(r.next_due_at).toISOString() : null,
      state: r.next_due_at && new Date(r.next_due_at) <= now ? "breached" : "at_risk",
    })),
    escalations_24h: byReason,
    open_requests: requests.map((r) => ({
      ...r,
      due_at: r.due_at?.toISOString() ?? null,
      created_at: r.created_at.toISOString(),
    })),
    agents,
  };
}
