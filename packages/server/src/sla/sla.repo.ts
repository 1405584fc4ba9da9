/**
 * The SLA part's queries on a ticket: read its ledger (one query), write its plan (one statement:
 * ledger, clock rows, timers and the ticket's policy column together), rebuild from the timeline.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import { defer, deferredRows, flushDeferred, isDeferred, type DeferredFlush } from "../db/deferred.ts";
import type { DB, TicketRow } from "../db/schema.ts";
import { TIMER_CHANNEL } from "../engine/timers.ts";
import { sameInstant } from "../lib/clock.ts";
import { updateTicket, withDeferredUpdates } from "../tickets/ticket.repo.ts";
import { cloneLedger, type Ledger, type LedgerEvent } from "./ledger.ts";
import { SLA_TIMER_KINDS, type SlaPlan } from "./plan.ts";

type Executor = Kysely<DB> | Transaction<DB>;

/** The timer worker sleeps at most 30 s (its default) between looks at the table: later timers need no wake-up. */
const NOTIFY_HORIZON_MS = 25_000;
const KINDS_SQL = sql.raw(SLA_TIMER_KINDS.map((k) => `'${k}'`).join(", "));

/** Timeline event types the ledger is rebuilt from. */
export const LEDGER_EVENT_TYPES = [
  "ticket.created",
  "ticket.imported",
  "ticket.updated",
  "message.added",
  "escalated",
  "sla.warning",
  "sla.breached",
  "tier.budget_exceeded",
  "ticket.idle",
];

export interface StoredState {
  ledger: Ledger | null;
  policyId: string | null;
  segment: string | null;
}

/** A ticket's ledger and (when asked) its organization's segment, in one query. */
export async function readState(db: Executor, ticketId: string, orgId: string | null): Promise<StoredState> {
  const planned = deferredPlan(db, ticketId);
  if (planned)
    return { ledger: planned.ledger, policyId: planned.policyId, segment: orgId ? await readSegment(db, orgId) : null };
  const { rows } = await sql<{ ledger: Ledger | null; policy_id: string | null; segment: string | null }>`
    select s.ledger, s.policy_id,
      ${orgId === null ? sql`null::text` : sql`(select o.segment from organizations o where o.id = ${orgId})`} as segment
    from (select 1) as one left join ticket_sla s on s.ticket_id = ${ticketId}`.execute(db);
  const row = rows[0];
  return { ledger: row?.ledger ?? null, policyId: row?.policy_id ?? null, segment: row?.segment ?? null };
}

export async function readSegment(db: Executor, orgId: string): Promise<string | null> {
  const row = await db.selectFrom("organizations").select("segment").where("id", "=", orgId).executeTakeFirst();
  return row?.segment ?? null;
}

/** The events of one ticket the ledger is rebuilt from, oldest first. */
export async function readTimeline(db: Executor, ticketId: string): Promise<LedgerEvent[]> {
  return (await readTimelines(db, [ticketId])).get(ticketId) ?? [];
}

export async function readTimelines(db: Executor, ticketIds: string[]): Promise<Map<string, LedgerEvent[]>> {
  const out = new Map<string, LedgerEvent[]>();
  if (ticketIds.length === 0) return out;
  await flushDeferred(db); // this transaction's own events first, if it defers its writes
  const rows = await db
    .selectFrom("ticket_events")
    .select(["ticket_id", "type", "data", "at"])
    .where("ticket_id", "in", ticketIds)
    .where("type", "in", LEDGER_EVENT_TYPES)
    .orderBy("id")
    .execute();
  for (const r of rows) {
    const list = out.get(r.ticket_id) ?? [];
    list.push({ type: r.type, at: r.at, data: r.data as Record<string, unknown> });
    out.set(r.ticket_id, list);
  }
  return out;
}

/** A ticket locked for an SLA change (same lock order as every ticket change: the ticket row first). */
export interface LockedTicket {
  ticket: TicketRow;
  ledger: Ledger | null;
  segment: string | null;
}

/**
 * Locks tickets (the ticket row first, the lock order of every ticket change) and then reads their
 * ledgers in a second statement. The second statement matters: under READ COMMITTED a locking read
 * that waited for another transaction gets the ticket's newest row but the joined rows of its own,
 * older snapshot, so a ledger read with the lock could miss the breach that transaction had just
 * recorded, and a plan made from it would set that deadline again.
 * `skipLocked`: leave out tickets another transaction holds (the timer worker's batches) instead of waiting.
 */
