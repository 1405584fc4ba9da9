import { sql, type SelectQueryBuilder, type Transaction } from "kysely";
import { defer, flushDeferredOf, isDeferred, type DeferredFlush } from "../db/deferred.ts";
import type { DB, TicketRow } from "../db/schema.ts";
import type { Executor } from "./ticket-events.ts";

/** A ticket with the names the API shows beside its ids. */
export type TicketView = TicketRow & {
  tier_name: string | null;
  group_name: string | null;
  assignee_name: string | null;
  requester_name: string;
  requester_email: string;
  organization_name: string | null;
  category_name: string | null;
  /**
   * The SLA part's stored state (`ticket_sla`), read with a single ticket so its block needs no
   * second query; null when the ticket has none; absent on list rows.
   */
  sla_state?: { ledger: unknown; policy_id: string | null } | null;
};

/** Tickets with the names a list shows (requester, tier, group, assignee, organisation, category). */
export function selectView(db: Executor) {
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
    ]);
}

function selectFullView(db: Executor) {
  return selectView(db).select(
    sql<
      TicketView["sla_state"]
    >`(select json_build_object('ledger', s.ledger, 'policy_id', s.policy_id) from ticket_sla s where s.ticket_id = t.id)`.as(
      "sla_state",
    ),
  );
}

export async function findTicketView(db: Executor, id: string): Promise<TicketView | undefined> {
  return (await selectFullView(db).where("t.id", "=", id).executeTakeFirst()) as TicketView | undefined;
}

/**
 * Several tickets' views in one query, by id, inside a transaction (a group of creations, just
 * before its commit). The view's seven-table join costs more to plan than to run (about 1.4 ms
 * against 0.1 ms here), and PostgreSQL keeps planning it afresh for each array of ids: the
 * transaction takes the prepared generic plan instead.
 */
