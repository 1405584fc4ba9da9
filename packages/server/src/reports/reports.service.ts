/**
 * The escalation review's reports (issue 17): each is a few set-based reads over tickets and
 * escalation records in the period (see report-query.ts for the period, filters and who sees
 * what). Tickets reports count tickets *created* in the period; escalation counts count records
 * *made* in it. Durations are computed in Node from instants so business minutes can use the
 * organisation's calendar (core's calendar machinery).
 */
import { sql, type Kysely, type RawBuilder } from "kysely";
import type {
  BouncingReport,
  EscalationCountsReport,
  EscalationRateReport,
  EscalationTimesReport,
  ReportDimension,
  SatisfactionReport,
  SlaAttainmentReport,
  SolvedTiersReport,
  TicketDimension,
} from "@eskala/contracts";
import { businessMinutesBetween } from "@eskala/core/calendar";
import type { DB } from "../db/schema.ts";
import {
  ESCALATING_TYPES,
  escalationFilters,
  escalationsMadeIn,
  scopeParams,
  ticketAgent,
  ticketFilters,
  ticketsCreatedIn,
  type ReportScope,
} from "./report-query.ts";

type Db = Kysely<DB>;
type Key = string | number | null;
type Params = Record<string, string>;

const ref = (alias: string, column: string) => sql.ref(`${alias}.${column}`);

/** The SQL value of a ticket dimension (alias `t`). */
export function ticketDimension(d: TicketDimension, t = "t"): RawBuilder<unknown> {
  switch (d) {
    case "category":
      return sql`${ref(t, "category_id")}::text`;
    case "channel":
      return sql`${ref(t, "channel")}`;
    case "agent":
      return sql`${ticketAgent(t)}::text`;
    case "tier":
      return sql`${ref(t, "tier")}`;
    case "group":
      return sql`${ref(t, "group_id")}::text`;
    case "priority":
      return sql`${ref(t, "priority")}`;
    case "organization":
      return sql`${ref(t, "organization_id")}::text`;
  }
}

/**
 * The SQL value of an escalation dimension (record `e`): tier, group and agent it moved from; the
 * ticket's category, channel, priority and organisation as the record carries them (migration 032).
 */
export function escalationDimension(d: ReportDimension, e = "e"): RawBuilder<unknown> {
  switch (d) {
    case "reason":
      return sql`${ref(e, "reason")}`;
    case "trigger":
      return sql`${ref(e, "trigger")}`;
    case "type":
      return sql`${ref(e, "type")}`;
    case "agent":
      return sql`${ref(e, "from_assignee_id")}::text`;
    case "tier":
      return sql`${ref(e, "from_tier")}`;
    case "group":
      return sql`${ref(e, "from_group_id")}::text`;
    case "category":
      return sql`${ref(e, "ticket_category_id")}::text`;
    case "channel":
      return sql`${ref(e, "ticket_channel")}`;
    case "priority":
      return sql`${ref(e, "ticket_priority")}`;
    case "organization":
      return sql`${ref(e, "ticket_organization_id")}::text`;
  }
}

/** The drill-down parameter a dimension's value becomes. */
const DIMENSION_PARAM: Record<ReportDimension, string> = {
  reason: "reason",
  trigger: "trigger",
  type: "type",
  category: "category_id",
  channel: "channel",
  agent: "agent_id",
  tier: "tier",
  group: "group_id",
  priority: "priority",
  organization: "organization_id",
};

function dimensionParams(dims: readonly ReportDimension[], keys: Key[]): Params {
  const out: Params = {};
  dims.forEach((d, i) => {
    const k = keys[i];
    if (k === null || k === undefined) {
      // An id-valued dimension that is not set lists with `none`; a tier or enum is never unset on a ticket.
      if (DIMENSION_PARAM[d].endsWith("_id")) out[DIMENSION_PARAM[d]] = "none";
    } else out[DIMENSION_PARAM[d]] = String(k);
  });
  return out;
}

