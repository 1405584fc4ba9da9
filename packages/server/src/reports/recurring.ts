/**
 * Recurring problems: the period's escalated tickets grouped by similar text, and the categories
 * and tags whose escalations rise against the period of the same length just before.
 *
 * Similar text is pg_trgm's trigram similarity (the `%` operator, threshold 0.3, its default) of
 * the subject, digits left out (order and invoice numbers); a subject of one or two words ("Help",
 * "Urgent problem") is compared with the start of the description joined to it. Whole descriptions
 * were tried and left out: their shared wording (greetings, signatures, templates) made unrelated
 * tickets similar, and comparing them cost ten times as much. It reads Indonesian and English alike, with no stemmer or stop words to keep
 * per language, and PGlite ships it. The work is bounded: only the period's escalated tickets
 * are compared, at most CANDIDATE_LIMIT of them (the most escalated, then the latest), identical
 * subjects once, through a trigram index built on them in a temporary table of the transaction;
 * nothing is indexed on `tickets`, so the write path pays nothing.
 *
 * Groups are stars (Aslam, Pelekhov and Rus' star clustering): the subject similar to the most
 * tickets is a centre and takes its similar subjects, then the next; every member is similar to
 * its centre, so one bridge subject cannot chain two problems into one group.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import type { PatternTicket, RecurringGroup, RecurringProblemsReport, RisingRow } from "@eskala/contracts";
import { binomialUpperTail, confidenceLevel, MIN_SAMPLE } from "@eskala/core/stats";
import type { DB } from "../db/schema.ts";
import {
  ESCALATING_TYPES,
  escalationFilters,
  escalationsMadeIn,
  previousPeriod,
  scopeParams,
  type ReportScope,
} from "./report-query.ts";
import { presentPeriod, presentFilters } from "./pattern-present.ts";

/** The most escalated tickets of a period compared with each other. */
export const CANDIDATE_LIMIT = 2_000;
/** pg_trgm's default similarity threshold. */
export const SIMILARITY_THRESHOLD = 0.3;
/** A subject of fewer words says too little alone: the start of the description joins it. */
const MIN_SUBJECT_WORDS = 3;
/** Characters of the description that join a short subject. */
const DESCRIPTION_CHARS = 120;
const RISING_ITEMS = 10;

interface DocRow {
  ticket_id: string;
  number: number;
  subject: string;
  language: string;
  category_id: string | null;
  escalations: number;
  first_at: Date;
  last_at: Date;
  key_id: number;
}

export async function recurringProblems(
  db: Kysely<DB>,
  scope: ReportScope,
  opts: { minTickets: number; limit: number },
): Promise<RecurringProblemsReport> {
  const previous = previousPeriod(scope.period);
  const { docs, edges, escalatedTickets } = await db.transaction().execute((trx) => similarPairs(trx, scope));
  const groups = await presentGroups(db, starGroups(docs, edges, opts.minTickets).slice(0, opts.limit));
  const rising = await risingCategoriesAndTags(db, scope, previous.start, opts.limit);
  return {
    period: presentPeriod(scope.period),
    previous_period: presentPeriod(previous),
    filters: presentFilters(scope.filters),
    method: {
      similarity: "pg_trgm",
      threshold: SIMILARITY_THRESHOLD,
      escalated_tickets: escalatedTickets,
      compared_tickets: docs.length,
      candidate_limit: CANDIDATE_LIMIT,
    },
    groups,
    rising,
  };
}

const escalatedInScope = (scope: ReportScope) => sql`
  ${escalationsMadeIn(scope.period)}
  and e.type in (${sql.join(ESCALATING_TYPES.map((t) => sql`${t}`))})
  and ${escalationFilters(scope.filters)}`;

