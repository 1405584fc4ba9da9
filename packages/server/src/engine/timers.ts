import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../db/database.ts";
import type { DB } from "../db/schema.ts";
import type { Clock } from "../lib/clock.ts";
import type { Executor } from "../tickets/ticket-events.ts";

export interface TimerRow {
  id: number;
  ticket_id: string | null;
  kind: string;
  key: string;
  due_at: Date;
  data: Record<string, unknown>;
}

/** Acts on one due timer inside the transaction that marks it fired. */
export type TimerHandler = (trx: Transaction<DB>, timer: TimerRow, now: Date) => Promise<void>;

export interface NewTimer {
  ticketId: string | null;
  kind: string;
  /** Unique among unfired timers: setting a timer with the same key replaces it. */
  key: string;
  dueAt: Date;
  data?: Record<string, unknown>;
}

export const TIMER_CHANNEL = "eskala_timers";

/**
 * Sets timers in the caller's transaction, replacing unfired timers with the same key, and
 * tells sleeping workers if one is due sooner than they planned.
 */
export async function setTimers(trx: Executor, timers: NewTimer[]): Promise<void> {
  if (timers.length === 0) return;
  await trx
    .deleteFrom("timers")
    .where("fired_at", "is", null)
    .where(
      "key",
      "in",
      timers.map((t) => t.key),
    )
    .execute();
  await trx
    .insertInto("timers")
    .values(
      timers.map((t) => ({
        ticket_id: t.ticketId,
        kind: t.kind,
        key: t.key,
        due_at: t.dueAt,
        data: JSON.stringify(t.data ?? {}),
      })),
    )
    .execute();
  const soonest = timers.reduce((a, b) => (a.dueAt <= b.dueAt ? a : b)).dueAt;
  await sql`select pg_notify(${TIMER_CHANNEL}, ${soonest.toISOString()})`.execute(trx);
}

/** Cancels a ticket's unfired timers whose kind is listed (e.g. when its clocks are replanned). */
export async function cancelTimers(trx: Executor, ticketId: string, kinds: string[]): Promise<void> {
  if (kinds.length === 0) return;
  await trx
    .deleteFrom("timers")
    .where("ticket_id", "=", ticketId)
    .where("fired_at", "is", null)
    .where("kind", "in", kinds)
    .execute();
}

export interface TimerWorkerOptions {
  batchSize?: number;
  /**
   * Batches claimed and fired at once by this process, each in its own transaction (SKIP LOCKED
   * keeps them disjoint). On PostgreSQL this overlaps the round trips of one batch with another's
   * work; the embedded database has one connection, so 1 there.
   */
  concurrency?: number;
  /** Longest sleep when nothing is due (a safety net; NOTIFY normally wakes the worker). */
  maxSleepMs?: number;
  onFired?: (timer: TimerRow, firedAt: Date) => void;
  onError?: (timer: TimerRow, err: unknown) => void;
}

/**
 * The deadline loop: sleeps until the nearest unfired due_at (woken early by NOTIFY), claims due
 * rows with FOR UPDATE SKIP LOCKED in batches, runs each handler and marks the row fired in the
 * same transaction. Several workers share the table; each timer fires once.
 */
export function createTimerWorker(
  deps: { database: Database; clock: Clock; handlers: Map<string, TimerHandler> },
  opts: TimerWorkerOptions = {},
) {
  const { database, clock, handlers } = deps;
  const db: Kysely<DB> = database.db;
  const batchSize = opts.batchSize ?? 200;
  const maxSleepMs = opts.maxSleepMs ?? 30_000;
  let running = false;
  let wake: (() => void) | null = null;
  let nextPlanned = Infinity;
  let loop: Promise<void> | null = null;
  let unlisten: (() => Promise<void>) | null = null;

  /** Claims and fires one batch; returns how many fired. */
  async function fireDue(): Promise<number> {
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom("timers")
        .select(["id", "ticket_id", "kind", "key", "due_at", "data"])
        .where("fired_at", "is", null)
        .where("due_at", "<=", now)
        .orderBy("due_at")
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const row of due) {
        const timer = { ...row, data: row.data as Record<string, unknown> };
        const handler = handlers.get(timer.kind);
        try {
          await sql`savepoint timer_fire`.execute(trx);
          if (handler) await handler(trx, timer, clock.now());
          await sql`release savepoint timer_fire`.execute(trx);
          await trx.updateTable("timers").set({ fired_at: clock.now() }).where("id", "=", timer.id).execute();
          opts.onFired?.(timer, clock.now());
        } catch (err) {
          // One failing timer must not block the others: roll it back and retry it. A lost race with
          // another transaction (deadlock, serialization) is retried at once; anything else a minute later.
          await sql`rollback to savepoint timer_fire`.execute(trx);
          const code = (err as { code?: string }).code;
          const transient = code === "40P01" || code === "40001" || code === "55P03";
          const retries = Number(timer.data.retries ?? 0) + 1;
          const delayMs = transient && retries < 20 ? 50 + Math.floor(Math.random() * 200) : 60_000;
          await trx
            .updateTable("timers")
            .set({ due_at: new Date(clock.now().getTime() + delayMs), data: JSON.stringify({ ...timer.data, retries, last_error: String(err) }) })
            .where("id", "=", timer.id)
            .execute();
          opts.onError?.(timer, err);
        }
      }
      return due.length;
    });
  }

  async function nearestDue(): Promise<Date | null> {
    const row = await db
      .selectFrom("timers")
      .select("due_at")
      .where("fired_at", "is", null)
      .orderBy("due_at")
      .limit(1)
      .executeTakeFirst();
    return row?.due_at ?? null;
  }

  async function run() {
    while (running) {
      try {
        // Drain everything already due, oldest first, with `concurrency` batches in flight.
        const lanes = Array.from({ length: opts.concurrency ?? 1 }, async () => {
          while (running && (await fireDue()) > 0) {
            /* next batch */
          }
        });
        await Promise.all(lanes);
        if (!running) break;
        const next = await nearestDue();
        const waitMs = next ? Math.max(0, next.getTime() - clock.now().getTime()) : maxSleepMs;
        nextPlanned = clock.now().getTime() + Math.min(waitMs, maxSleepMs);
        await new Promise<void>((resolve) => {
          const timeout = setTimeout(resolve, Math.min(waitMs, maxSleepMs));
          wake = () => {
            clearTimeout(timeout);
            resolve();
          };
        });
        wake = null;
      } catch (err) {
        opts.onError?.({ id: 0, ticket_id: null, kind: "worker", key: "", due_at: new Date(0), data: {} }, err);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  return {
    fireDue,
    async start() {
      if (running) return;
      running = true;
      unlisten = await database.listen(TIMER_CHANNEL, (payload) => {
        const due = Date.parse(payload);
        if (!Number.isFinite(due) || due < nextPlanned) wake?.();
      });
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      await unlisten?.();
    },
  };
}