/** Names of the ids (and tiers) among a dimension's keys. */
async function labelsFor(db: Db, d: ReportDimension, keys: Key[]): Promise<Map<string, string>> {
  const ids = [...new Set(keys.filter((k): k is string | number => k !== null).map(String))];
  if (!ids.length) return new Map();
  const pairs = async (q: Promise<{ id: string | number; name: string }[]>) =>
    new Map((await q).map((r) => [String(r.id), r.name]));
  switch (d) {
    case "category":
      return pairs(db.selectFrom("categories").select(["id", "name"]).where("id", "in", ids).execute());
    case "agent":
      return pairs(db.selectFrom("users").select(["id", "name"]).where("id", "in", ids).execute());
    case "group":
      return pairs(db.selectFrom("groups").select(["id", "name"]).where("id", "in", ids).execute());
    case "organization":
      return pairs(db.selectFrom("organizations").select(["id", "name"]).where("id", "in", ids).execute());
    case "tier":
      return pairs(
        db.selectFrom("tiers").select(["level as id", "name"]).where("level", "in", ids.map(Number)).execute(),
      );
    default:
      return new Map();
  }
}

async function tierNames(db: Db): Promise<Map<number, string>> {
  const rows = await db.selectFrom("tiers").select(["level", "name"]).orderBy("level").execute();
  return new Map(rows.map((r) => [r.level, r.name]));
}

function keyOf(d: ReportDimension, v: unknown): Key {
  if (v === null || v === undefined) return null;
  return d === "tier" ? Number(v) : String(v);
}

const rate = (n: number, of: number) => (of > 0 ? n / of : null);

function base(scope: ReportScope) {
  return {
    period: {
      from: scope.period.from,
      to: scope.period.to,
      time_zone: scope.period.timeZone,
      starts_at: scope.period.start.toISOString(),
      ends_at: scope.period.end.toISOString(),
    },
    filters: Object.fromEntries(Object.entries(scope.filters).filter(([, v]) => v !== undefined)) as Record<
      string,
      string | number
    >,
  };
}

// --- escalation rate --------------------------------------------------------------------------

export async function escalationRate(
  db: Db,
  scope: ReportScope,
  groupBy: TicketDimension | undefined,
): Promise<EscalationRateReport> {
  const where = sql`${ticketsCreatedIn(scope.period)} and ${ticketFilters(scope.filters)}`;
  const dim = groupBy ? ticketDimension(groupBy) : sql`null`;
  const { rows } = await sql<{ k: unknown; created: number; escalated: number }>`
    select ${dim} as k, count(*)::int as created, (count(*) filter (where t.escalation_count > 0))::int as escalated
    from tickets t where ${where} group by 1 order by 2 desc, 1`.execute(db);
  const params = scopeParams(scope);
  const total = { created: 0, escalated: 0 };
  for (const r of rows) {
    total.created += r.created;
    total.escalated += r.escalated;
  }
  const labels = groupBy
    ? await labelsFor(
        db,
        groupBy,
        rows.map((r) => keyOf(groupBy, r.k)),
      )
    : new Map<string, string>();
  return {
    ...base(scope),
    group_by: groupBy ?? null,
    total: {
      ...total,
      rate: rate(total.escalated, total.created),
      ticket_filter: { ...params, set: "created" },
      escalated_filter: { ...params, set: "escalated" },
    },
    rows: groupBy
      ? rows.map((r) => {
          const key = keyOf(groupBy, r.k);
          const label = key === null ? null : (labels.get(String(key)) ?? null);
          const p = { ...params, ...dimensionParams([groupBy], [key]) };
          return {
            key,
            label,
            keys: { [groupBy]: key },
            labels: { [groupBy]: label },
            created: r.created,
            escalated: r.escalated,
            rate: rate(r.escalated, r.created),
            ticket_filter: { ...p, set: "created" },
            escalated_filter: { ...p, set: "escalated" },
          };
        })
      : [],
  };
}

// --- escalation counts ------------------------------------------------------------------------

export const DEFAULT_COUNT_DIMENSIONS: ReportDimension[] = ["reason", "category"];

