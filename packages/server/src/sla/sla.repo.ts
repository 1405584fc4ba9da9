/**
 * The SLA part's queries on a ticket: read its ledger (one query), write its plan (one statement:
 * ledger, clock rows, timers and the ticket's policy column together), rebuild from the timeline.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import { defer, deferredRows, flushDeferred, isDeferred, type DeferredFlush } from "../db/deferred.ts";
import type { DB, TicketRow } from "../db/schema.ts";
import { TIMER_CHANNEL } from "../engine/timers.ts";
import { withDeferredUpdates, writeDeferredTicketUpdates } from "../tickets/ticket.repo.ts";
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

export async function lockTickets(
  trx: Transaction<DB>,
  where: ReturnType<typeof sql>,
  limit: number,
): Promise<LockedTicket[]> {
  const { rows } = await sql<TicketRow & { sla_ledger: Ledger | null; sla_segment: string | null }>`
    select t.*, s.ledger as sla_ledger, (select o.segment from organizations o where o.id = t.organization_id) as sla_segment
    from tickets t left join ticket_sla s on s.ticket_id = t.id
    where ${where}
    order by t.id
    limit ${limit}
    for no key update of t`.execute(trx);
  return rows.map(({ sla_ledger, sla_segment, ...ticket }) => ({
    ticket: withDeferredUpdates(trx, [ticket])[0]!,
    ledger: deferredPlan(trx, ticket.id)?.ledger ?? sla_ledger,
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

interface PlanRow {
  ticket_id: string;
  policy_id: string | null;
  policy_version: number | null;
  ledger: Ledger;
  now: string;
  tier_entered_at: string;
  keep_timer_ids: number[];
  clocks: unknown[];
  timers: unknown[];
  /** The clocks' targets and the timers' keys again, as arrays: what to keep is then a lookup, not a join. */
  targets: string[];
  timer_keys: string[];
}

/**
 * Writes plans in one statement, whatever their number: the ledgers, the clock rows (targets no
 * longer planned removed), the timers, each ticket's policy and tier entry. Timers: new ones
 * inserted (a key carries its instant, so an unchanged plan writes nothing); unplanned future ones
 * deleted unless a worker holds them. Timers already due are left to the worker, which may be
 * firing one in this very transaction (a rule reacting to a breach): their handler finds them
 * stale and does nothing. A ticket planned twice in a deferring transaction keeps its last plan.
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
  // The tickets' own buffered changes first: the policy and tier-entry columns compare against them.
  await writeDeferredTicketUpdates(trx);
  await sql`
    with
    p as (
      select * from jsonb_to_recordset(${JSON.stringify([...last.values()])}::jsonb) as p(ticket_id uuid, policy_id uuid,
        policy_version int, ledger jsonb, now timestamptz, tier_entered_at timestamptz, keep_timer_ids bigint[], clocks jsonb, timers jsonb,
        targets text[], timer_keys text[])
    ),
    s as (
      insert into ticket_sla (ticket_id, policy_id, policy_version, ledger, updated_at)
      select ticket_id, policy_id, policy_version, ledger, now from p
      on conflict (ticket_id) do update set policy_id = excluded.policy_id, policy_version = excluded.policy_version,
        ledger = excluded.ledger, updated_at = excluded.updated_at
    ),
    x as (
      select p.ticket_id, x.* from p, jsonb_to_recordset(p.clocks) as x(target text, state text, started_at timestamptz,
        due_at timestamptz, stopped_at timestamptz, breached_at timestamptz, business_minutes float8, paused_minutes float8, data jsonb)
    ),
    c as (
      insert into ticket_clocks (ticket_id, target, state, started_at, due_at, stopped_at, breached_at, business_minutes, paused_minutes, data)
      select ticket_id, target, state, started_at, due_at, stopped_at, breached_at, business_minutes, paused_minutes, data from x
      on conflict (ticket_id, target) do update set state = excluded.state, started_at = excluded.started_at,
        due_at = excluded.due_at, stopped_at = excluded.stopped_at, breached_at = excluded.breached_at,
        business_minutes = excluded.business_minutes, paused_minutes = excluded.paused_minutes, data = excluded.data
    ),
    cd as (
      delete from ticket_clocks k using p
      where k.ticket_id = any(${ids}::uuid[]) and k.ticket_id = p.ticket_id and k.target <> all(p.targets)
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
      on conflict (key) where fired_at is null do nothing
    ),
    tu as (
      update tickets t set sla_policy_id = (select sp.id from sla_policies sp where sp.id = p.policy_id),
        tier_entered_at = p.tier_entered_at
      from p
      where t.id = any(${ids}::uuid[]) and t.id = p.ticket_id
        and (t.sla_policy_id is distinct from p.policy_id or t.tier_entered_at is distinct from p.tier_entered_at)
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
    if (row.ticket_id === ticketId)
      return { ledger: cloneLedger(row.ledger), policyId: row.policy_id };
  }
  return undefined;
}

/**
 * Writes a ticket's plan (see flushPlans): at the end of the transaction if it defers its writes
 * (db/deferred.ts), else now; then a NOTIFY (held to the commit) only when a timer is due before
 * the worker would look again anyway.
 */
export async function writePlan(
  trx: Transaction<DB>,
  ticketId: string,
  plan: SlaPlan,
  opts: WriteOptions,
): Promise<void> {
  const row: PlanRow = {
    ticket_id: ticketId,
    policy_id: plan.policy?.core.id ?? null,
    policy_version: plan.policy?.version ?? null,
    ledger: plan.ledger,
    now: opts.now.toISOString(),
    tier_entered_at: opts.tierEnteredAt.toISOString(),
    keep_timer_ids: opts.keepTimerId ? [opts.keepTimerId] : [],
    clocks: plan.clocks.map((c) => ({
      target: c.target,
      state: c.state,
      started_at: c.startedAt.toISOString(),
      due_at: c.dueAt.toISOString(),
      stopped_at: c.stoppedAt?.toISOString() ?? null,
      breached_at: c.breachedAt?.toISOString() ?? null,
      business_minutes: c.businessMinutes,
      paused_minutes: c.pausedMinutes,
      data: { target_minutes: c.targetMinutes, ...(c.tier !== null ? { tier: c.tier } : {}) },
    })),
    timers: plan.timers.map((t) => ({ kind: t.kind, key: t.key, due_at: t.dueAt.toISOString(), data: t.data ?? {} })),
    targets: plan.clocks.map((c) => c.target),
    timer_keys: plan.timers.map((t) => t.key),
  };
  // A deferred row is written later: keep the ledger as it is now, whatever its owner does with it meanwhile.
  if (!isDeferred(trx)) await flushPlans(trx, [row]);
  else defer(trx, flushPlans, { ...row, ledger: cloneLedger(row.ledger) });
  const soonest = plan.timers[0]?.dueAt;
  if (soonest && soonest.getTime() < opts.now.getTime() + NOTIFY_HORIZON_MS)
    await sql`select pg_notify(${TIMER_CHANNEL}, ${soonest.toISOString()})`.execute(trx);
}
