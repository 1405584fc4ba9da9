/**
 * The period and filters every report takes (contracts `ReportQuery`), checked and turned into
 * what the queries need: the period as UTC instants in the organisation's zone, who may see what,
 * and SQL conditions for the filters on tickets (`t`) and escalation records (`e`).
 *
 * The organisation's zone and business calendar are the calendar of the first enabled SLA policy
 * that has one (the one the SLA clocks and customer emails use), else Asia/Jakarta, open 24/7.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from "kysely";
import type { ReportFilters, ReportQuery } from "@eskala/contracts";
import { localToUtc, utcToLocal, type Calendar } from "@eskala/core/calendar";
import type { DB } from "../db/schema.ts";
import type { Actor } from "../auth/actor.ts";
import { AppError, forbidden, type FieldError } from "../lib/app-error.ts";
import type { Executor } from "../tickets/ticket-events.ts";

const DAY_MS = 86_400_000;
/** The longest period a report covers: two years of days (a leap day included). */
export const MAX_PERIOD_DAYS = 731;
/** Default period: the 30 days ending today. */
export const DEFAULT_PERIOD_DAYS = 30;
export const DEFAULT_TIME_ZONE = "Asia/Jakarta";

export interface ReportCalendar {
  id: string | null;
  name: string | null;
  timeZone: string;
  /** Business minutes are counted in this calendar (24/7 without one). */
  calendar: Calendar;
}

export interface ReportPeriod {
  /** First day, `YYYY-MM-DD` local. */
  from: string;
  /** Last day (included), `YYYY-MM-DD` local. */
  to: string;
  timeZone: string;
  /** First instant of `from` in the zone. */
  start: Date;
  /** First instant after `to` in the zone (exclusive). */
  end: Date;
  days: number;
}

export interface ReportScope {
  period: ReportPeriod;
  filters: ReportFilters;
  calendar: ReportCalendar;
  /** Names of the ids among the filters, for a response's `filters` (the page shows them). */
  actor: Actor;
}

/** The organisation's calendar: the first enabled SLA policy's that has one, else Jakarta 24/7. */
export async function loadReportCalendar(db: Executor): Promise<ReportCalendar> {
  const row = await db
    .selectFrom("sla_policies as p")
    .innerJoin("calendars as c", "c.id", "p.calendar_id")
    .select(["c.id", "c.name", "c.definition"])
    .where("p.enabled", "=", true)
    .orderBy("p.position")
    .orderBy("p.id")
    .limit(1)
    .executeTakeFirst();
  if (row) {
    const calendar = row.definition as unknown as Calendar;
    return { id: row.id, name: row.name, timeZone: calendar.timezone, calendar };
  }
  return {
    id: null,
    name: null,
    timeZone: DEFAULT_TIME_ZONE,
    calendar: { timezone: DEFAULT_TIME_ZONE, always_open: true },
  };
}

const dayMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Today's date in the zone. */
export function localToday(timeZone: string, now: Date): string {
  return dateOf(utcToLocal(timeZone, now.getTime()));
}

/** Local days `from`..`to` (both included) as UTC instants; no checks. */
export function periodOf(from: string, to: string, timeZone: string): ReportPeriod {
  const a = dayMs(from);
  const b = dayMs(to) + DAY_MS;
  return {
    from,
    to,
    timeZone,
    start: new Date(localToUtc(timeZone, a)),
    end: new Date(localToUtc(timeZone, b)),
    days: Math.round((b - a) / DAY_MS),
  };
}

/**
 * The period of a query: `from`/`to` (defaults: the 30 days ending today in the zone). `from`
 * after `to` and a period over two years are a 422 naming both fields.
 */
export function resolvePeriod(q: Pick<ReportQuery, "from" | "to">, timeZone: string, now: Date): ReportPeriod {
  const to =
    q.to ?? (q.from ? dateOf(Math.max(dayMs(q.from), dayMs(localToday(timeZone, now)))) : localToday(timeZone, now));
  const from = q.from ?? dateOf(dayMs(to) - (DEFAULT_PERIOD_DAYS - 1) * DAY_MS);
  if (from > to) {
    const message = "`from` must not be after `to`";
    throw new AppError("validation_failed", message, [
      { path: ["from"], message },
      { path: ["to"], message },
    ]);
  }
  const period = periodOf(from, to, timeZone);
  if (period.days > MAX_PERIOD_DAYS) {
    const message = `a period covers at most ${MAX_PERIOD_DAYS} days (2 years)`;
    throw new AppError("validation_failed", message, [
      { path: ["from"], message },
      { path: ["to"], message },
    ]);
  }
  return period;
}

