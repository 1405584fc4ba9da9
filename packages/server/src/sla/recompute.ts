/**
 * Recomputing open tickets after a calendar or policy edit: a job row with its progress, worked
 * off in batches of tickets, one transaction per batch, driven by the timer worker (each batch
 * schedules the next as a timer due at once), so it survives restarts and runs once across
 * processes. Recorded warnings and breaches and stopped clocks' outcomes are kept (see plan.ts).
 */
import { sql, type Kysely, type Transaction } from "kysely";
import { requireRole, type Actor } from "../auth/actor.ts";
import type { DB } from "../db/schema.ts";
import { setTimers, type TimerHandler } from "../engine/timers.ts";
import type { Clock } from "../lib/clock.ts";
import { ledgerFromTimeline } from "./ledger.ts";
import type { SlaConfigCache } from "./sla-config.ts";
import type { SlaEngine } from "./sla-engine.ts";
import { lockTickets, readTimelines } from "./sla.repo.ts";
import { slaDb } from "./sla-tables.ts";

export const RECOMPUTE_TIMER = "sla.recompute";
const OPEN = sql`t.status in ('new', 'open', 'pending', 'on_hold')`;

export interface RecomputeFilter {
  kind: "calendar" | "policy" | "all";
  targetId?: string | null;
  /** Tickets last planned under these policies (calendar and policy jobs). */
  policyIds?: string[];
}

export function createRecomputeService(deps: {
  db: Kysely<DB>;
  engine: SlaEngine;
  cache: SlaConfigCache;
  clock: Clock;
  batchSize?: number;
}) {
  const { db, engine, cache } = deps;
  const batchSize = deps.batchSize ?? 500;

  function scope(jobId: string, kind: RecomputeFilter["kind"]) {
    return kind === "all"
      ? OPEN
      : sql`${OPEN} and s.policy_id in (select unnest(j.policy_ids) from sla_recompute_jobs j where j.id = ${jobId})`;
  }

  /** Creates a job in the caller's transaction; with `schedule` the timer worker starts it at once. */
  async function enqueue(
    trx: Transaction<DB>,
    filter: RecomputeFilter,
    now: Date,
    opts: { schedule?: boolean } = {},
  ): Promise<string> {
    const policyIds = filter.kind === "all" ? [] : (filter.policyIds ?? []);
    const job = await slaDb(trx)
      .insertInto("sla_recompute_jobs")
      .values({
        kind: filter.kind,
        target_id: filter.targetId ?? null,
        policy_ids: sql`array(select jsonb_array_elements_text(${JSON.stringify(policyIds)}::jsonb)::uuid)` as never,
        cursor: null,
        error: null,
        started_at: null,
        finished_at: null,
        created_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from tickets t left join ticket_sla s on s.ticket_id = t.id where ${scope(job.id, filter.kind)}`.execute(
      trx,
    );
    await slaDb(trx)
      .updateTable("sla_recompute_jobs")
      .set({ total: rows[0]?.n ?? 0 })
      .where("id", "=", job.id)
      .execute();
    if (opts.schedule !== false) await schedule(trx, job.id, 0, now);
    return job.id;
  }

  const schedule = (trx: Transaction<DB>, jobId: string, batch: number, now: Date) =>
    setTimers(trx, [
      {
        ticketId: null,
        kind: RECOMPUTE_TIMER,
        key: `sla-recompute:${jobId}:${batch}`,
        dueAt: now,
        data: { job_id: jobId, batch },
      },
    ]);

  /** Recomputes the job's next batch; returns whether more remain. */
  async function runBatch(trx: Transaction<DB>, jobId: string, now: Date): Promise<boolean> {
    const jobs = slaDb(trx);
    const job = await jobs
      .selectFrom("sla_recompute_jobs")
      .selectAll()
      .where("id", "=", jobId)
      .forUpdate()
      .executeTakeFirst();
    if (!job || job.status === "done" || job.status === "failed") return false;
    const config = await cache.reload(trx);
    const cursor = job.cursor ? sql`and t.id > ${job.cursor}` : sql``;
    const locked = await lockTickets(trx, sql`${scope(jobId, job.kind)} ${cursor}`, batchSize);
    const missing = locked.filter((l) => !l.ledger).map((l) => l.ticket.id);
    const timelines = await readTimelines(trx, missing);
    for (const l of locked) {
      const rebuilt = l.ledger ? undefined : ledgerFromTimeline(l.ticket, timelines.get(l.ticket.id) ?? [], now);
      await engine.replan(trx, config, l, now, rebuilt);
    }
    const more = locked.length === batchSize;
    await jobs
      .updateTable("sla_recompute_jobs")
      .set({
        done: job.done + locked.length,
        cursor: locked.at(-1)?.ticket.id ?? job.cursor,
        status: more ? "running" : "done",
        started_at: job.started_at ?? now,
        finished_at: more ? null : now,
      })
      .where("id", "=", jobId)
      .execute();
    return more;
  }

  /** The timer handler: one batch per firing, the next batch scheduled right away. */
  const handler: TimerHandler = async (trx, timer, now) => {
    const jobId = String(timer.data.job_id);
    if (await runBatch(trx, jobId, now)) await schedule(trx, jobId, Number(timer.data.batch ?? 0) + 1, now);
  };

  /** Runs a job to its end here and now, one transaction per batch (tests, demo seeding, CLI). */
  async function runToEnd(
    filter: RecomputeFilter,
    opts: { onProgress?: (done: number, total: number) => void } = {},
  ): Promise<{ id: string; done: number }> {
    const now = deps.clock.now();
    const id = await db.transaction().execute((trx) => enqueue(trx, filter, now, { schedule: false }));
    const progress = async () => {
      if (!opts.onProgress) return;
      const job = await slaDb(db)
        .selectFrom("sla_recompute_jobs")
        .select(["done", "total"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      opts.onProgress(job.done, job.total);
    };
    try {
      await progress();
      while (await db.transaction().execute((trx) => runBatch(trx, id, deps.clock.now()))) {
        await progress();
      }
    } catch (err) {
      await slaDb(db)
        .updateTable("sla_recompute_jobs")
        .set({ status: "failed", error: String(err), finished_at: deps.clock.now() })
        .where("id", "=", id)
        .execute();
      throw err;
    }
    const job = await slaDb(db)
      .selectFrom("sla_recompute_jobs")
      .select("done")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    return { id, done: job.done };
  }

  async function list(actor: Actor) {
    requireRole(actor, "agent");
    const rows = await slaDb(db)
      .selectFrom("sla_recompute_jobs")
      .selectAll()
      .orderBy("created_at", "desc")
      .limit(50)
      .execute();
    return rows.map((j) => ({
      id: j.id,
      kind: j.kind,
      target_id: j.target_id,
      total: j.total,
      done: j.done,
      status: j.status,
      error: j.error,
      created_at: j.created_at.toISOString(),
      started_at: j.started_at?.toISOString() ?? null,
      finished_at: j.finished_at?.toISOString() ?? null,
    }));
  }

  return { enqueue, runBatch, runToEnd, handler, list };
}

export type RecomputeService = ReturnType<typeof createRecomputeService>;
