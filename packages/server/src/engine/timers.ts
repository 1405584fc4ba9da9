import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../db/database.ts";
import { deferWrites, flushDeferred } from "../db/deferred.ts";
import { expectHandoffs } from "./handoff-facts.ts";
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

/**
 * Acts on one due timer inside the transaction that marks it fired. `prepare`, if present, is
 * told a batch's timers of this handler before they fire (to read what they need in one query);
 * `alone` are those whose ticket has no other timer in the batch, so nothing else in it changes them.
 */
export type TimerHandler = ((trx: Transaction<DB>, timer: TimerRow, now: Date) => Promise<void>) & {
  prepare?: (trx: Transaction<DB>, alone: TimerRow[]) => Promise<void>;
};

export interface NewTimer {
  ticketId: string | null;
  kind: string;
  /**
   * The deadline's identity, unique among all timers: setting a timer with the key of an unfired
   * one replaces it; with the key of one that fired, nothing (a deadline fires once).
   */
  key: string;
  dueAt: Date;
  data?: Record<string, unknown>;
}

/**
 * Locks a batch's tickets (FOR NO KEY UPDATE SKIP LOCKED, in id order) and returns the ids it got.
 * The SLA part's locker reads each ticket's row and ledger with the lock, for its `prepare` to take
 * instead of reading them again.
 */
export type TicketLocker = (trx: Transaction<DB>, ticketIds: string[]) => Promise<Iterable<string>>;

const lockIds: TicketLocker = async (trx, ticketIds) =>
  (
    await trx
      .selectFrom("tickets")
      .select("id")
      .where("id", "in", ticketIds)
      .orderBy("id")
      .forNoKeyUpdate()
      .skipLocked()
      .execute()
  ).map((t) => t.id);

export const TIMER_CHANNEL = "eskala_timers";

/** A handler threw in a batch fired without savepoints: the batch is fired again, carefully. */
class HandlerFailed extends Error {
  constructor(readonly error: unknown) {
    super("a timer handler failed");
  }
}