export async function escalationCounts(
  db: Db,
  scope: ReportScope,
  groupBy: ReportDimension[] = DEFAULT_COUNT_DIMENSIONS,
): Promise<EscalationCountsReport> {
  const dims = [...new Set(groupBy)];
  const where = sql`${escalationsMadeIn(scope.period)} and ${escalationFilters(scope.filters)}`;
  const selects = dims.map((d, i) => sql`${escalationDimension(d)} as ${sql.ref(`k${i}`)}`);
  const groups = sql.join(dims.map((_, i) => sql.lit(i + 1)));
  const [grouped, totals] = await Promise.all([
    sql<Record<string, unknown> & { escalations: number; tickets: number }>`
      select ${sql.join(selects)}, count(*)::int as escalations, count(distinct e.ticket_id)::int as tickets
      from escalations e
      where ${where} group by ${groups} order by ${sql.lit(dims.length + 1)} desc, ${groups}`.execute(db),
    sql<{ escalations: number; tickets: number }>`
      select count(*)::int as escalations, count(distinct e.ticket_id)::int as tickets
      from escalations e where ${where}`.execute(db),
  ]);
  const keysOf = (r: Record<string, unknown>) => dims.map((d, i) => keyOf(d, r[`k${i}`]));
  const labelMaps = await Promise.all(
    dims.map((d, i) =>
      labelsFor(
        db,
        d,
        grouped.rows.map((r) => keysOf(r)[i]!),
      ),
    ),
  );
  const params = { ...scopeParams(scope), set: "escalations" };
  return {
    ...base(scope),
    group_by: dims,
    total: { ...totals.rows[0]!, ticket_filter: params },
    rows: grouped.rows.map((r) => {
      const keys = keysOf(r);
      const labels = keys.map((k, i) => (k === null ? null : (labelMaps[i]!.get(String(k)) ?? null)));
      return {
        key: keys[0]!,
        label: labels[0]!,
        keys: Object.fromEntries(dims.map((d, i) => [d, keys[i]!])),
        labels: Object.fromEntries(dims.map((d, i) => [d, labels[i]!])),
        escalations: r.escalations,
        tickets: r.tickets,
        ticket_filter: { ...params, ...dimensionParams(dims, keys) },
      };
    }),
  };
}

// --- times ------------------------------------------------------------------------------------

/** The q-quantile of sorted values with linear interpolation (as PostgreSQL's percentile_cont); 2 decimals. */
export function quantile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  const v = sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
  return Math.round(v * 100) / 100;
}

function durations(pairs: [number, number][], scope: ReportScope) {
  const wall: number[] = [];
  const business: number[] = [];
  const cal = scope.calendar.calendar;
  // Open around the clock with no holidays: business time is wall time (no calendar walk needed).
  const allHours = cal.always_open === true && !cal.holidays?.length && !cal.holiday_sets?.length;
  for (const [a, b] of pairs) {
    wall.push((b - a) / 60_000);
    business.push(allHours ? (b - a) / 60_000 : businessMinutesBetween(cal, new Date(a), new Date(b)));
  }
  wall.sort((x, y) => x - y);
  business.sort((x, y) => x - y);
  return {
    count: pairs.length,
    wall_minutes: { median: quantile(wall, 0.5), p90: quantile(wall, 0.9) },
    business_minutes: { median: quantile(business, 0.5), p90: quantile(business, 0.9) },
  };
}

/**
 * The periods the report measures, one row each, worked out by PostgreSQL from each moved
 * ticket's moves in order (created_at, id): `k` is -1 for creation → first escalating move (when
 * it is not before creation), else the tier a stay was in: from creation in its first tier (the
 * first move's from_tier, else the ticket's tier), each tier-changing move ending one, and a solve
 * (solved or closed) ending the last. A stay that would end before it starts is left out.
 */
function measuredPeriods(where: RawBuilder<unknown>) {
  const escalating = sql.join(ESCALATING_TYPES.map((t) => sql`${t}`));
  return sql`
    with m as (
      select t.id, t.created_at c, case when t.status in ('solved', 'closed') then t.solved_at end s,
        coalesce(first_value(e.from_tier) over w, t.tier) init, e.type, e.from_tier, e.to_tier, e.created_at at,
        row_number() over w i
      from tickets t join escalations e on e.ticket_id = t.id
      where ${where} and t.escalated_at is not null
      window w as (partition by t.id order by e.created_at, e.id)
    ), ch as (
      select id, c, s, init, to_tier, at,
        lag(to_tier) over v prev_to, lag(at) over v prev_at, row_number() over v j
      from m where from_tier is not null and to_tier is not null and from_tier <> to_tier
      window v as (partition by id order by at, i)
    ), last_ch as (
      select distinct on (id) id, to_tier, at from ch order by id, j desc
    ), p as (
      select -1 k, c a, at b from (
        select distinct on (id) id, c, at from m where type in (${escalating}) order by id, i
      ) f where at >= c
      union all
      select coalesce(prev_to, init), coalesce(prev_at, c), at from ch
      union all
      select coalesce(l.to_tier, o.init), coalesce(l.at, o.c), o.s
      from (select distinct on (id) id, c, s, init from m where s is not null order by id) o
        left join last_ch l on l.id = o.id
    )
    select k, a, b from p where b >= a`;
}

