import { sql, type Kysely } from "kysely";
import type { Database } from "../db/database.ts";
import type { DB } from "../db/schema.ts";
import type { Clock } from "../lib/clock.ts";
import { RETRY, retryDelayMs } from "./backoff.ts";
import { OUTBOX_CHANNEL } from "./outbox.ts";
import { errorText, type ClaimedRow, type KindHandler, type Outcome } from "./outbox-row.ts";

export interface RelayOptions {
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /** Longest sleep with nothing due: a safety net, since NOTIFY normally wakes the relay. */
  pollMs?: number;
  /** For tests: the jitter's random source. */
  random?: () => number;
  onError?: (err: unknown, row?: ClaimedRow) => void;
  onRecorded?: (row: ClaimedRow, status: "delivered" | "pending" | "dead", outcome: Outcome) => void;
}

export interface OutboxRelay {
  /** Claims due rows (leasing them), without delivering: what a relay that then crashes did. */
  claim(): Promise<ClaimedRow[]>;
  /** Claims one batch, delivers it and records the results; returns how many rows it handled. */
  runOnce(): Promise<number>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The outbox relay. It claims due rows with FOR UPDATE SKIP LOCKED and leases them in the same
 * statement (attempts + 1, next_attempt_at pushed past the lease), delivers outside any
 * transaction, then records the result: delivered, retried with exponential backoff, or dead
 * after `maxAttempts`. A relay killed mid-delivery leaves its rows leased; once the lease runs out
 * another relay (or the restarted one) delivers them again: at-least-once, with the same
 * idempotency key. Woken by NOTIFY on `eskala_outbox`; polls every `pollMs` as a safety net.
 */
export function createOutboxRelay(
  deps: { database: Database; clock: Clock; handlers: Record<ClaimedRow["kind"], KindHandler> },
  opts: RelayOptions = {},
): OutboxRelay {
  const { database, clock, handlers } = deps;
  const db: Kysely<DB> = database.db;
  const batchSize = opts.batchSize ?? 50;
  const leaseMs = opts.leaseMs ?? RETRY.leaseMs;
  const maxAttempts = opts.maxAttempts ?? RETRY.maxAttempts;
  const pollMs = opts.pollMs ?? 3_000;
  const random = opts.random ?? Math.random;
  const onError = opts.onError ?? (() => {});

  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let woken = false;
  let unlisten: (() => Promise<void>) | null = null;

  async function claim(): Promise<ClaimedRow[]> {
    const now = clock.now();
    const rows = await db
      .with("due", (q) =>
        q
          .selectFrom("outbox")
          .select("id")
          .where("status", "=", "pending")
          .where("next_attempt_at", "<=", now)
          .orderBy("next_attempt_at")
          .limit(batchSize)
          .forUpdate()
          .skipLocked(),
      )
      .updateTable("outbox")
      .from("due")
      .whereRef("outbox.id", "=", "due.id")
      .set({ attempts: sql`outbox.attempts + 1`, next_attempt_at: new Date(now.getTime() + leaseMs) })
      .returning([
        "outbox.id",
        "outbox.kind",
        "outbox.idempotency_key",
        "outbox.ticket_id",
        "outbox.payload",
        "outbox.attempts",
      ])
      .execute();
    return rows.map((r) => ({ ...r, payload: r.payload as Record<string, unknown> }));
  }

  async function deliver(row: ClaimedRow): Promise<void> {
    const handler = handlers[row.kind];
    let outcome: Outcome | null = null;
    try {
      if (!handler) outcome = { ok: false, error: `no handler for kind ${row.kind}`, permanent: true };
      else if (handler.send) outcome = await handler.send(row);
    } catch (err) {
      outcome = { ok: false, error: errorText(err) };
    }
    try {
      await record(row, handler, outcome);
    } catch (err) {
      // Left leased: retried after the lease like a crash.
      onError(err, row);
    }
  }

  async function record(row: ClaimedRow, handler: KindHandler | undefined, sent: Outcome | null): Promise<void> {
    const recorded = await db.transaction().execute(async (trx) => {
      // The lease token: if the lease ran out and another relay re-claimed the row, it is theirs now.
      const owned = await trx
        .selectFrom("outbox")
        .select("id")
        .where("id", "=", row.id)
        .where("attempts", "=", row.attempts)
        .where("status", "=", "pending")
        .forUpdate()
        .executeTakeFirst();
      if (!owned) return null;
      const now = clock.now();
      const final: Outcome = (await handler?.commit?.(trx, row, sent, now)) ??
        sent ?? { ok: false, error: `the ${row.kind} handler did nothing`, permanent: true };
      let status: "delivered" | "pending" | "dead";
      if (final.ok) {
        status = "delivered";
        await trx
          .updateTable("outbox")
          .set({ status, delivered_at: now, last_error: null })
          .where("id", "=", row.id)
          .execute();
      } else {
        status = final.permanent || row.attempts >= maxAttempts ? "dead" : "pending";
        await trx
          .updateTable("outbox")
          .set({
            status,
            last_error: final.error,
            next_attempt_at: new Date(
              now.getTime() + (status === "pending" ? retryDelayMs(row.attempts, random()) : 0),
            ),
          })
          .where("id", "=", row.id)
          .execute();
      }
      return { status, final };
    });
    if (recorded) opts.onRecorded?.(row, recorded.status, recorded.final);
  }

  async function runOnce(): Promise<number> {
    const rows = await claim();
    await Promise.all(rows.map(deliver));
    return rows.length;
  }

  async function msUntilNextDue(): Promise<number> {
    const row = await db
      .selectFrom("outbox")
      .select("next_attempt_at")
      .where("status", "=", "pending")
      .orderBy("next_attempt_at")
      .limit(1)
      .executeTakeFirst();
    if (!row) return pollMs;
    return Math.min(pollMs, Math.max(0, row.next_attempt_at.getTime() - clock.now().getTime()));
  }

  async function run() {
    while (running) {
      try {
        woken = false;
        while (running && (await runOnce()) > 0) {
          /* drain everything due */
        }
        if (!running) break;
        const waitMs = await msUntilNextDue();
        if (woken || waitMs === 0) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      } catch (err) {
        onError(err);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  return {
    claim,
    runOnce,
    async start() {
      if (running) return;
      running = true;
      unlisten = await database.listen(OUTBOX_CHANNEL, () => {
        woken = true;
        wake?.();
      });
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      loop = null;
      await unlisten?.();
      unlisten = null;
    },
  };
}