/** The compared tickets and the pairs of their distinct subjects (key ids) that are similar. */
async function similarPairs(trx: Transaction<DB>, scope: ReportScope) {
  await sql`set local pg_trgm.similarity_threshold = ${sql.lit(SIMILARITY_THRESHOLD)}`.execute(trx);
  await sql`create temp table recurring_docs (
      ticket_id uuid, number bigint, subject text, language text, category_id uuid,
      escalations int, first_at timestamptz, last_at timestamptz, subject_key text, key_id int
    ) on commit drop`.execute(trx);
  const counted = await sql<{ n: number }>`
    with escalated as (
      select e.ticket_id, count(*)::int escalations, min(e.created_at) first_at, max(e.created_at) last_at
      from escalations e
      where ${escalatedInScope(scope)}
      group by e.ticket_id
    ), ranked as (
      select *, count(*) over ()::int total from escalated
      order by escalations desc, last_at desc, ticket_id
      limit ${CANDIDATE_LIMIT}
    ), inserted as (
      insert into recurring_docs
      select r.ticket_id, t.number, t.subject, t.language, t.category_id, r.escalations, r.first_at, r.last_at,
        case when cardinality(array_remove(string_to_array(k.subject, ' '), '')) < ${MIN_SUBJECT_WORDS}
          then k.subject || ' ' || trim(lower(regexp_replace(left(t.description, ${DESCRIPTION_CHARS}), '[0-9]+', ' ', 'g')))
          else k.subject end
      from ranked r join tickets t on t.id = r.ticket_id
        cross join lateral (select trim(lower(regexp_replace(t.subject, '[0-9]+', ' ', 'g'))) subject) k
      returning 1
    )
    select coalesce(max(total), 0)::int n from ranked`.execute(trx);
  const escalatedTickets = counted.rows[0]?.n ?? 0;
  // One node per distinct text.
  await sql`create temp table recurring_keys on commit drop as
    select row_number() over (order by subject_key)::int key_id, subject_key
    from recurring_docs group by subject_key`.execute(trx);
  await sql`update recurring_docs d set key_id = k.key_id from recurring_keys k where k.subject_key = d.subject_key`.execute(
    trx,
  );
  await sql`create index on recurring_keys using gin (subject_key gin_trgm_ops)`.execute(trx);
  await sql`analyze recurring_keys`.execute(trx);
  const edges = await sql<{ a: number; b: number }>`
    select a.key_id a, b.key_id b
    from recurring_keys a join recurring_keys b
      on b.subject_key % a.subject_key and b.key_id > a.key_id`.execute(trx);
  const docs = await sql<DocRow>`
    select ticket_id, number, subject, language, category_id, escalations, first_at, last_at, key_id
    from recurring_docs`.execute(trx);
  return { docs: docs.rows, edges: edges.rows, escalatedTickets };
}

interface Group {
  centre: DocRow;
  members: DocRow[];
  escalations: number;
}

/**
 * Star clustering over the distinct subjects: the subject whose similar subjects hold the most
 * tickets becomes a centre and takes those still free; then the next. Largest groups first.
 */
export function starGroups(docs: DocRow[], edges: { a: number; b: number }[], minTickets: number): Group[] {
  const byKey = new Map<number, DocRow[]>();
  for (const d of docs) byKey.set(d.key_id, [...(byKey.get(d.key_id) ?? []), d]);
  const neighbours = new Map<number, number[]>();
  for (const { a, b } of edges) {
    neighbours.set(a, [...(neighbours.get(a) ?? []), b]);
    neighbours.set(b, [...(neighbours.get(b) ?? []), a]);
  }
  const size = (k: number) => byKey.get(k)?.length ?? 0;
  const reach = (k: number) => size(k) + (neighbours.get(k) ?? []).reduce((s, n) => s + size(n), 0);
  const order = [...byKey.keys()].sort((x, y) => reach(y) - reach(x) || size(y) - size(x) || x - y);
  const taken = new Set<number>();
  const groups: Group[] = [];
  for (const k of order) {
    if (taken.has(k)) continue;
    const keys = [k, ...(neighbours.get(k) ?? []).filter((n) => !taken.has(n))];
    for (const key of keys) taken.add(key);
    const members = keys.flatMap((key) => byKey.get(key) ?? []);
    if (members.length < minTickets) continue;
    members.sort(
      (x, y) => y.escalations - x.escalations || y.last_at.getTime() - x.last_at.getTime() || x.number - y.number,
    );
    const centre = [...byKey.get(k)!].sort((x, y) => y.escalations - x.escalations || x.number - y.number)[0]!;
    groups.push({ centre, members, escalations: members.reduce((s, m) => s + m.escalations, 0) });
  }
  return groups.sort(
    (x, y) => y.members.length - x.members.length || y.escalations - x.escalations || x.centre.number - y.centre.number,
  );
}

const presentTicket = (
  d: Pick<DocRow, "ticket_id" | "number" | "subject" | "language" | "category_id" | "escalations" | "last_at">,
): PatternTicket => ({
  id: d.ticket_id,
  number: Number(d.number),
  subject: d.subject,
  language: d.language,
  category_id: d.category_id,
  escalations: d.escalations,
  last_escalated_at: new Date(d.last_at).toISOString(),
});