interface Figures {
  count: number;
  wall_minutes: { median: number | null; p90: number | null };
  business_minutes: { median: number | null; p90: number | null };
}

export async function escalationTimes(db: Db, scope: ReportScope): Promise<EscalationTimesReport> {
  const where = sql`${ticketsCreatedIn(scope.period)} and ${ticketFilters(scope.filters)}`;
  const cal = scope.calendar.calendar;
  // Open around the clock with no holidays: business time is wall time, and PostgreSQL works out
  // the medians and p90s itself; otherwise the periods come here for the calendar's business minutes.
  const allHours = cal.always_open === true && !cal.holidays?.length && !cal.holiday_sets?.length;
  const figures = new Map<number, Figures>();
  const [names] = await Promise.all([
    tierNames(db),
    allHours
      ? sql<{ k: number; n: number; median: number | null; p90: number | null }>`
          select k, count(*)::int n,
            percentile_cont(0.5) within group (order by m) median, percentile_cont(0.9) within group (order by m) p90
          from (select k, extract(epoch from b - a)::float8 / 60 m from (${measuredPeriods(where)}) p) x
          group by k`
          .execute(db)
          .then(({ rows }) => {
            const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
            for (const r of rows) {
              const minutes = { median: round(r.median), p90: round(r.p90) };
              figures.set(r.k, { count: r.n, wall_minutes: minutes, business_minutes: minutes });
            }
          })
      : sql<{ k: number; a: number; b: number }>`
          select k, (extract(epoch from a) * 1000)::float8 a, (extract(epoch from b) * 1000)::float8 b
          from (${measuredPeriods(where)}) p`
          .execute(db)
          .then(({ rows }) => {
            const pairs = new Map<number, [number, number][]>();
            for (const r of rows) {
              let list = pairs.get(r.k);
              if (!list) pairs.set(r.k, (list = []));
              list.push([r.a, r.b]);
            }
            for (const [k, list] of pairs) figures.set(k, durations(list, scope));
          }),
  ]);
  const params = scopeParams(scope);
  const none: Figures = {
    count: 0,
    wall_minutes: { median: null, p90: null },
    business_minutes: { median: null, p90: null },
  };
  return {
    ...base(scope),
    calendar: { id: scope.calendar.id, name: scope.calendar.name, time_zone: scope.calendar.timeZone },
    first_escalation: { ...(figures.get(-1) ?? none), ticket_filter: { ...params, set: "escalated" } },
    tiers: [...figures.keys()]
      .filter((k) => k >= 0)
      .sort((a, b) => a - b)
      .map((tier) => ({
        tier,
        label: names.get(tier) ?? null,
        ...figures.get(tier)!,
        ticket_filter: { ...params, set: "escalated" },
      })),
  };
}

// --- solved level -----------------------------------------------------------------------------

export async function solvedTiers(db: Db, scope: ReportScope): Promise<SolvedTiersReport> {
  const where = sql`${ticketsCreatedIn(scope.period)} and ${ticketFilters(scope.filters)}`;
  const [grouped, names] = await Promise.all([
    sql<{ tier: number | null; n: number }>`
      select t.solved_tier as tier, count(*)::int as n from tickets t where ${where} group by 1`.execute(db),
    tierNames(db),
  ]);
  const counts = new Map<number, number>();
  let created = 0;
  let solved = 0;
  for (const r of grouped.rows) {
    created += r.n;
    if (r.tier !== null) {
      solved += r.n;
      counts.set(r.tier, r.n);
    }
  }
  const tiers = [...new Set([...names.keys(), ...counts.keys()])].sort((a, b) => a - b);
  const params = scopeParams(scope);
  return {
    ...base(scope),
    total: { created, solved, unsolved: created - solved, ticket_filter: { ...params, set: "created" } },
    rows: tiers.map((tier) => {
      const n = counts.get(tier) ?? 0;
      const label = names.get(tier) ?? null;
      return {
        key: tier,
        label,
        keys: { tier },
        labels: { tier: label },
        tier,
        solved: n,
        share: rate(n, solved),
        ticket_filter: { ...params, set: "solved", solved_tier: String(tier) },
      };
    }),
  };
}

