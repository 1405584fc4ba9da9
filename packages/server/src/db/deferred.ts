import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "./schema.ts";

type Executor = Kysely<DB> | Transaction<DB>;

/** Writes a table's deferred rows, in one statement. */
export type DeferredFlush<T> = (trx: Executor, rows: T[]) => Promise<void>;

/**
 * Rows a transaction writes at its end instead of one statement at a time. The timer worker turns
 * this on for a batch (many tickets in one transaction, the same few inserts for each): the
 * writers that support it (timeline events, escalation records, rule firings, outbox rows and
 * webhook fan-out, outbound mail records) append here, and the worker writes each table's rows
 * with one statement before it commits. A statement's round trip costs far more than its rows, so
 * a batch of 25 escalations saves some 200 round trips. Readers inside the transaction either see
 * the buffer (the outbox and mail-record checks of customer email, rule-firing claims) or flush it
 * first (the SLA timeline rebuild).
 */
class DeferredWrites {
  readonly parts = new Map<DeferredFlush<never>, unknown[]>();
  readonly ids = new Map<string, number[]>();
  refills = 0;
  constructor(readonly firstRefill: number) {}
}

const open = new WeakMap<object, DeferredWrites>();

/**
 * Turns deferral on for this transaction: until `flushDeferred`, supporting writers buffer their
 * rows. `idsHint`: how many ids of a table the transaction will likely reserve (a batch of N
 * escalations writes about 4N events), so the first reservation asks for them all at once.
 */
export function deferWrites(trx: Transaction<DB>, opts: { idsHint?: number } = {}): void {
  open.set(trx, new DeferredWrites(Math.max(16, opts.idsHint ?? 0)));
}

/** Whether writes to this executor are deferred. */
export function isDeferred(trx: Executor): boolean {
  return open.has(trx);
}

/** Buffers a row for `flush` if this transaction defers its writes; false if it does not (write now). */
export function defer<T>(trx: Executor, flush: DeferredFlush<T>, row: T): boolean {
  const writes = open.get(trx);
  if (!writes) return false;
  const rows = writes.parts.get(flush as DeferredFlush<never>) ?? [];
  if (rows.length === 0) writes.parts.set(flush as DeferredFlush<never>, rows);
  rows.push(row);
  return true;
}

/** The rows buffered so far for `flush` (empty if none or not deferring). */
export function deferredRows<T>(trx: Executor, flush: DeferredFlush<T>): readonly T[] {
  return (open.get(trx)?.parts.get(flush as DeferredFlush<never>) as T[] | undefined) ?? [];
}

/**
 * `n` values of an identity column's sequence for rows written later: a deferred row needs its id
 * now (events are named by id). Values left unused are gaps, as a rolled-back insert leaves.
 */
export async function reserveIds(trx: Executor, table: string, n: number): Promise<number[]> {
  const writes = open.get(trx);
  if (!writes) throw new Error("reserveIds outside a deferring transaction");
  const pool = writes.ids.get(table) ?? [];
  writes.ids.set(table, pool);
  if (pool.length < n) {
    // The hint (16 at least) at first, twice as many at each refill: a small batch wastes few, a large one asks rarely.
    const size = Math.max(n, writes.firstRefill << Math.min(writes.refills++, 6));
    const { rows } = await sql<{ id: number }>`
      select nextval(pg_get_serial_sequence(${table}, 'id')) as id from generate_series(1, ${size})`.execute(trx);
    pool.push(...rows.map((r) => Number(r.id)));
  }
  return pool.splice(0, n);
}

/** Writes what is buffered for one `flush` now (a reader about to query its table needs it there). */
export async function flushDeferredOf<T>(trx: Executor, flush: DeferredFlush<T>): Promise<void> {
  const writes = open.get(trx);
  const rows = writes?.parts.get(flush as DeferredFlush<never>);
  if (!writes || !rows || rows.length === 0) return;
  writes.parts.set(flush as DeferredFlush<never>, []);
  await flush(trx, rows as T[]);
}

/**
 * Writes everything buffered, table by table in the order first used, until nothing is left (a
 * flush may buffer rows of its own: webhook events become outbox rows); deferral stays on.
 */
export async function flushDeferred(trx: Executor): Promise<void> {
  const writes = open.get(trx);
  if (!writes) return;
  for (let again = true; again;) {
    again = false;
    for (const [flush, rows] of writes.parts) {
      if (rows.length === 0) continue;
      writes.parts.set(flush, []);
      await flush(trx, rows as never[]);
      again = true;
    }
  }
}