/**
 * Sets timers in the caller's transaction, replacing unfired timers with the same key (a key that
 * already fired is not set again), and tells sleeping workers if one is due sooner than they planned.
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
    .onConflict((oc) => oc.column("key").doNothing())
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
  deps: { database: Database; clock: Clock; handlers: Map<string, TimerHandler>; lockTickets?: TicketLocker },
  opts: TimerWorkerOptions = {},
) {
  const { database, clock, handlers } = deps;
  const lockTickets = deps.lockTickets ?? lockIds;
  const db: Kysely<DB> = database.db;
  const batchSize = opts.batchSize ?? 200;
  const maxSleepMs = opts.maxSleepMs ?? 30_000;
  let running = false;
  let wake: (() => void) | null = null;
  let nextPlanned = Infinity;
  /** A lane's last batch was full: more was due than one batch holds (a backlog, such as a 09:00 opening). */
  let behind = false;
  let loop: Promise<void> | null = null;
  let unlisten: (() => Promise<void>) | null = null;

  /**
   * Claims and fires one batch; returns how many timers it claimed. First without savepoints (two
   * round trips fewer per timer); if a handler fails, that whole batch rolls back and is claimed
   * again with a savepoint around each timer, so one failing timer holds back no other.
   */
  async function fireDue(): Promise<number> {
    try {
      return await fireBatch(false);
    } catch (err) {
      if (!(err instanceof HandlerFailed)) throw err;
      return fireBatch(true);
    }
  }

  /** Hands each handler with a `prepare` its timers whose ticket has no other timer in the batch. */
  async function prepare(trx: Transaction<DB>, batch: TimerRow[]) {
    const perTicket = new Map<string, number>();
    for (const t of batch) if (t.ticket_id) perTicket.set(t.ticket_id, (perTicket.get(t.ticket_id) ?? 0) + 1);
    const byHandler = new Map<TimerHandler, TimerRow[]>();
    for (const t of batch) {
      const handler = handlers.get(t.kind);
      if (!handler?.prepare || !t.ticket_id || perTicket.get(t.ticket_id) !== 1) continue;
      const timers = byHandler.get(handler) ?? [];
      if (timers.length === 0) byHandler.set(handler, timers);
      timers.push(t);
    }
    try {
      for (const [handler, timers] of byHandler) if (timers.length > 1) await handler.prepare!(trx, timers);
    } catch (err) {
      throw new HandlerFailed(err);
    }
  }

  async function fireBatch(carefully: boolean): Promise<number> {
    const now = clock.now();
    const fired: TimerRow[] = [];
    const claimed = await db.transaction().execute(async (trx) => {
      fired.length = 0;
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
      // Two lanes (or workers) holding timers of the same ticket would wait on each other's ticket
      // lock until commit: take the tickets now, and leave a timer whose ticket another batch holds
      // to a later batch.
      const ticketIds = [...new Set(due.flatMap((t) => (t.ticket_id ? [t.ticket_id] : [])))];
      const held = new Set<string>(ticketIds.length > 0 ? await lockTickets(trx, ticketIds) : []);
      const mine = due.filter((t) => !t.ticket_id || held.has(t.ticket_id));
      if (mine.length === 0 && due.length > 0) await new Promise((r) => setTimeout(r, 5));
      // The batch's inserts (events, escalation records, outbox rows) go in one statement per table
      // at its end; the careful rerun writes as it goes, so a savepoint undoes exactly one timer.
      if (!carefully) {
        // An escalation by deadline appends three or four timeline events.
        deferWrites(trx, { idsHint: 4 * mine.length });
        // The escalations' automatic handoffs read the batch's tickets in one query (handoff-facts.ts).
        expectHandoffs(trx, held);
        await prepare(trx, mine);
      }
      for (const row of mine) {
        const timer = { ...row, data: row.data as Record<string, unknown> };
        const handler = handlers.get(timer.kind);
        if (!carefully) {
          try {
            if (handler) await handler(trx, timer, clock.now());
          } catch (err) {
            throw new HandlerFailed(err);
          }
          fired.push(timer);
          continue;
        }
        try {
          await sql`savepoint timer_fire`.execute(trx);
          if (handler) await handler(trx, timer, clock.now());
          await sql`release savepoint timer_fire`.execute(trx);
          fired.push(timer);
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
            .set({
              due_at: new Date(clock.now().getTime() + delayMs),
              data: JSON.stringify({ ...timer.data, retries, last_error: String(err) }),
            })
            .where("id", "=", timer.id)
            .execute();
          opts.onError?.(timer, err);
        }
      }
      if (!carefully) {
        try {
          await flushDeferred(trx);
        } catch (err) {
          throw new HandlerFailed(err);
        }
      }
      if (fired.length > 0)
        await trx
          .updateTable("timers")
          .set({ fired_at: clock.now() })
          .where(
            "id",
            "in",
            fired.map((t) => t.id),
          )
          .execute();
      return due.length;
    });
    const firedAt = clock.now();
    for (const timer of fired) opts.onFired?.(timer, firedAt);
    return claimed;
  }

  /**
   * Fires everything already due, oldest first. One lane claims batches until none is left; a lane
   * that claimed a full batch (a backlog) brings in another, up to `concurrency` at once. Lanes
   * start as work shows up, not only at the wake-up: under a steady stream one lane would
   * otherwise always find something and keep the others from ever starting.
   */
  function drain(): Promise<void> {
    const concurrency = opts.concurrency ?? 1;
    return new Promise<void>((resolve, reject) => {
      let active = 0;
      let failed = false;
      const start = () => {
        active++;
        lane().then(
          () => --active === 0 && resolve(),
          (err) => {
            failed = true;
            if (--active === 0) reject(err);
          },
        );
      };
      const lane = async () => {
        while (running && !failed) {
          const fired = await fireDue();
          behind = fired >= batchSize;
          if (fired === 0) return;
          if (fired >= batchSize && active < concurrency) start();
        }
      };
      start();
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
        await drain();
        behind = false;
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
        behind = false;
        opts.onError?.({ id: 0, ticket_id: null, kind: "worker", key: "", due_at: new Date(0), data: {} }, err);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  return {
    fireDue,
    /** Catching up on a backlog of due timers: what else this process does can give way meanwhile. */
    behind: () => behind,
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