// --- SLA attainment ---------------------------------------------------------------------------

const PRIORITY_ORDER = ["urgent", "high", "medium", "low"];
const TARGET_ORDER = ["first_response", "next_response", "periodic_update", "resolution"];

/**
 * The ledger records (targets; a tier budget per tier) whose outcome ticket_sla carries in a
 * generated column (migration 031); `sla_other_targets` marks a ledger with any other record.
 */
export const SLA_COLUMNS = [
  ["first_response", "sla_first_response"],
  ["next_response", "sla_next_response"],
  ["periodic_update", "sla_periodic_update"],
  ["resolution", "sla_resolution"],
  ["tier_budget:0", "sla_tier_budget_0"],
  ["tier_budget:1", "sla_tier_budget_1"],
  ["tier_budget:2", "sla_tier_budget_2"],
  ["tier_budget:3", "sla_tier_budget_3"],
] as const;

type SlaRow = { target: string; priority: string; achieved: number; breached: number; open: number };

export async function slaAttainment(db: Db, scope: ReportScope): Promise<SlaAttainmentReport> {
  // The period's ledgers by their ticket's created_at and priority (migration 044): one range of
  // ticket_sla's report index; a filter on the tickets joins them.
  const filtered = Object.values(scope.filters).some((v) => v !== undefined);
  const from = filtered ? sql`ticket_sla s join tickets t on t.id = s.ticket_id` : sql`ticket_sla s`;
  const where = sql`${sql.ref("s.ticket_created_at")} >= ${scope.period.start} and ${sql.ref("s.ticket_created_at")} < ${scope.period.end}
    and ${filtered ? ticketFilters(scope.filters) : sql`true`}`;
  // Per priority, each target's outcomes from the ledgers' generated columns (migration 031) in one
  // pass; a ledger naming another target is read as jsonb.
  const counts = SLA_COLUMNS.flatMap(([, column]) => {
    const c = sql.ref(`s.${column}`);
    return [
      sql`count(${c})::int as ${sql.ref(`${column}_n`)}`,
      sql`(count(*) filter (where ${c} = 'a'))::int as ${sql.ref(`${column}_a`)}`,
      sql`(count(*) filter (where ${c} = 'b'))::int as ${sql.ref(`${column}_b`)}`,
      sql`(count(*) filter (where ${c} = 'o'))::int as ${sql.ref(`${column}_o`)}`,
    ];
  });
  const known = sql.join(SLA_COLUMNS.map(([target]) => sql`${target}`));
  const flat = await sql<Record<string, number> & { priority: string }>`
      select s.ticket_priority as priority, ${sql.join(counts)}, (count(*) filter (where s.sla_other_targets))::int as other
      from ${from} where ${where} group by 1`.execute(db);
  const other = flat.rows.some((r) => r.other! > 0)
    ? await sql<SlaRow>`
      select r.key as target, s.ticket_priority as priority,
        (count(*) filter (where r.value->'f'->>'state' = 'achieved' and (r.value->>'b') is null))::int as achieved,
        (count(*) filter (where r.value->'f'->>'state' = 'breached' or (r.value->>'b') is not null))::int as breached,
        (count(*) filter (where r.value->'f' is null and (r.value->>'b') is null))::int as open
      from ${from} cross join lateral jsonb_each((s.ledger->'rec') - array[${known}]::text[]) r
      where ${where} and s.sla_other_targets group by 1, 2`.execute(db)
    : { rows: [] };
  const rows: SlaRow[] = [...other.rows];
  for (const r of flat.rows)
    for (const [target, column] of SLA_COLUMNS)
      if (r[`${column}_n`]! > 0)
        rows.push({
          target,
          priority: r.priority,
          achieved: r[`${column}_a`]!,
          breached: r[`${column}_b`]!,
          open: r[`${column}_o`]!,
        });
  const rank = (target: string) => {
    const i = TARGET_ORDER.indexOf(target);
    return i >= 0 ? String(i) : `9${target}`;
  };
  rows.sort(
    (a, b) =>
      rank(a.target).localeCompare(rank(b.target)) ||
      PRIORITY_ORDER.indexOf(a.priority) - PRIORITY_ORDER.indexOf(b.priority),
  );
  const params = scopeParams(scope);
  return {
    ...base(scope),
    rows: rows.map((r) => {
      const p = { ...params, set: "sla", sla_target: r.target, priority: r.priority };
      return {
        target: r.target,
        priority: r.priority as SlaAttainmentReport["rows"][number]["priority"],
        achieved: r.achieved,
        breached: r.breached,
        open: r.open,
        attainment: rate(r.achieved, r.achieved + r.breached),
        ticket_filters: {
          achieved: { ...p, sla_state: "achieved" },
          breached: { ...p, sla_state: "breached" },
          open: { ...p, sla_state: "open" },
        },
      };
    }),
  };
}