/** The period of the same number of days just before (for `compare=previous`). */
export function previousPeriod(p: ReportPeriod): ReportPeriod {
  const to = dateOf(dayMs(p.from) - DAY_MS);
  const from = dateOf(dayMs(p.from) - p.days * DAY_MS);
  return periodOf(from, to, p.timeZone);
}

const FILTER_KEYS = ["tier", "group_id", "category_id", "channel", "priority", "agent_id", "organization_id"] as const;

/** Only the filters of a query (the period, format and report options left out). */
export function filtersOf(q: ReportFilters): ReportFilters {
  const f: Record<string, unknown> = {};
  for (const k of FILTER_KEYS) if (q[k] !== undefined) f[k] = q[k];
  return f as ReportFilters;
}

/**
 * Who may see which figures: supervisors and admins everything; an agent their own only (their
 * agent_id is assumed; another agent's is a 403); customers nothing.
 */
export function scopeFilters(actor: Actor | null, filters: ReportFilters): ReportFilters {
  if (!actor) throw new AppError("unauthenticated", "Sign in or send a bearer token");
  if (actor.role === "customer") throw forbidden("Reports are for staff");
  if (actor.role === "agent") {
    if (filters.agent_id !== undefined && filters.agent_id !== actor.userId)
      throw forbidden("An agent sees their own figures only");
    return { ...filters, agent_id: actor.userId };
  }
  return filters;
}

/** Every id and tier a filter names must exist: an unknown one is a 422 naming the field. */
export async function checkFilterValues(db: Executor, f: ReportFilters): Promise<void> {
  const id = (v: string | undefined) => (v && v !== "none" ? v : null);
  const [tier, group, category, agent, org] = await Promise.all([
    f.tier !== undefined ? db.selectFrom("tiers").select("level").where("level", "=", f.tier).executeTakeFirst() : true,
    id(f.group_id) ? db.selectFrom("groups").select("id").where("id", "=", id(f.group_id)!).executeTakeFirst() : true,
    id(f.category_id)
      ? db.selectFrom("categories").select("id").where("id", "=", id(f.category_id)!).executeTakeFirst()
      : true,
    id(f.agent_id)
      ? db
          .selectFrom("users")
          .select("id")
          .where("id", "=", id(f.agent_id)!)
          .where("role", "<>", "customer")
          .executeTakeFirst()
      : true,
    id(f.organization_id)
      ? db.selectFrom("organizations").select("id").where("id", "=", id(f.organization_id)!).executeTakeFirst()
      : true,
  ]);
  const errors: FieldError[] = [];
  if (!tier) errors.push({ path: ["tier"], message: "no such tier" });
  if (!group) errors.push({ path: ["group_id"], message: "no such group" });
  if (!category) errors.push({ path: ["category_id"], message: "no such category" });
  if (!agent) errors.push({ path: ["agent_id"], message: "no such agent" });
  if (!org) errors.push({ path: ["organization_id"], message: "no such organization" });
  if (errors.length)
    throw new AppError("validation_failed", errors.map((e) => `${e.path.join(".")}: ${e.message}`).join("; "), errors);
}

/**
 * Checks a report query and resolves it: the actor may read reports, the filter values exist,
 * the period is valid in the organisation's zone. Reads only.
 */
export async function resolveReportQuery(
  db: Kysely<DB>,
  actor: Actor | null,
  q: ReportQuery,
  now: Date,
): Promise<ReportScope> {
  const filters = scopeFilters(actor, filtersOf(q));
  const calendar = await loadReportCalendar(db);
  const period = resolvePeriod(q, calendar.timeZone, now);
  await checkFilterValues(db, filters);
  return { period, filters, calendar, actor: actor! };
}

// --- SQL conditions ---------------------------------------------------------------------------

const ref = (alias: string, column: string) => sql.ref(`${alias}.${column}`);
const TRUE: RawBuilder<SqlBool> = sql<SqlBool>`true`;

