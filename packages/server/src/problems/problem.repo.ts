import { sql } from "kysely";
import type { ListProblemsQuery } from "@eskala/contracts";
import type { Executor } from "../tickets/ticket-events.ts";

/** Ticket statuses a fix still has to reach: the customer is waiting. */
export const OPEN_TICKET_STATUSES = ["new", "open", "pending", "on_hold"] as const;

/** A problem with its owner's and creator's names and its ticket counts, as the presenter wants it. */
function problemViews(db: Executor) {
  return db
    .selectFrom("problems as p")
    .leftJoin("users as o", "o.id", "p.owner_id")
    .leftJoin("users as c", "c.id", "p.created_by")
    .selectAll("p")
    .select([
      "o.name as owner_name",
      "c.name as created_by_name",
      sql<number>`(select count(*) from problem_tickets l where l.problem_id = p.id)::int`.as("ticket_count"),
      sql<number>`(select count(*) from problem_tickets l join tickets t on t.id = l.ticket_id
        where l.problem_id = p.id and t.status in ('new', 'open', 'pending', 'on_hold'))::int`.as("open_ticket_count"),
    ]);
}

export type ProblemView = NonNullable<Awaited<ReturnType<typeof findProblemView>>>;

export async function findProblemView(db: Executor, id: string) {
  return problemViews(db).where("p.id", "=", id).executeTakeFirst();
}

/** Newest first by number; `cursor` is the last number of the previous page. */
export async function findProblemViews(db: Executor, query: ListProblemsQuery) {
  let q = problemViews(db);
  if (query.status) q = q.where("p.status", "=", query.status);
  if (query.q) q = q.where(sql<boolean>`p.title ilike ${"%" + query.q.replace(/[\\%_]/g, "\\$&") + "%"}`);
  if (query.cursor) q = q.where("p.number", "<", Number(query.cursor));
  return q
    .orderBy("p.number", "desc")
    .limit(query.limit + 1)
    .execute();
}

/** The tickets linked to a problem, oldest link first, with whether their customer was told of the fix. */
export async function findProblemTickets(db: Executor, problemId: string) {
  return db
    .selectFrom("problem_tickets as l")
    .innerJoin("tickets as t", "t.id", "l.ticket_id")
    .leftJoin("problem_notices as n", (j) =>
      j.onRef("n.problem_id", "=", "l.problem_id").onRef("n.ticket_id", "=", "l.ticket_id"),
    )
    .select([
      "t.id",
      "t.number",
      "t.subject",
      "t.status",
      "t.priority",
      "t.language",
      "l.linked_at",
      sql<boolean>`n.ticket_id is not null`.as("notified"),
    ])
    .where("l.problem_id", "=", problemId)
    .orderBy("l.linked_at")
    .orderBy("t.number")
    .execute();
}

/** The problem a ticket is linked to (for the staff view of the ticket), or undefined. */
export async function findTicketProblem(db: Executor, ticketId: string) {
  return db
    .selectFrom("problem_tickets as l")
    .innerJoin("problems as p", "p.id", "l.problem_id")
    .select(["p.id", "p.number", "p.title", "p.status", "p.workaround"])
    .where("l.ticket_id", "=", ticketId)
    .executeTakeFirst();
}