// --- satisfaction -----------------------------------------------------------------------------

/** The tiers a ticket went through, `1-2-1` (alias `t`): where it started, then each tier change. */
export function tierPath(t = "t"): RawBuilder<string> {
  return sql<string>`(coalesce((select e0.from_tier from escalations e0 where e0.ticket_id = ${ref(t, "id")}
      and e0.from_tier is not null order by e0.created_at, e0.id limit 1), ${ref(t, "tier")})::text
    || coalesce((select string_agg('-' || e1.to_tier::text, '' order by e1.created_at, e1.id) from escalations e1
      where e1.ticket_id = ${ref(t, "id")} and e1.to_tier is not null and e1.from_tier is distinct from e1.to_tier), ''))`;
}

/** Each ticket's latest rating (alias `s`), for tickets of alias `t`. */
export function latestRating(t = "t"): RawBuilder<unknown> {
  return sql`(select s.rating, s.escalated from csat_surveys s where s.ticket_id = ${ref(t, "id")}
    and s.rating is not null order by s.rated_at desc nulls last, s.id desc limit 1)`;
}

export async function satisfaction(db: Db, scope: ReportScope): Promise<SatisfactionReport> {
  const where = sql`${ticketsCreatedIn(scope.period)} and ${ticketFilters(scope.filters)}`;
  // Driven from the ratings (far fewer than tickets), each joined once to its ticket's index entry
  // (created_at, tier, escalated_at); a ticket that never moved has its tier as its path.
  const { rows } = await sql<{ escalated: boolean; path: string; n: number; total: number; good: number }>`
    with r as (
      select distinct on (s.ticket_id) s.ticket_id as id, s.rating, s.escalated, t.tier, t.escalated_at
      from csat_surveys s join tickets t on t.id = s.ticket_id
      where s.rating is not null and ${where}
      order by s.ticket_id, s.rated_at desc nulls last, s.id desc
    ), p as (
      select r.rating, r.escalated, case when r.escalated_at is null then r.tier::text else ${tierPath("r")} end as path
      from r
    )
    select escalated, path, count(*)::int as n, sum(rating)::int as total,
      (count(*) filter (where rating >= 4))::int as good
    from p group by 1, 2 order by 3 desc, 2`.execute(db);
  const params = { ...scopeParams(scope), set: "rated" };
  const figures = (list: typeof rows, filter: Params) => {
    const n = list.reduce((a, r) => a + r.n, 0);
    const total = list.reduce((a, r) => a + r.total, 0);
    const good = list.reduce((a, r) => a + r.good, 0);
    return {
      count: n,
      mean: n ? Math.round((total / n) * 100) / 100 : null,
      share_4_5: rate(good, n),
      ticket_filter: filter,
    };
  };
  const byPath = new Map<string, typeof rows>();
  for (const r of rows) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
  return {
    ...base(scope),
    escalated: figures(
      rows.filter((r) => r.escalated),
      { ...params, escalated: "true" },
    ),
    not_escalated: figures(
      rows.filter((r) => !r.escalated),
      { ...params, escalated: "false" },
    ),
    paths: [...byPath.entries()]
      .map(([path, list]) => ({
        path,
        tiers: path.split("-").map(Number),
        ...figures(list, { ...params, path }),
      }))
      .sort((a, b) => b.count - a.count || a.path.localeCompare(b.path)),
  };
}