function and(parts: RawBuilder<unknown>[]): RawBuilder<SqlBool> {
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` and `)})` : TRUE;
}

function idCondition(column: RawBuilder<unknown> | ReturnType<typeof sql.ref>, value: string): RawBuilder<unknown> {
  return value === "none" ? sql`${column} is null` : sql`${column} = ${value}::uuid`;
}

/** Tickets created in the period: `t.created_at` in `[start, end)`. */
export function ticketsCreatedIn(period: Pick<ReportPeriod, "start" | "end">, t = "t"): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${ref(t, "created_at")} >= ${period.start} and ${ref(t, "created_at")} < ${period.end})`;
}

/** Escalation records made in the period: `e.created_at` in `[start, end)`. */
export function escalationsMadeIn(period: Pick<ReportPeriod, "start" | "end">, e = "e"): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${ref(e, "created_at")} >= ${period.start} and ${ref(e, "created_at")} < ${period.end})`;
}

/**
 * A ticket's agent (alias `t`): the first agent who held it, i.e. the one a move first took it
 * from, or its assignee when no move took it from anyone. One agent per ticket, so counts by agent
 * add up, and an agent's escalated tickets stay theirs after they left for the next tier.
 */
export function ticketAgent(t = "t"): RawBuilder<string | null> {
  return sql<string | null>`(case when ${ref(t, "escalated_at")} is null then ${ref(t, "assignee_id")} else coalesce(
    (select ea.from_assignee_id from escalations ea where ea.ticket_id = ${ref(t, "id")}
      and ea.from_assignee_id is not null order by ea.created_at, ea.id limit 1), ${ref(t, "assignee_id")}) end)`;
}

/**
 * The filters on tickets (alias `t`): tier and group where the ticket is now; category, channel,
 * priority, organisation as set; agent the ticket's agent ({@link ticketAgent}).
 */
export function ticketFilters(f: ReportFilters, t = "t"): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [];
  if (f.tier !== undefined) parts.push(sql`${ref(t, "tier")} = ${f.tier}`);
  if (f.group_id) parts.push(idCondition(ref(t, "group_id"), f.group_id));
  if (f.category_id) parts.push(idCondition(ref(t, "category_id"), f.category_id));
  if (f.channel) parts.push(sql`${ref(t, "channel")} = ${f.channel}`);
  if (f.priority) parts.push(sql`${ref(t, "priority")} = ${f.priority}`);
  if (f.organization_id) parts.push(idCondition(ref(t, "organization_id"), f.organization_id));
  if (f.agent_id) parts.push(idCondition(ticketAgent(t), f.agent_id));
  return and(parts);
}

/**
 * The filters on escalation records (alias `e`): tier, group and agent are where the ticket moved
 * *from*; category, channel, priority and organisation the ticket's, as the record carries them
 * (`ticket_*`, kept equal to the ticket's by migration 032's triggers), so no join to tickets.
 */
export function escalationFilters(f: ReportFilters, e = "e"): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [];
  if (f.tier !== undefined) parts.push(sql`${ref(e, "from_tier")} = ${f.tier}`);
  if (f.group_id) parts.push(idCondition(ref(e, "from_group_id"), f.group_id));
  if (f.agent_id) parts.push(idCondition(ref(e, "from_assignee_id"), f.agent_id));
  if (f.category_id) parts.push(idCondition(ref(e, "ticket_category_id"), f.category_id));
  if (f.channel) parts.push(sql`${ref(e, "ticket_channel")} = ${f.channel}`);
  if (f.priority) parts.push(sql`${ref(e, "ticket_priority")} = ${f.priority}`);
  if (f.organization_id) parts.push(idCondition(ref(e, "ticket_organization_id"), f.organization_id));
  return and(parts);
}

/** Escalation types that move a ticket up or across to more help (a de-escalation or reassignment does not). */
export const ESCALATING_TYPES = ["hierarchical", "functional", "supervisor"] as const;

/** The query parameters of a scope (period and filters), for a row's `ticket_filter`. */
export function scopeParams(scope: Pick<ReportScope, "period" | "filters">): Record<string, string> {
  const out: Record<string, string> = { from: scope.period.from, to: scope.period.to };
  for (const [k, v] of Object.entries(scope.filters)) if (v !== undefined) out[k] = String(v);
  return out;
}
