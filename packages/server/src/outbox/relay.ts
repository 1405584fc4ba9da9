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
  /**
   * While this returns true (the process's deadline worker is catching up on a backlog), the relay
   * delivers one batch a second instead of draining: on shared cores the escalations go first, and
   * what they queued is delivered right after. Checked between batches.
   */
  giveWayWhile?: () => boolean;
  /** How long a batch waits while giving way (default 1,000 ms). */
  giveWayMs?: number;
  /**
   * Batches claimed and delivered at once while draining a backlog (default 1): a lane whose batch
   * came back full brings in another, up to this many, unless the relay is giving way. Leases
   * (SKIP LOCKED) keep the lanes' rows apart. A batch waits mostly on round trips and receivers,
   * so after a burst of deadlines one lane leaves the cores idle.
   */
  concurrency?: number;
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
  deps: { database: Database; clock: Clock; handlers: Partial<Record<ClaimedRow["kind"], KindHandler>> },
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
  const giveWayWhile = opts.giveWayWhile ?? (() => false);
  const giveWayMs = opts.giveWayMs ?? 1_000;
  const concurrency = opts.concurrency ?? 1;

  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let woken = false;
  let unlisten: (() => Promise<void>) | null = null;

  /** Waits up to `giveWayMs` while `giveWayWhile` holds, looking again every 50 ms; stop() ends it. */
  async function giveWay(): Promise<void> {
    const until = performance.now() + giveWayMs;
    while (running && giveWayWhile() && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
  }

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

  async function send(row: ClaimedRow): Promise<Outcome | null> {
    const handler = handlers[row.kind];
    try {
      if (!handler) return { ok: false, error: `no handler for kind ${row.kind}`, permanent: true };
      return handler.send ? await handler.send(row) : null;
    } catch (err) {
      return { ok: false, error: errorText(err) };
    }
  }

  /** The row's status after this attempt, and the columns that say so. */
  function settle(row: ClaimedRow, final: Outcome, now: Date) {
    if (final.ok) return { status: "delivered" as const, delivered_at: now, last_error: null, next_attempt_at: null };
    const status = final.permanent || row.attempts >= maxAttempts ? ("dead" as const) : ("pending" as const);
    const delay = status === "pending" ? retryDelayMs(row.attempts, random()) : 0;
    return { status, delivered_at: null, last_error: final.error, next_attempt_at: new Date(now.getTime() + delay) };
  }

  /**
   * Records a whole batch in one transaction: one statement checks the leases, each kind's commit
   * step runs, one statement writes every row's status. If any commit step fails, the batch rolls
   * back and each row is recorded on its own, so one bad row holds back no other (a row whose own
   * commit fails stays leased and is retried after the lease, like a crash).
   */
  async function recordBatch(rows: ClaimedRow[], sent: (Outcome | null)[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await record(rows, sent);
    } catch {
      await Promise.all(rows.map((row, i) => record([row], [sent[i] ?? null]).catch((err) => onError(err, row))));
    }
  }

  async function record(rows: ClaimedRow[], sent: (Outcome | null)[]): Promise<void> {
    const recorded = await db.transaction().execute(async (trx) => {
      // The lease token: if the lease ran out and another relay re-claimed a row, it is theirs now.
      const owned = await trx
        .selectFrom("outbox")
        .select(["id", "attempts"])
        .where(
          "id",
          "in",
          rows.map((r) => r.id),
        )
        .where("status", "=", "pending")
        .orderBy("id")
        .forUpdate()
        .execute();
      const attemptsOf = new Map(owned.map((o) => [o.id, o.attempts]));
      const now = clock.now();
      const out: { row: ClaimedRow; status: "delivered" | "pending" | "dead"; final: Outcome }[] = [];
      const updates: Record<string, unknown>[] = [];
      const mine = rows.flatMap((row, i) =>
        attemptsOf.get(row.id) === row.attempts ? [{ row, outcome: sent[i] ?? null }] : [],
      );
      // Kinds that commit many rows at once do so first, one call each.
      const committed = new Map<number, Outcome | void>();
      for (const kind of new Set(mine.map((m) => m.row.kind))) {
        const handler = handlers[kind];
        if (!handler?.commitMany) continue;
        const ofKind = mine.filter((m) => m.row.kind === kind);
        const results = await handler.commitMany(trx, ofKind, now);
        ofKind.forEach((m, i) => committed.set(m.row.id, results[i]));
      }
      for (const { row, outcome } of mine) {
        const own = committed.has(row.id)
          ? committed.get(row.id)
          : await handlers[row.kind]?.commit?.(trx, row, outcome, now);
        const final: Outcome = own ??
          outcome ?? { ok: false, error: `the ${row.kind} handler did nothing`, permanent: true };
        const columns = settle(row, final, now);
        updates.push({ id: row.id, ...columns });
        out.push({ row, status: columns.status, final });
      }
      if (updates.length > 0)
        await sql`
          update outbox o set status = v.status, delivered_at = v.delivered_at, last_error = v.last_error,
            next_attempt_at = coalesce(v.next_attempt_at, o.next_attempt_at)
          from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb)
            as v(id bigint, status text, delivered_at timestamptz, last_error text, next_attempt_at timestamptz)
          where o.id = v.id`.execute(trx);
      return out;
    });
    for (const r of recorded) opts.onRecorded?.(r.row, r.status, r.final);
  }

  async function runOnce(): Promise<number> {
    const rows = await claim();
    // Deliveries outside any transaction, side by side; then their results in one transaction.
    const sent = await Promise.all(rows.map(send));
    await recordBatch(rows, sent);
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

  /**
   * Delivers everything due: one lane claims batches until none is left, one batch a second while
   * deadlines are catching up; a lane whose batch was full brings in another, up to `concurrency`.
   */
  function drain(): Promise<void> {
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
          const handled = await runOnce();
          if (handled === 0) return;
          if (giveWayWhile()) {
            // Giving way: one batch a second in all, so the other lanes end.
            if (active > 1) return;
            await giveWay();
          } else if (handled >= batchSize && active < concurrency) start();
        }
      };
      start();
    });
  }

  async function run() {
    while (running) {
      try {
        woken = false;
        await drain();
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
