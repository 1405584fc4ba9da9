import { sql, type Kysely } from "kysely";
import type { ProblemReport, ProblemReportQuery } from "@eskala/contracts";
import { requireRole, type Actor } from "../auth/actor.ts";
import type { DB } from "../db/schema.ts";
import {
  ESCALATING_TYPES,
  escalationsMadeIn,
  loadReportCalendar,
  resolvePeriod,
  ticketsCreatedIn,
} from "../reports/report-query.ts";

/**
 * Tickets and escalations per problem in a period (local days in the organisation's zone, as every
 * report): linked tickets created in it, and escalation records (up, across, to a supervisor) of
 * linked tickets made in it. Supervisors and admins.
 */
export async function problemReport(
  db: Kysely<DB>,
  actor: Actor | null,
  query: ProblemReportQuery,
  now: Date,
): Promise<ProblemReport> {
  requireRole(actor, "supervisor");
  const calendar = await loadReportCalendar(db);
  const period = resolvePeriod(query, calendar.timeZone, now);
  const escalating = sql.join(ESCALATING_TYPES.map((t) => sql`${t}`));
  const status = query.status ? sql`and p.status = ${query.status}` : sql``;
  const { rows } = await sql<{
    id: string;
    number: string | number;
    title: string;
    status: "investigating" | "known_error" | "fixed";
    tickets: number;
    escalations: number;
    tickets_total: number;
  }>`
    select p.id, p.number, p.title, p.status,
      (select count(*) from problem_tickets l join tickets t on t.id = l.ticket_id
        where l.problem_id = p.id and ${ticketsCreatedIn(period)})::int as tickets,
      (select count(*) from problem_tickets l join escalations e on e.ticket_id = l.ticket_id
        where l.problem_id = p.id and e.type in (${escalating}) and ${escalationsMadeIn(period)})::int as escalations,
      (select count(*) from problem_tickets l where l.problem_id = p.id)::int as tickets_total
    from problems p
    where true ${status}
    order by escalations desc, tickets desc, p.number desc`.execute(db);
  return {
    from: period.from,
    to: period.to,
    time_zone: period.timeZone,
    items: rows.map((r) => ({
      problem: { id: r.id, number: Number(r.number), title: r.title, status: r.status },
      tickets: r.tickets,
      escalations: r.escalations,
      tickets_total: r.tickets_total,
    })),
  };
}