async function presentGroups(db: Kysely<DB>, groups: Group[]): Promise<RecurringGroup[]> {
  const ids = [...new Set(groups.flatMap((g) => g.members.map((m) => m.category_id).filter((c) => c !== null)))];
  const names = new Map(
    ids.length
      ? (await db.selectFrom("categories").select(["id", "name"]).where("id", "in", ids).execute()).map((c) => [
          c.id,
          c.name,
        ])
      : [],
  );
  return groups.map((g) => {
    const categories = new Map<string | null, number>();
    for (const m of g.members) categories.set(m.category_id, (categories.get(m.category_id) ?? 0) + 1);
    const times = g.members.flatMap((m) => [new Date(m.first_at).getTime(), new Date(m.last_at).getTime()]);
    return {
      key: g.centre.ticket_id,
      label: g.centre.subject,
      tickets: g.members.length,
      escalations: g.escalations,
      languages: [...new Set(g.members.map((m) => m.language))].sort(),
      categories: [...categories]
        .map(([id, tickets]) => ({ id, name: id ? (names.get(id) ?? null) : null, tickets }))
        .sort((x, y) => y.tickets - x.tickets),
      first_escalated_at: new Date(Math.min(...times)).toISOString(),
      last_escalated_at: new Date(Math.max(...times)).toISOString(),
      items: g.members.map(presentTicket),
    };
  });
}

interface RisingCount {
  kind: "category" | "tag";
  key: string | null;
  label: string | null;
  current: number;
  previous: number;
  tickets: number;
  top: string[] | null;
}

/**
 * Escalations per category and per tag in the period and in the one before, in one pass; the
 * rising ones (more now than before), surest first, each with its most escalated tickets.
 */
async function risingCategoriesAndTags(
  db: Kysely<DB>,
  scope: ReportScope,
  previousStart: Date,
  limit: number,
): Promise<{ categories: RisingRow[]; tags: RisingRow[] }> {
  const { start, end } = scope.period;
  const both = { ...scope, period: { ...scope.period, start: previousStart, end } };
  const counts = await sql<RisingCount>`
    with x as materialized (
      select e.ticket_id, e.created_at >= ${start} cur, e.ticket_category_id category_id, e.ticket_tags tags
      from escalations e
      where ${escalatedInScope(both)}
    ), per_ticket as (
      select ticket_id, category_id, tags, count(*) n from x where cur group by ticket_id, category_id, tags
    )
    select 'category' kind, x.category_id::text key, c.name label,
      count(*) filter (where cur)::int current, count(*) filter (where not cur)::int previous,
      count(distinct ticket_id) filter (where cur)::int tickets,
      (select (array_agg(p.ticket_id::text order by p.n desc, p.ticket_id))[1:${RISING_ITEMS}]
         from per_ticket p where p.category_id is not distinct from x.category_id) top
    from x left join categories c on c.id = x.category_id
    group by x.category_id, c.name
    union all
    select 'tag', tag, tag, count(*) filter (where cur)::int, count(*) filter (where not cur)::int,
      count(distinct ticket_id) filter (where cur)::int,
      (select (array_agg(p.ticket_id::text order by p.n desc, p.ticket_id))[1:${RISING_ITEMS}]
         from per_ticket p where tag = any(p.tags))
    from x cross join unnest(x.tags) tag
    group by tag`.execute(db);
  const rising = counts.rows
    .filter((r) => r.current > r.previous)
    .map((r) => {
      const n = r.current + r.previous;
      // Under "no change" each of the n escalations falls in either period with chance ½.
      const p = n >= MIN_SAMPLE ? binomialUpperTail(r.current, n, 0.5) : null;
      return { ...r, p };
    })
    .sort((x, y) => (x.p ?? 2) - (y.p ?? 2) || y.current - y.previous - (x.current - x.previous));
  const pick = (kind: RisingCount["kind"]) => rising.filter((r) => r.kind === kind).slice(0, limit);
  const chosen = [...pick("category"), ...pick("tag")];
  const items = await ticketsById(db, scope, [...new Set(chosen.flatMap((r) => r.top ?? []))]);
  const present = (r: (typeof chosen)[number]): RisingRow => ({
    kind: r.kind,
    key: r.key,
    label: r.label,
    escalations: r.current,
    previous: r.previous,
    ratio: r.previous > 0 ? r.current / r.previous : null,
    tickets: r.tickets,
    p_value: r.p,
    confidence: confidenceLevel(r.p, r.current + r.previous),
    ticket_filter:
      r.kind === "category" ? { ...scopeParams(scope), set: "escalations", category_id: r.key ?? "none" } : null,
    items: (r.top ?? []).map((id) => items.get(id)).filter((t) => t !== undefined),
  });
  return { categories: pick("category").map(present), tags: pick("tag").map(present) };
}

/** The named tickets with their escalations in the period. */
async function ticketsById(db: Kysely<DB>, scope: ReportScope, ids: string[]): Promise<Map<string, PatternTicket>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<DocRow>`
    select t.id ticket_id, t.number, t.subject, t.language, t.category_id,
      count(*)::int escalations, min(e.created_at) first_at, max(e.created_at) last_at, 0 key_id
    from tickets t join escalations e on e.ticket_id = t.id
    where t.id = any(${ids}::uuid[]) and ${escalatedInScope(scope)}
    group by t.id`.execute(db);
  return new Map(rows.rows.map((r) => [r.ticket_id, presentTicket(r)]));
}