export async function lockTickets(
  trx: Transaction<DB>,
  where: ReturnType<typeof sql>,
  limit: number,
  opts: { skipLocked?: boolean } = {},
): Promise<LockedTicket[]> {
  const { rows } = await sql<TicketRow & { sla_segment: string | null }>`
    select t.*, (select o.segment from organizations o where o.id = t.organization_id) as sla_segment
    from tickets t left join ticket_sla s on s.ticket_id = t.id
    where ${where}
    order by t.id
    limit ${limit}
    for no key update of t${opts.skipLocked ? sql` skip locked` : sql``}`.execute(trx);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const ledgers = new Map(
    (
      await sql<{ ticket_id: string; ledger: Ledger }>`
        select ticket_id, ledger from ticket_sla where ticket_id = any(${ids}::uuid[])`.execute(trx)
    ).rows.map((r) => [r.ticket_id, r.ledger]),
  );
  return rows.map(({ sla_segment, ...ticket }) => ({
    ticket: withDeferredUpdates(trx, [ticket])[0]!,
    ledger: deferredPlan(trx, ticket.id)?.ledger ?? ledgers.get(ticket.id) ?? null,
    segment: sla_segment,
  }));
}

export interface WriteOptions {
  now: Date;
  /** The timer being fired in this transaction: left for the worker to mark fired. */
  keepTimerId?: number;
  /** When the ticket entered its current tier (kept in `tickets.tier_entered_at`). */
  tierEnteredAt: Date;
}

/** The ticket's columns a plan decides: its policy, its tier entry, and its nearest running deadline. */
export type PlannedColumns = Pick<TicketRow, "sla_policy_id" | "tier_entered_at" | "next_due_at" | "next_due_target">;

/** The columns of the ticket under this plan: the nearest deadline of a clock still running (active, warning, breached). */
export function plannedColumns(plan: SlaPlan, tierEnteredAt: Date): PlannedColumns {
  let next: SlaPlan["clocks"][number] | undefined;
  for (const c of plan.clocks) {
    const running = c.state === "active" || c.state === "warning" || c.state === "breached";
    if (running && !c.stoppedAt && (!next || c.dueAt < next.dueAt)) next = c;
  }
  return {
    sla_policy_id: plan.policy?.core.id ?? null,
    tier_entered_at: tierEnteredAt,
    next_due_at: next?.dueAt ?? null,
    next_due_target: next?.target ?? null,
  };
}

interface PlanRow {
  ticket_id: string;
  policy_id: string | null;
  policy_version: number | null;
  ledger: Ledger;
  now: string;
  keep_timer_ids: number[];
  timers: unknown[];
  /** The timers' keys again, as an array: which to keep is then a lookup, not a join. */
  timer_keys: string[];
  /** The ticket's planned columns, written here when the transaction does not defer its writes. */
  columns: PlannedColumns | null;
}

/**
 * Writes plans in one statement, whatever their number: the ledgers, the timers and (when the
 * transaction writes as it goes) the ticket's planned columns. Timers: new ones inserted (a key
 * carries its instant, so an unchanged plan writes nothing); unplanned future ones deleted unless
 * a worker holds them. Timers already due are left to the worker, which may be firing one in this
 * very transaction (a rule reacting to a breach): their handler finds them stale and does nothing.
 * A ticket planned twice in a deferring transaction keeps its last plan.
 */