export async function findTicketViews(trx: Transaction<DB>, ids: string[]): Promise<Map<string, TicketView>> {
  await sql`set local plan_cache_mode = force_generic_plan`.execute(trx);
  const rows = (await selectFullView(trx)
    .where(sql<boolean>`t.id = any(${ids}::uuid[])`)
    .execute()) as TicketView[];
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Locks the ticket for a change. NO KEY UPDATE, not UPDATE: the change never alters the id, so rows
 * other transactions insert that reference the ticket (events, outbox, notifications) need not
 * wait for it to commit.
 */
export async function findTicketForUpdate(db: Executor, id: string): Promise<TicketRow | undefined> {
  const row = await db.selectFrom("tickets").selectAll().where("id", "=", id).forNoKeyUpdate().executeTakeFirst();
  return row && withDeferredUpdate(db, row);
}

/** The columns a change may set on a ticket, typed as the row reads them. */
export type TicketPatch = Partial<Omit<TicketRow, "id" | "number" | "created_at">>;

/** Each column a patch may set, with its SQL type (for the deferred update's recordset). */
const PATCH_COLUMNS: Record<keyof TicketPatch, string> = {
  subject: "text",
  description: "text",
  requester_id: "uuid",
  organization_id: "uuid",
  channel: "text",
  status: "text",
  priority: "text",
  priority_rank: "smallint",
  language: "text",
  category_id: "uuid",
  tags: "text[]",
  tier: "int",
  group_id: "uuid",
  assignee_id: "uuid",
  collaborator_ids: "uuid[]",
  handoff_note: "jsonb",
  escalation_count: "int",
  resolution_code: "text",
  solved_tier: "int",
  first_response_at: "timestamptz",
  last_agent_reply_at: "timestamptz",
  last_customer_message_at: "timestamptz",
  solved_at: "timestamptz",
  closed_at: "timestamptz",
  updated_at: "timestamptz",
  version: "int",
  sla_policy_id: "uuid",
  tier_entered_at: "timestamptz",
  escalated_at: "timestamptz",
  next_due_at: "timestamptz",
  next_due_target: "text",
};

/** Per deferring transaction: each changed ticket as it now reads, and the columns changed. */
const pending = new WeakMap<object, Map<string, { row: TicketRow; columns: Set<keyof TicketPatch> }>>();

/**
 * Writes a deferring transaction's ticket updates: one statement per set of changed columns
 * (a timer batch's escalations all change the same ones), each ticket's latest values.
 */
const flushTicketUpdates: DeferredFlush<string> = async (trx, ids) => {
  const changed = pending.get(trx);
  const bySignature = new Map<string, { columns: (keyof TicketPatch)[]; rows: Record<string, unknown>[] }>();
  for (const id of new Set(ids)) {
    const entry = changed?.get(id);
    if (!entry) continue;
    changed!.delete(id);
    const columns = [...entry.columns].sort();
    const signature = columns.join(",");
    const group = bySignature.get(signature) ?? { columns, rows: [] };
    bySignature.set(signature, group);
    group.rows.push(Object.fromEntries([["id", id], ...columns.map((c) => [c, entry.row[c]])]));
  }
  for (const { columns, rows } of bySignature.values()) {
    const set = sql.join(columns.map((c) => sql`${sql.ref(c)} = ${sql.ref(`x.${c}`)}`));
    const types = sql.raw(["id uuid", ...columns.map((c) => `${c} ${PATCH_COLUMNS[c]}`)].join(", "));
    // The ids again as an array keep the (generic, prepared) plan on the primary key.
    await sql`update tickets t set ${set}
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(${types})
      where t.id = any(${rows.map((r) => r.id)}::uuid[]) and t.id = x.id`.execute(trx);
  }
};

/** A ticket row read in a deferring transaction, with the changes it buffered for the ticket. */
function withDeferredUpdate(db: Executor, row: TicketRow): TicketRow {
  const entry = pending.get(db)?.get(row.id);
  if (!entry) return row;
  const out: Record<string, unknown> = { ...row };
  for (const c of entry.columns) out[c] = entry.row[c];
  return out as TicketRow;
}

/** Rows read in a deferring transaction, each with the changes the transaction buffered for it. */
export function withDeferredUpdates<T extends TicketRow>(db: Executor, rows: T[]): T[] {
  return pending.get(db)?.size ? rows.map((r) => withDeferredUpdate(db, r) as T) : rows;
}

/** Writes the buffered ticket updates now: for a query that reads tickets by other columns (loads, queues). */
export async function writeDeferredTicketUpdates(trx: Executor): Promise<void> {
  await flushDeferredOf(trx, flushTicketUpdates);
}

/**
 * Updates a ticket the caller holds locked and returns it as it now reads. With `now`, the change
 * counts as a new version (`updated_at`, `version`). In a transaction that defers its writes (a
 * timer batch, a group of creations) the row is changed in memory and written with the others at
 * the end, one statement for all; readers of the transaction see it (findTicketForUpdate, the SLA
 * part's lock, routing's loads).
 */
export async function updateTicket(
  trx: Transaction<DB>,
  current: TicketRow,
  set: TicketPatch,
  now?: Date,
): Promise<TicketRow> {
  const changed = pending.get(trx);
  const base = changed?.get(current.id)?.row ?? current;
  const patch: TicketPatch = now ? { ...set, updated_at: now, version: base.version + 1 } : set;
  if (isDeferred(trx)) {
    const map = changed ?? new Map<string, { row: TicketRow; columns: Set<keyof TicketPatch> }>();
    pending.set(trx, map);
    const entry = map.get(current.id);
    const row = { ...base, ...patch };
    const columns = new Set([...(entry?.columns ?? []), ...(Object.keys(patch) as (keyof TicketPatch)[])]);
    map.set(current.id, { row, columns });
    if (!entry) defer(trx, flushTicketUpdates, current.id);
    return row;
  }
  const note = patch.handoff_note;
  const values = note ? { ...patch, handoff_note: JSON.stringify(note) } : patch;
  return trx.updateTable("tickets").set(values).where("id", "=", current.id).returningAll().executeTakeFirstOrThrow();
}

export interface TicketFilter {
  status?: string[] | undefined;
  priority?: string[] | undefined;
  tier?: number | undefined;
  groupId?: string | undefined;
  assigneeId?: string | null | undefined;
  requesterId?: string | undefined;
  organizationId?: string | undefined;
  categoryId?: string | undefined;
  tag?: string | undefined;
  q?: string | undefined;
  /** The tickets `q` matches, when they are few (resolved by `withTextMatches`); `q` is then not tested again. */
  matchIds?: string[] | undefined;
  /** Customers: only these requesters or this organization. */
  visibleTo?: { requesterId: string; organizationId: string | null } | undefined;
}

/**
 * The sorts a list offers, each walking an index of `tickets` at 1,000,000 tickets (001, 005,
 * 007). Subject and status are not offered: no index orders them, and one more index on every
 * ticket write (an escalation writes an entry in each) costs more than the sort is worth.
 * `due` is the nearest deadline (`next_due_at`, soonest first), tickets without one after.
 */
const SORT_COLUMNS = {
  created_at: "t.created_at",
  updated_at: "t.updated_at",
  priority: "t.priority_rank",
  number: "t.number",
  due: "t.next_due_at",
} as const;
export type SortKey = keyof typeof SORT_COLUMNS;
/**
 * Whether an index walks the tickets in a sort's order whatever the filter (updated_at's index
 * leads with the status), so a search tests only the rows the walk passes.
 */
const WALKED: Record<SortKey, boolean> = {
  created_at: true,
  updated_at: false,
  priority: true,
  number: true,
  due: true,
};

export async function listTicketViews(
  db: Executor,
  filter: TicketFilter,
  sort: { key: SortKey; desc: boolean },
  limit: number,
  after: { value: unknown; id: string } | null,
): Promise<TicketView[]> {
  if (sort.key !== "due" && WALKED[sort.key] && isSearchText(filter)) {
    const near = await listFromNearest(db, filter, { key: sort.key, desc: sort.desc }, limit, after);
    if (near) return near;
  }
  filter = await withTextMatches(db, filter);
  if (filter.matchIds?.length === 0) return [];
  if (sort.key === "due") return listByDue(db, filter, sort.desc, limit, after);
  let q = applyFilter(selectView(db), filter, WALKED[sort.key]);
  const col = SORT_COLUMNS[sort.key];
  if (after) q = q.where(afterCursor(col, sort.desc, after));
  const dir = sort.desc ? "desc" : "asc";
  return (await q.orderBy(col, dir).orderBy("t.id", dir).limit(limit).execute()) as TicketView[];
}

const afterCursor = (col: string, desc: boolean, after: { value: unknown; id: string }) =>
  sql<boolean>`(${sql.ref(col)}, t.id) ${sql.raw(desc ? "<" : ">")} (${after.value}, ${after.id}::uuid)`;

const isSearchText = (f: TicketFilter) => Boolean(f.q && !f.matchIds && !/^#?\d{1,12}$/.test(f.q));

/**
 * A search looks through the list's next `nearest` tickets first; failing that, up to `fewMatches`
 * matching tickets are listed by id; past it, the list walks its sort index (tests lower them).
 */
export const searchPlan = { fewMatches: 2000, nearest: 1000 };

/**
 * A common word's page from the list's next `searchPlan.nearest` tickets (the sort index's walk,
 * the other filters applied), each tested for the text; null when they hold fewer than `limit`
 * matches, and the search takes its other plans. Asking the word indexes first would make
 * PostgreSQL gather every match of a common word (a GIN index answers with all of them at once:
 * 95,000 tickets for "pembayaran" at 1,000,000, 50 ms) to learn that it is common.
 */
async function listFromNearest(
  db: Executor,
  filter: TicketFilter,
  sort: { key: Exclude<SortKey, "due">; desc: boolean },
  limit: number,
  after: { value: unknown; id: string } | null,
): Promise<TicketView[] | null> {
  const col = SORT_COLUMNS[sort.key];
  const dir = sort.desc ? "desc" : "asc";
  let nearest = applyFilter(db.selectFrom("tickets as t").select("t.id"), { ...filter, q: undefined });
  if (after) nearest = nearest.where(afterCursor(col, sort.desc, after));
  nearest = nearest.orderBy(col, dir).orderBy("t.id", dir).limit(searchPlan.nearest);
  const rows = (await applyFilter(selectView(db), { q: filter.q }, true)
    .where(sql<boolean>`t.id = any(array(${nearest}))`)
    .orderBy(col, dir)
    .orderBy("t.id", dir)
    .limit(limit)
    .execute()) as TicketView[];
  return rows.length === limit ? rows : null;
}

/**
 * How many tickets a list's filter holds, counting no further than `cap` + 1 (a saved view's count):
 * the same filter and search plans as the list, so the count and the list agree. A common word
 * (more than `fewMatches` tickets) with no other filter is past a smaller cap without counting;
 * with filters, each row is probed until the cap (hashing every match cost 300 ms at 1,000,000).
 */
export async function countTicketViews(db: Executor, filter: TicketFilter, cap: number): Promise<number> {
  const text = isSearchText(filter);
  filter = await withTextMatches(db, filter);
  if (filter.matchIds?.length === 0) return 0;
  const common = text && !filter.matchIds;
  const onlyText = Object.entries(filter).every(([key, value]) => key === "q" || value === undefined);
  if (common && onlyText && cap < searchPlan.fewMatches) return cap + 1;
  const matches = applyFilter(db.selectFrom("tickets as t").select("t.id"), filter, common).limit(cap + 1);
  const row = await db
    .selectFrom(matches.as("m"))
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow();
  return row.n;
}

/**
 * Sorted by the nearest deadline: first the tickets that have one, through the partial index on
 * `next_due_at` (007; a row comparison would not bound that one-column index, so the leading
 * column is bounded on its own too), then those without one by id. A cursor with a null value is
 * in the second part.
 */
async function listByDue(
  db: Executor,
  filter: TicketFilter,
  desc: boolean,
  limit: number,
  after: { value: unknown; id: string } | null,
): Promise<TicketView[]> {
  const dir = desc ? "desc" : "asc";
  const rows: TicketView[] = [];
  if (!after || after.value !== null) {
    let q = applyFilter(selectView(db), filter, true).where("t.next_due_at", "is not", null);
    if (after) {
      const cmp = desc ? "<" : ">";
      q = q
        .where("t.next_due_at", desc ? "<=" : ">=", after.value as Date)
        .where(sql<boolean>`(t.next_due_at, t.id) ${sql.raw(cmp)} (${after.value}, ${after.id}::uuid)`);
    }
    rows.push(...((await q.orderBy("t.next_due_at", dir).orderBy("t.id", dir).limit(limit).execute()) as TicketView[]));
  }
  if (rows.length < limit) {
    let q = applyFilter(selectView(db), filter, true).where("t.next_due_at", "is", null);
    if (after && after.value === null) q = q.where("t.id", ">", after.id);
    rows.push(
      ...((await q
        .orderBy("t.id", "asc")
        .limit(limit - rows.length)
        .execute()) as TicketView[]),
    );
  }
  return rows;
}

/**
 * Search text has two plans, and which is fast depends on how many tickets match. A rare match
 * (an email, a name, an unusual word) is found through the indexes (ticket_search's GIN, the
 * requester and organisation indexes, the tags' GIN) and its few tickets sorted: walking the sort
 * index instead would test nearly every ticket before it found 50. A common match (a word in
 * thousands of tickets) is the opposite: the walk stops after a few hundred rows, while collecting
 * every match would sort them all. So the indexes are asked first for at most `fewMatches` + 1
 * tickets (`union all` streams, and the limit stops it); when fewer come back they are the
 * answer's candidates, otherwise the list walks its index testing `matchesText` as before.
 */
async function withTextMatches(db: Executor, filter: TicketFilter): Promise<TicketFilter> {
  const text = filter.q;
  if (!text || /^#?\d{1,12}$/.test(text) || filter.matchIds) return filter;
  const query = sql`websearch_to_tsquery('simple', ${text})`;
  const word = text.trim().toLowerCase();
  const { rows } = await sql<{ id: string }>`
    select s.ticket_id as id from ticket_search s where s.search @@ ${query}
    union all
    select t.id from tickets t where t.requester_id = any(array(
      select u.id from users u
      where people_search_words(u.name, u.email) @@ ${query} or lower(u.email) = ${word}))
    union all
    select t.id from tickets t where t.organization_id = any(array(
      select o.id from organizations o where to_tsvector('simple', o.name) @@ ${query}))
    union all
    select t.id from tickets t where tags_folded(t.tags) @> array[${word}]::text[]
    limit ${searchPlan.fewMatches + 1}`.execute(db);
  const ids = [...new Set(rows.map((r) => r.id))];
  return rows.length > searchPlan.fewMatches ? filter : { ...filter, matchIds: ids };
}

/**
 * A ticket matches search text by its own words (subject, description: ticket_search), its
 * requester's name or email, its organisation's name, or a tag equal to the text (any case). 'simple' words, no
 * stemming: Indonesian and English alike.
 *
 * The plan: the matching requesters and organisations are resolved first, each `array(select …)` an
 * init plan run once through the GIN indexes of migration 017 (a handful of rows from small
 * tables), so each ticket row costs an `= any(…)` test of its requester_id and organization_id,
 * like the tag test over the row's own array; the ticket's words stay the exists probe of ticket_search's primary key they
 * were. An OR of joins or a UNION of ticket ids would make the planner collect every match before
 * it could take the newest 50; this keeps the list walking its sort index and stopping at the limit.
 * `walked`: the list walks an index in its order (see WALKED), so few rows are tested.
 */
function matchesText(text: string, walked: boolean) {
  const query = sql`websearch_to_tsquery('simple', ${text})`;
  const word = text.trim().toLowerCase();
  // `offset 0` keeps the probe per row: without it PostgreSQL may turn the exists into a hashed
  // subplan that first collects every matching ticket (66,000 at 100,000 tickets for "saldo"),
  // though the walk stops after a few dozen rows. A sort no index walks tests every row anyway,
  // and there the hash is the cheaper way.
  const probe = walked ? sql` offset 0` : sql``;
  return sql<boolean>`(
    exists (select 1 from ticket_search s where s.ticket_id = t.id and s.search @@ ${query}${probe})
    or t.requester_id = any(array(
      select u.id from users u
      where people_search_words(u.name, u.email) @@ ${query} or lower(u.email) = ${word}))
    or t.organization_id = any(array(
      select o.id from organizations o where to_tsvector('simple', o.name) @@ ${query}))
    or exists (select 1 from unnest(t.tags) tag where lower(tag) = ${word})
  )`;
}

function applyFilter<Q extends SelectQueryBuilder<any, any, any>>(query: Q, f: TicketFilter, walked = false): Q {
  let q = query as SelectQueryBuilder<any, any, any>;
  if (f.status?.length) q = q.where("t.status", "in", f.status);
  if (f.priority?.length) q = q.where("t.priority", "in", f.priority);
  if (f.tier !== undefined) q = q.where("t.tier", "=", f.tier);
  if (f.groupId) q = q.where("t.group_id", "=", f.groupId);
  if (f.assigneeId === null) q = q.where("t.assignee_id", "is", null);
  else if (f.assigneeId) q = q.where("t.assignee_id", "=", f.assigneeId);
  if (f.requesterId) q = q.where("t.requester_id", "=", f.requesterId);
  if (f.organizationId) q = q.where("t.organization_id", "=", f.organizationId);
  if (f.categoryId) q = q.where("t.category_id", "=", f.categoryId);
  if (f.tag) q = q.where(sql<boolean>`t.tags @> array[${f.tag}]::text[]`);
  if (f.q) {
    const number = /^#?(\d{1,12})$/.exec(f.q)?.[1];
    // `#123` is ticket 123 here, or a ticket imported with 123 as its number elsewhere (028).
    if (number) q = q.where(sql<boolean>`(t.number = ${Number(number)} or t.external_number = ${number})`);
    else if (f.matchIds) q = q.where(sql<boolean>`t.id = any(${sql.val(f.matchIds)}::uuid[])`);
    else q = q.where(matchesText(f.q, walked));
  }
  if (f.visibleTo) {
    const { requesterId, organizationId } = f.visibleTo;
    q = q.where((eb) =>
      organizationId
        ? eb.or([eb("t.requester_id", "=", requesterId), eb("t.organization_id", "=", organizationId)])
        : eb("t.requester_id", "=", requesterId),
    );
  }
  return q as Q;
}
