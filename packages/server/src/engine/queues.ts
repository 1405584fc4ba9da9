import { sql, type Kysely } from "kysely";
import type { Actor } from "../auth/actor.ts";
import type { DB } from "../db/schema.ts";
import { forbidden } from "../lib/app-error.ts";
import { presentTicketSummary } from "../tickets/ticket.presenter.ts";
import { presentRequest } from "./request.presenter.ts";
import { selectView, type TicketView } from "../tickets/ticket.repo.ts";

const OPEN = ["new", "open", "pending", "on_hold"] as const;

function base(db: Kysely<DB>) {
  return selectView(db).where("t.status", "in", OPEN);
}

export type QueueName = "mine" | "group" | "breaching" | "escalated-to-me";
const QUEUE_NAMES: readonly QueueName[] = ["mine", "group", "breaching", "escalated-to-me"];
const NO_GROUP = "00000000-0000-0000-0000-000000000000";
/** "Breaching soon": the nearest deadline has passed or falls due within this many minutes. */
export const BREACHING_SOON_MINUTES = 60;

/**
 * Which open tickets a queue holds for this person, without order: the list and its count share it.
 * "Escalated to me" holds a ticket while its latest move (escalation record) brought it to me, one
 * of my groups or my tier and it is still there: same tier and group as the move's target, and either
 * mine or waiting unassigned. A later move (on to tier 3, back down) or a solve takes it out.
 */
function queueWhere(db: Kysely<DB>, actor: Actor, name: QueueName, now: Date) {
  const groups = [...new Set([...actor.groupIds, ...actor.supervisedGroupIds])];
  const inGroups = groups.length ? groups : [NO_GROUP];
  const q = base(db);
  switch (name) {
    case "mine":
      return q.where("t.assignee_id", "=", actor.userId);
    case "group":
      return q.where("t.assignee_id", "is", null).where("t.group_id", "in", inGroups);
    case "breaching": {
      const due = q.where("t.next_due_at", "<=", new Date(now.getTime() + BREACHING_SOON_MINUTES * 60_000));
      return actor.role === "admin"
        ? due
        : due.where((eb) => eb.or([eb("t.assignee_id", "=", actor.userId), eb("t.group_id", "in", inGroups)]));
    }
    case "escalated-to-me":
      return (
        q
          .where("t.escalated_at", "is not", null)
          // The ticket's latest move: one index probe per escalated open ticket (escalations_ticket_idx).
          .innerJoinLateral(
            (eb) =>
              eb
                .selectFrom("escalations as e")
                .select(["e.type", "e.to_tier", "e.to_group_id", "e.to_assignee_id"])
                .whereRef("e.ticket_id", "=", "t.id")
                .orderBy("e.created_at", "desc")
                .orderBy("e.id", "desc")
                .limit(1)
                .as("last"),
            (join) => join.onTrue(),
          )
          .where("last.type", "in", ["hierarchical", "functional", "supervisor"])
          .where((eb) =>
            eb.or([
              eb("last.to_assignee_id", "=", actor.userId),
              eb("last.to_group_id", "in", inGroups),
              ...(actor.tier !== null ? [eb("last.to_tier", "=", actor.tier)] : []),
            ]),
          )
          // Still where the move left it.
          .whereRef("t.tier", "=", "last.to_tier")
          .where(sql<boolean>`t.group_id is not distinct from last.to_group_id`)
          .where((eb) => eb.or([eb("t.assignee_id", "=", actor.userId), eb("t.assignee_id", "is", null)]))
      );
  }
}

/** The agent console's queues: mine, my groups' unassigned, breaching soon (overdue or due within the hour, nearest first), escalated to me. */
export async function queue(db: Kysely<DB>, actor: Actor, name: QueueName, limit: number, now: Date) {
  if (actor.role === "customer") throw forbidden("Queues are for agents");
  const q = queueWhere(db, actor, name, now);
  const ordered =
    name === "breaching"
      ? q.orderBy("t.next_due_at")
      : name === "escalated-to-me"
        ? q.orderBy("t.escalated_at", "desc")
        : q.orderBy(sql`t.next_due_at nulls last`).orderBy("t.created_at");
  const rows = await ordered.limit(limit).execute();
  return rows.map((r) => ({
    ...presentTicketSummary(r as unknown as TicketView),
    next_due_at: r.next_due_at ? new Date(r.next_due_at).toISOString() : null,
    next_due_target: r.next_due_target ?? null,
  }));
}

/**
 * How many tickets each queue holds (not how many a page shows), and how many tickets there are in
 * all (every status) for the console's "All tickets".
 */
export async function queueCounts(db: Kysely<DB>, actor: Actor, now: Date): Promise<Record<QueueName | "all", number>> {
  if (actor.role === "customer") throw forbidden("Queues are for agents");
  const counts = await Promise.all(
    QUEUE_NAMES.map((name) =>
      queueWhere(db, actor, name, now)
        .clearSelect()
        .select(sql<number>`count(*)::int`.as("n"))
        .executeTakeFirstOrThrow()
        .then((r) => [name, r.n] as const),
    ),
  );
  const all = await db
    .selectFrom("tickets")
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow();
  return { ...Object.fromEntries(counts), all: all.n } as Record<QueueName | "all", number>;
}

/**
 * How many of a queue's tickets have one of these statuses and this priority (a saved view of the
 * queue), counting no further than `cap` + 1.
 */
export async function countQueue(
  db: Kysely<DB>,
  actor: Actor,
  name: QueueName,
  filter: { status?: string[] | undefined; priority?: string | undefined },
  cap: number,
  now: Date,
): Promise<number> {
  if (actor.role === "customer") throw forbidden("Queues are for agents");
  let q = queueWhere(db, actor, name, now);
  if (filter.status) q = q.where("t.status", "in", filter.status as (typeof OPEN)[number][]);
  if (filter.priority) q = q.where("t.priority", "=", filter.priority as never);
  const row = await db
    .selectFrom(
      q
        .clearSelect()
        .select("t.id")
        .limit(cap + 1)
        .as("m"),
    )
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow();
  return row.n;
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
      .then(async (breached) => [
        ...breached,
        ...(await base(db).where("t.next_due_at", ">", now).orderBy("t.next_due_at").limit(50).execute()),
      ]),
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
      .innerJoin("users as c", "c.id", "r.requester_id")
      .leftJoin("users as s", "s.id", "r.acknowledged_by")
      .select([
        "r.id",
        "r.ticket_id",
        "r.reason",
        "r.text",
        "r.status",
        "r.due_at",
        "r.acknowledged_at",
        "r.acknowledged_by",
        "r.resolved_at",
        "r.created_at",
        "t.number",
        "t.subject",
        "t.assignee_id",
        "c.name as customer_name",
        "c.email as customer_email",
        "s.name as acknowledged_by_name",
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
    // Each with its ticket (number, subject), the customer and their words, and who acknowledged it.
    open_requests: requests.map((r) => ({ ...presentRequest(r), assignee_id: r.assignee_id })),
    agents,
  };
}