const flushPlans: DeferredFlush<PlanRow> = async (trx, all) => {
  const last = new Map<string, PlanRow>();
  for (const row of all) {
    const before = last.get(row.ticket_id);
    last.delete(row.ticket_id); // keep the order of last plans
    last.set(
      row.ticket_id,
      before ? { ...row, keep_timer_ids: [...before.keep_timer_ids, ...row.keep_timer_ids] } : row,
    );
  }
  // The ids again as an array: with it the planner keeps to the tickets' index rows whatever the
  // (generic, prepared) plan guesses of the recordset, instead of scanning whole tables.
  const ids = [...last.keys()];
  const columns = [...last.values()].flatMap((r) => (r.columns ? [{ ticket_id: r.ticket_id, ...r.columns }] : []));
  await sql`
    with
    p as (
      select * from jsonb_to_recordset(${JSON.stringify([...last.values()])}::jsonb) as p(ticket_id uuid, policy_id uuid,
        policy_version int, ledger jsonb, now timestamptz, keep_timer_ids bigint[], timers jsonb, timer_keys text[])
    ),
    -- An update where the row exists (most plans), an insert where not: an upsert would first try
    -- an insert and then lock the row it collides with, an index probe and a WAL record more each.
    su as (
      update ticket_sla s set policy_id = p.policy_id, policy_version = p.policy_version, ledger = p.ledger,
        updated_at = p.now
      from p where s.ticket_id = any(${ids}::uuid[]) and s.ticket_id = p.ticket_id
      returning s.ticket_id
    ),
    si as (
      insert into ticket_sla (ticket_id, policy_id, policy_version, ledger, updated_at)
      select ticket_id, policy_id, policy_version, ledger, now from p
      where p.ticket_id not in (select ticket_id from su)
      on conflict (ticket_id) do update set policy_id = excluded.policy_id, policy_version = excluded.policy_version,
        ledger = excluded.ledger, updated_at = excluded.updated_at
    ),
    y as (select p.ticket_id, y.* from p, jsonb_to_recordset(p.timers) as y(kind text, key text, due_at timestamptz, data jsonb)),
    td as (
      delete from timers where id in (
        select t.id from timers t join p on p.ticket_id = t.ticket_id
        where t.ticket_id = any(${ids}::uuid[]) and t.fired_at is null and t.kind in (${KINDS_SQL}) and t.due_at > p.now and t.id <> all(p.keep_timer_ids)
          and t.key <> all(p.timer_keys)
        for update of t skip locked)
    ),
    ti as (
      insert into timers (ticket_id, kind, key, due_at, data)
      select ticket_id, kind, key, due_at, data from y
      on conflict (key) do nothing
    ),
    tu as (
      update tickets t set sla_policy_id = (select sp.id from sla_policies sp where sp.id = c.sla_policy_id),
        tier_entered_at = c.tier_entered_at, next_due_at = c.next_due_at, next_due_target = c.next_due_target
      from jsonb_to_recordset(${JSON.stringify(columns)}::jsonb) as c(ticket_id uuid, sla_policy_id uuid,
        tier_entered_at timestamptz, next_due_at timestamptz, next_due_target text)
      where t.id = any(${columns.map((c) => c.ticket_id)}::uuid[]) and t.id = c.ticket_id
        and (t.sla_policy_id is distinct from c.sla_policy_id or t.tier_entered_at is distinct from c.tier_entered_at
          or t.next_due_at is distinct from c.next_due_at or t.next_due_target is distinct from c.next_due_target)
    )
    select 1`.execute(trx);
};

/**
 * The ledger and policy of this ticket's last plan that this transaction has not written yet (it
 * defers its writes), as reading `ticket_sla` after the write would give them: readers take it
 * from here instead of writing the whole buffer early.
 */
function deferredPlan(trx: Executor, ticketId: string): { ledger: Ledger; policyId: string | null } | undefined {
  const rows = deferredRows(trx, flushPlans);
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i]!;
    if (row.ticket_id === ticketId) return { ledger: cloneLedger(row.ledger), policyId: row.policy_id };
  }
  return undefined;
}

/**
 * Writes a ticket's plan (see flushPlans): at the end of the transaction if it defers its writes
 * (db/deferred.ts), else now; then a NOTIFY (held to the commit) only when a timer is due before
 * the worker would look again anyway. The ticket's planned columns that differ from `ticket` (as
 * the caller holds it) are set with its other changes in a deferring transaction: one update of
 * the row, not two. Returns the ticket with them.
 */
export async function writePlan(
  trx: Transaction<DB>,
  ticket: TicketRow,
  plan: SlaPlan,
  opts: WriteOptions,
): Promise<TicketRow> {
  const columns = plannedColumns(plan, opts.tierEnteredAt);
  const deferred = isDeferred(trx);
  const row: PlanRow = {
    ticket_id: ticket.id,
    policy_id: plan.policy?.core.id ?? null,
    policy_version: plan.policy?.version ?? null,
    // A deferred row is written later: keep the ledger as it is now, whatever its owner does with it meanwhile.
    ledger: deferred ? cloneLedger(plan.ledger) : plan.ledger,
    now: opts.now.toISOString(),
    keep_timer_ids: opts.keepTimerId ? [opts.keepTimerId] : [],
    timers: plan.timers.map((t) => ({ kind: t.kind, key: t.key, due_at: t.dueAt.toISOString(), data: t.data ?? {} })),
    timer_keys: plan.timers.map((t) => t.key),
    columns: deferred ? null : columns,
  };
  let out = { ...ticket, ...columns };
  if (!deferred) await flushPlans(trx, [row]);
  else {
    defer(trx, flushPlans, row);
    const changed =
      ticket.sla_policy_id !== columns.sla_policy_id ||
      !sameInstant(ticket.tier_entered_at, columns.tier_entered_at) ||
      !sameInstant(ticket.next_due_at, columns.next_due_at) ||
      ticket.next_due_target !== columns.next_due_target;
    if (changed) out = await updateTicket(trx, ticket, columns);
  }
  const soonest = plan.timers[0]?.dueAt;
  if (soonest && soonest.getTime() < opts.now.getTime() + NOTIFY_HORIZON_MS)
    await sql`select pg_notify(${TIMER_CHANNEL}, ${soonest.toISOString()})`.execute(trx);
  return out;
}