// --- bouncing ---------------------------------------------------------------------------------

/**
 * Per moved ticket of the scope (alias `t`): its moves, whether one moved it down, and whether one
 * brought it back to a tier an earlier move had taken it out of: a tier-changing move whose
 * destination is among the tiers that the ticket's strictly earlier tier-changing moves left (a
 * window over each ticket's moves, in the same pass as the counts).
 */
function bounceFacts(where: RawBuilder<unknown>) {
  return sql`
    select m.id, count(*)::int as moves, coalesce(bool_or(m.to_tier < m.from_tier), false) as moved_down,
      coalesce(bool_or(m.back), false) as returned
    from (
      select t.id, e.from_tier, e.to_tier,
        e.from_tier is distinct from e.to_tier and e.to_tier = any(
          array_agg(e.from_tier) filter (where e.from_tier is distinct from e.to_tier) over (
            partition by t.id order by e.created_at range between unbounded preceding and '1 microsecond' preceding)) as back
      from tickets t join escalations e on e.ticket_id = t.id
      where ${where} and t.escalated_at is not null
    ) m
    group by m.id`;
}

export function bounceCondition(kind: string | undefined, b = "b"): RawBuilder<unknown> {
  const down = sql`${ref(b, "moved_down")}`;
  const back = sql`${ref(b, "returned")}`;
  const many = sql`${ref(b, "moves")} >= 3`;
  if (kind === "moved_down") return down;
  if (kind === "returned") return back;
  if (kind === "many_moves") return many;
  return sql`(${down} or ${back} or ${many})`;
}

export async function bouncing(db: Db, scope: ReportScope): Promise<BouncingReport> {
  const where = sql`${ticketsCreatedIn(scope.period)} and ${ticketFilters(scope.filters)}`;
  // One pass: the moved tickets' facts, how many there are, and each bounced one with its number
  // (looked up by key for the bounced ones only); the list's first 100 are chosen here.
  const facts = await sql<{ moved: number; bounced: [string, number, number, boolean, boolean][] }>`
    with b as materialized (${bounceFacts(where)})
    select (select count(*) from b)::int as moved, coalesce((
      select json_agg(json_build_array(b.id, t.number, b.moves, b.moved_down, b.returned))
      from b cross join lateral (select t.number from tickets t where t.id = b.id limit 1) t
      where ${bounceCondition(undefined)}), '[]') as bounced`.execute(db);
  const { moved, bounced } = facts.rows[0]!;
  const kinds = { moved_down: 0, returned: 0, many_moves: 0 };
  for (const [, , moves, down, back] of bounced) {
    if (down) kinds.moved_down++;
    if (back) kinds.returned++;
    if (moves >= 3) kinds.many_moves++;
  }
  const top = bounced.sort((x, y) => y[2] - x[2] || Number(x[1]) - Number(y[1])).slice(0, 100);
  const details = top.length
    ? await sql<{ id: string; subject: string; status: string; tier: number; path: string }>`
        select t.id, t.subject, t.status, t.tier, ${tierPath()} as path
        from tickets t where t.id = any(${top.map((r) => r[0])}::uuid[])`.execute(db)
    : { rows: [] };
  const byId = new Map(details.rows.map((r) => [r.id, r]));
  const params = { ...scopeParams(scope), set: "bounced" };
  return {
    ...base(scope),
    moved,
    bounced: bounced.length,
    kinds: (["moved_down", "returned", "many_moves"] as const).map((kind) => ({
      kind,
      tickets: kinds[kind],
      ticket_filter: { ...params, bounce: kind },
    })),
    ticket_filter: params,
    tickets: top.map(([id, number, moves, down, back]) => {
      const r = byId.get(id)!;
      return {
        id,
        number: Number(number),
        subject: r.subject,
        status: r.status as BouncingReport["tickets"][number]["status"],
        tier: r.tier,
        moves,
        path: r.path.split("-").map(Number),
        kinds: [
          ...(down ? (["moved_down"] as const) : []),
          ...(back ? (["returned"] as const) : []),
          ...(moves >= 3 ? (["many_moves"] as const) : []),
        ],
      };
    }),
  };
}

export { bounceFacts };
