import { sql, type SelectQueryBuilder, type Transaction } from "kysely";
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

function selectView(db: Executor) {
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
  return db.selectFrom("tickets").selectAll().where("id", "=", id).forNoKeyUpdate().executeTakeFirst();
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
  /** Customers: only these requesters or this organization. */
  visibleTo?: { requesterId: string; organizationId: string | null } | undefined;
}

const SORT_COLUMNS = {
  created_at: "t.created_at",
  updated_at: "t.updated_at",
  priority: "t.priority_rank",
  number: "t.number",
} as const;
export type SortKey = keyof typeof SORT_COLUMNS;

export async function listTicketViews(
  db: Executor,
  filter: TicketFilter,
  sort: { key: SortKey; desc: boolean },
  limit: number,
  after: { value: unknown; id: string } | null,
): Promise<TicketView[]> {
  let q = applyFilter(selectView(db), filter);
  const col = SORT_COLUMNS[sort.key];
  if (after) {
    const cmp = sort.desc ? "<" : ">";
    q = q.where(sql<boolean>`(${sql.ref(col)}, t.id) ${sql.raw(cmp)} (${after.value}, ${after.id}::uuid)`);
  }
  const dir = sort.desc ? "desc" : "asc";
  return (await q.orderBy(col, dir).orderBy("t.id", dir).limit(limit).execute()) as TicketView[];
}

function applyFilter<Q extends SelectQueryBuilder<any, any, any>>(query: Q, f: TicketFilter): Q {
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
    q = number
      ? q.where("t.number", "=", Number(number))
      : q.where(sql<boolean>`t.search @@ websearch_to_tsquery('simple', ${f.q})`);
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
