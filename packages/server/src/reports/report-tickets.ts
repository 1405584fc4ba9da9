/**
 * The tickets behind a report's figure (`GET /api/v1/reports/tickets`): the same period, filters
 * and definitions as the report, one `set` per kind of figure, newest first, in keyset pages.
 */
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { ReportTicketsPage, ReportTicketsQuery } from "@eskala/contracts";
import type { DB } from "../db/schema.ts";
import { decodeCursor, encodeCursor } from "../lib/cursor.ts";
import {
  escalationFilters,
  escalationsMadeIn,
  ticketFilters,
  ticketsCreatedIn,
  type ReportScope,
} from "./report-query.ts";
import { bounceCondition, bounceFacts, latestRating, tierPath } from "./reports.service.ts";

/** The condition on tickets (alias `t`) of a drill-down query. */
export function drillCondition(scope: ReportScope, q: ReportTicketsQuery): RawBuilder<unknown> {
  const cohort = sql`${ticketsCreatedIn(scope.period)} and ${ticketFilters(scope.filters)}`;
  switch (q.set) {
    case "created":
      return cohort;
    case "escalated":
      return sql`${cohort} and t.escalation_count > 0`;
    case "not_escalated":
      return sql`${cohort} and t.escalation_count = 0`;
    case "escalations": {
      const extra: RawBuilder<unknown>[] = [];
      if (q.reason) extra.push(sql`and e.reason = ${q.reason}`);
      if (q.trigger) extra.push(sql`and e.trigger = ${q.trigger}`);
      if (q.type) extra.push(sql`and e.type = ${q.type}`);
      return sql`t.id in (select e.ticket_id from escalations e
        where ${escalationsMadeIn(scope.period)} and ${escalationFilters(scope.filters)} ${sql.join(extra, sql` `)})`;
    }
    case "solved":
      return q.solved_tier !== undefined
        ? sql`${cohort} and t.solved_tier = ${q.solved_tier}`
        : sql`${cohort} and t.solved_tier is not null`;
    case "sla": {
      const state =
        q.sla_state === "achieved"
          ? sql`r.value->'f'->>'state' = 'achieved' and (r.value->>'b') is null`
          : q.sla_state === "breached"
            ? sql`(r.value->'f'->>'state' = 'breached' or (r.value->>'b') is not null)`
            : q.sla_state === "open"
              ? sql`r.value->'f' is null and (r.value->>'b') is null`
              : sql`true`;
      const target = q.sla_target ? sql`and r.key = ${q.sla_target}` : sql``;
      return sql`${cohort} and exists (select 1 from ticket_sla s cross join lateral jsonb_each(s.ledger->'rec') r
        where s.ticket_id = t.id ${target} and ${state})`;
    }
    case "rated": {
      const escalated = q.escalated ? sql`and s.escalated = ${q.escalated === "true"}` : sql``;
      const path = q.path ? sql`and ${tierPath()} = ${q.path}` : sql``;
      return sql`${cohort} and exists (select 1 from ${latestRating()} s where true ${escalated}) ${path}`;
    }
    case "bounced":
      return sql`t.id in (select b.id from (${bounceFacts(cohort)}) b where ${bounceCondition(q.bounce)})`;
  }
}

export async function reportTickets(
  db: Kysely<DB>,
  scope: ReportScope,
  q: ReportTicketsQuery,
): Promise<ReportTicketsPage> {
  const after = q.cursor ? decodeCursor(q.cursor, "instant") : null;
  const keyset = after ? sql`and (t.created_at, t.id) < (${after.value}, ${after.id}::uuid)` : sql``;
  const { rows } = await sql<{
    id: string;
    number: number;
    subject: string;
    status: string;
    priority: string;
    channel: string;
    tier: number;
    escalation_count: number;
    created_at: Date;
  }>`
    select t.id, t.number, t.subject, t.status, t.priority, t.channel, t.tier, t.escalation_count, t.created_at
    from tickets t where ${drillCondition(scope, q)} ${keyset}
    order by t.created_at desc, t.id desc limit ${q.limit + 1}`.execute(db);
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return {
    items: items.map((r) => ({
      id: r.id,
      number: r.number,
      subject: r.subject,
      status: r.status as ReportTicketsPage["items"][number]["status"],
      priority: r.priority as ReportTicketsPage["items"][number]["priority"],
      channel: r.channel as ReportTicketsPage["items"][number]["channel"],
      tier: r.tier,
      escalation_count: r.escalation_count,
      created_at: new Date(r.created_at).toISOString(),
    })),
    next_cursor: rows.length > q.limit && last ? encodeCursor(new Date(last.created_at), last.id) : null,
  };
}
