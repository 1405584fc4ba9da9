/**
 * Escalation benchmark (issue 4), on the local PostgreSQL with a separate `eskala worker` process.
 *
 * For each backlog size (BENCH_BACKLOGS, default 10000,100000,1000000):
 *  1. a fresh database with the demo structure, SLA policies and default rules (breach → next tier);
 *  2. the backlog: N open tickets (generate_series) each with an SLA timer due weeks ahead;
 *  3. one template ticket imported through the API, whose first-response clock is long breached
 *     (a 24/7 VIP policy); K clones of it (ticket and SLA ledger copied by SQL, so each
 *     clone is exactly what the API would have written) with their breach timers due at a steady
 *     200 per second starting a few seconds ahead;
 *  4. BENCH_WORKERS (default 1) `eskala worker` processes start (with BENCH_SPLIT=1 they run the
 *     timers only and one more process runs the relay); every timer goes the real path: SLA handler → `sla.breached` event → rules
 *     → escalation → routing → outbox, one transaction each batch. Lag = the timer's fired_at (the
 *     batch's clock after all its handlers and inserts, just before the commit) minus its due_at.
 *  5. a burst: BURST clones all due at one instant (a 09:00 opening); time until the last is escalated,
 *     and until the relay has delivered what they queued;
 *  6. idle load: transactions per second the worker commits with nothing due (once the relay has
 *     delivered what the escalations queued), from pg_stat_database.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import pg from "pg";
import { ADMIN_TOKEN, cli, databaseExists, emit, nodeArgs, percentile, startServer } from "./lib/server.ts";

const BACKLOGS = (process.env.BENCH_BACKLOGS ?? "10000,100000,1000000").split(",").map(Number);
const STEADY = Number(process.env.BENCH_STEADY ?? 6000); // 30 s at 200/s
const RATE = Number(process.env.BENCH_RATE ?? 200);
const BURST = Number(process.env.BENCH_BURST ?? 100_000);
/** `eskala worker` processes sharing the timers (SKIP LOCKED), as a scaled-out deployment runs them. */
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const SPLIT = process.env.BENCH_SPLIT === "1";
/** BENCH_REUSE=1: keep a copy of each seeded backlog and start later runs from it (seeding 1,000,000 takes about 10 minutes). */
const REUSE = process.env.BENCH_REUSE === "1";
const ROOT = new URL("../", import.meta.url).pathname;
/** Names of the databases this run makes (`<prefix>_esc_<backlog>`, `<prefix>_seeded_<backlog>`) and the template server's port. */
const DB_PREFIX = process.env.BENCH_DB_PREFIX ?? "eskala_bench";
const PORT = Number(process.env.BENCH_PORT ?? 3950);
/** BENCH_KEEP=1: leave each run's database in place afterwards (to look at it); by default the run drops what it made. */
const KEEP = process.env.BENCH_KEEP === "1";
const SERVER_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Runs statements on the server's maintenance database. */
async function onServer<T>(run: (s: pg.Client) => Promise<T>): Promise<T> {
  const s = new pg.Client({ connectionString: SERVER_URL });
  await s.connect();
  try {
    return await run(s);
  } finally {
    await s.end();
  }
}

/**
 * Creates a database (empty, or a file copy of `template`) and returns its address. One that
 * already exists is refused, not dropped: this run did not make it, and it may be someone else's.
 */
async function createDatabase(name: string, template?: string): Promise<string> {
  if (await databaseExists(name))
    throw new Error(`database ${name} exists; drop it (a kept or interrupted run?) or choose another BENCH_DB_PREFIX`);
  const quoted = pg.escapeIdentifier(name);
  await onServer((s) =>
    s.query(template ? `create database ${quoted} template ${pg.escapeIdentifier(template)} strategy file_copy` : `create database ${quoted}`),
  );
  const u = new URL(SERVER_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops a database this run created. */
const dropDatabase = (name: string) => onServer((s) => s.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`));

/** The processes to stop and databases to drop when the run ends, however it ends. */
const made: string[] = [];
const children: ChildProcess[] = [];
async function cleanUp() {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  await Promise.all(children.map((child) => (child.exitCode === null ? once(child, "exit") : null)));
  children.length = 0;
  if (!KEEP) for (const name of made.splice(0)) await dropDatabase(name);
}
process.once("SIGINT", () => void cleanUp().finally(() => process.exit(130)));

async function q<T = any>(c: pg.Client, text: string, values: unknown[] = []): Promise<T[]> {
  return (await c.query(text, values)).rows as T[];
}

/** Copies the template ticket `count` times with its SLA state; breach timers due at start + i/rate. */
async function cloneTemplate(c: pg.Client, templateId: string, count: number, startMs: number, perSecond: number | null, tag: string) {
  await c.query("begin");
  await c.query(
    `create temp table clones on commit drop as
       select gen_random_uuid() as id, g as i from generate_series(0, $1::int - 1) g`,
    [count],
  );
  await c.query(
    `insert into tickets (id, subject, description, requester_id, organization_id, channel, status, priority, priority_rank, language,
                          category_id, tags, tier, group_id, assignee_id, created_at, updated_at, sla_policy_id, tier_entered_at, next_due_at, next_due_target)
     select c.id, t.subject || ' #' || c.i, t.description, t.requester_id, t.organization_id, t.channel, t.status, t.priority, t.priority_rank, t.language,
            t.category_id, array[$2::text], t.tier, t.group_id, t.assignee_id, t.created_at, t.updated_at, t.sla_policy_id, t.tier_entered_at,
            t.next_due_at, t.next_due_target
     from clones c, tickets t where t.id = $1`,
    [templateId, tag],
  );
  await c.query(`insert into ticket_sla (ticket_id, policy_id, policy_version, ledger) select c.id, s.policy_id, s.policy_version, s.ledger from clones c, ticket_sla s where s.ticket_id = $1`, [templateId]);
  await c.query(
    `insert into timers (ticket_id, kind, key, due_at, data)
     select c.id, tm.kind, replace(tm.key, $1::text, c.id::text),
            to_timestamp(($2::float8 + case when $3::float8 > 0 then c.i * 1000.0 / $3::float8 else 0 end) / 1000.0), tm.data
     from clones c, timers tm where tm.ticket_id = $1::uuid and tm.kind = 'sla.breached' and tm.data->>'target' = 'first_response' and tm.fired_at is null`,
    [templateId, startMs, perSecond ?? 0],
  );
  // Firing a timer may replace the ticket's timer rows (its clocks are replanned), so keep the deadlines aside.
  await c.query(`create table if not exists bench_due (ticket_id uuid primary key, due_at timestamptz not null)`);
  await c.query(`insert into bench_due select tm.ticket_id, tm.due_at from timers tm join clones c on c.id = tm.ticket_id where tm.kind = 'sla.breached'`);
  // As setTimers does: tell sleeping workers a nearer deadline exists (delivered on commit).
  await c.query(`select pg_notify('eskala_timers', to_char($1::float8 / 1000 * interval '1 second' + 'epoch'::timestamptz, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`, [startMs]);
  await c.query("commit");
}

/**
 * Lag per escalated ticket: its breach timer's fired_at (written by the batch after every handler
 * and the deferred inserts, just before the commit) minus the deadline.
 */
async function lagsOf(c: pg.Client, tag: string) {
  return q<{ lag_ms: number }>(
    c,
    `select extract(epoch from (tm.fired_at - d.due_at)) * 1000 as lag_ms
     from tickets t join bench_due d on d.ticket_id = t.id
       join timers tm on tm.ticket_id = t.id and tm.kind = 'sla.breached' and tm.due_at = d.due_at and tm.fired_at is not null
     where t.tags @> array[$1::text] and exists (select 1 from escalations e where e.ticket_id = t.id)`,
    [tag],
  );
}

/** CPU seconds (user + system) a process has used so far, from /proc; 0 where there is none (not Linux, gone). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by the worker processes and by the database's server processes (the bench's own connection aside). */
async function cpuNow(c: pg.Client, workerPids: number[]) {
  const backends = await q<{ pid: number }>(c, `select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
  const pg: Record<number, number> = {};
  for (const b of backends) pg[b.pid] = cpuSeconds(b.pid);
  return { workers: workerPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0), pg };
}

/**
 * Waits until every timer due by `dueBy` (epoch ms) has fired, then counts the tag's escalated
 * tickets. The wait looks for one unfired due timer in the partial due index, which costs the
 * database almost nothing; counting the tagged escalations takes a join over the backlog (tens of
 * milliseconds with a million tickets), so it runs once at the end instead of four times a second
 * while the worker is being measured.
 */
async function waitEscalated(c: pg.Client, tag: string, dueBy: number, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await q(c, `select exists (select 1 from timers where fired_at is null and due_at <= to_timestamp($1::float8 / 1000)) as waiting`, [dueBy]);
    if ((!row.waiting && Date.now() >= dueBy) || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const [row] = await q(c, `select count(distinct e.ticket_id)::int n from escalations e join tickets t on t.id = e.ticket_id where t.tags @> array[$1::text]`, [tag]);
  return row.n as number;
}

try {
  for (const backlog of BACKLOGS) {
    const dbName = `${DB_PREFIX}_esc_${backlog}`;
    const seeded = `${DB_PREFIX}_seeded_${backlog}`;
    const reused = REUSE && (await databaseExists(seeded));
    const url = await createDatabase(dbName, reused ? seeded : undefined);
    made.push(dbName);
    let seedSeconds: number | null = null;
    if (reused) {
      console.error(`[${backlog}] the backlog from ${seeded}`);
      await cli(["migrate"], { DATABASE_URL: url });
    } else {
      await cli(["seed", "--demo"], { DATABASE_URL: url, ESKALA_DEMO: "true" });
      console.error(`[${backlog}] seeding the backlog…`);
      const t0 = performance.now();
      await cli(["seed", "--tickets", String(backlog)], { DATABASE_URL: url });
      const s = new pg.Client({ connectionString: url });
      await s.connect();
      await s.query(
        `insert into timers (ticket_id, kind, key, due_at, data)
         select id, 'sla.breached', 'backlog:' || id, now() + interval '14 days' + (random() * interval '14 days'), '{"target":"resolution"}'
         from tickets where subject like 'Bulk ticket%'`,
      );
      await s.query("analyze");
      await s.end();
      seedSeconds = (performance.now() - t0) / 1000;
      // The kept copy outlives the run on purpose (BENCH_REUSE); it is made only where none existed.
      if (REUSE) await createDatabase(seeded, dbName);
    }
    const c = new pg.Client({ connectionString: url });
    await c.connect();

    // The template: imported through the API, its first response due long ago under the 24/7 VIP policy.
    const server = await startServer({ DATABASE_URL: url, ESKALA_WORKER: "false", ESKALA_SMTP_PORT: "0" }, PORT);
    const res = await fetch(`${server.url}/api/v1/tickets`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ subject: "Transaksi gagal (bench)", description: "Saldo terpotong", requester: { email: "linda@nusantararetail.co.id" }, priority: "urgent", created_at: new Date(Date.now() - 30 * 60_000).toISOString() }),
    });
    const template = (await res.json()) as { id: string };
    await server.stop();
    await c.query(`update timers set due_at = now() + interval '30 days' where ticket_id = $1 and fired_at is null`, [template.id]); // the template itself takes no part

    // BENCH_SPLIT=1: the WORKERS processes run the deadline timers only, and one more runs the relay.
    const kinds = SPLIT ? [...Array.from({ length: WORKERS }, () => "timers"), "outbox,mail"] : Array.from({ length: WORKERS }, () => "timers,outbox,mail");
    const workers = kinds.map((kind) =>
      spawn(process.execPath, [...nodeArgs(), "--import", "tsx", `${ROOT}packages/server/src/main.ts`, "worker"], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "warn", ESKALA_SMTP_PORT: "0", ESKALA_WORKERS: kind },
        stdio: ["ignore", "ignore", "inherit"],
      }),
    );
    children.push(...workers);
    // The demo's own overdue timers fire first, oldest first; measure only once they are done.
    for (let i = 0; i < 600; i++) {
      const [{ n }] = await q(c, `select count(*)::int n from timers where fired_at is null and due_at <= now()`);
      if (n === 0 && i > 10) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const steadyStart = Date.now() + 8_000;
    await cloneTemplate(c, template.id, STEADY, steadyStart, RATE, "steady");
    const [{ open }] = await q(c, `select count(*)::int open from tickets where status in ('new','open','pending','on_hold')`);

    const done = await waitEscalated(c, "steady", steadyStart + (STEADY / RATE) * 1000, STEADY / RATE * 1000 + 60_000);
    // Idle: nothing due for a while (the demo's own overdue timers fired at the worker's start), and
    // the relay done with the deliveries the escalations queued, so only the waiting is measured.
    for (let i = 0; i < 240; i++) {
      const [{ n }] = await q(c, `select count(*)::int n from outbox where status = 'pending' and next_attempt_at <= now()`);
      if (n === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    // PostgreSQL 15's backends publish their transaction counts up to 10 s after they go idle: wait
    // for the counts of the escalations and deliveries to land before the window opens.
    await new Promise((r) => setTimeout(r, 12_000));
    const stat = async () => (await q(c, `select xact_commit::bigint + xact_rollback::bigint as x from pg_stat_database where datname = $1`, [dbName]))[0].x;
    const x0 = Number(await stat());
    await new Promise((r) => setTimeout(r, 10_000));
    const idleTps = (Number(await stat()) - x0 - 2) / 10; // minus this probe's own statements
    const lags = (await lagsOf(c, "steady")).map((r) => Number(r.lag_ms)).sort((a, b) => a - b);
    emit({
      bench: "escalation.steady",
      open_tickets: open,
      backlog_timers: backlog,
      workers: WORKERS,
      relay_apart: SPLIT,
      deadlines: STEADY,
      rate_per_s: RATE,
      escalated: done,
      lag_ms: { p50: +percentile(lags, 50).toFixed(1), p99: +percentile(lags, 99).toFixed(1), max: +percentile(lags, 100).toFixed(1) },
      worker_idle_transactions_per_s: +idleTps.toFixed(2),
      seed_seconds: seedSeconds === null ? "reused" : +seedSeconds.toFixed(1),
    });

    if (BURST > 0 && backlog === BACKLOGS[BACKLOGS.length - 1]) {
      const burstAt = Date.now() + 20_000 + BURST / 10; // leave time to write the clones first
      await cloneTemplate(c, template.id, BURST, burstAt, null, "burst");
      await new Promise((r) => setTimeout(r, Math.max(0, burstAt - Date.now() - 200)));
      const workerPids = workers.map((w) => w.pid ?? 0);
      const cpu0 = await cpuNow(c, workerPids);
      const burstDone = await waitEscalated(c, "burst", burstAt, burstAt - Date.now() + 180_000);
      const cpu1 = await cpuNow(c, workerPids);
      // Server processes of the database that lived through the burst (connections are pooled and stay).
      const pgSeconds = Object.entries(cpu1.pg).reduce((sum, [pid, s]) => sum + s - (cpu0.pg[Number(pid)] ?? 0), 0);
      const [last] = await q(
        c,
        `select extract(epoch from (max(tm.fired_at) - to_timestamp($2::float8 / 1000))) as s
         from tickets t join timers tm on tm.ticket_id = t.id and tm.kind = 'sla.breached' and tm.fired_at is not null
         where t.tags @> array[$1::text]`,
        ["burst", burstAt],
      );
      // The deliveries the burst queued (customer emails, in-app notifications): the relay shares the
      // worker process (and the cores) with the deadlines, so most follow the burst. When the last was done.
      const deliveredBy = Date.now() + 300_000;
      for (;;) {
        const [row] = await q(c, `select exists (select 1 from outbox where status = 'pending') as pending`);
        if (!row.pending || Date.now() > deliveredBy) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const [delivered] = await q(c, `select extract(epoch from (max(delivered_at) - to_timestamp($1::float8 / 1000))) as s from outbox where delivered_at is not null`, [burstAt]);
      emit({ bench: "escalation.burst", workers: WORKERS, relay_apart: SPLIT, open_tickets: open + BURST, deadlines_at_one_instant: BURST, escalated: burstDone, all_escalated_within_s: +Number(last.s).toFixed(1),
        all_delivered_within_s: +Number(delivered.s).toFixed(1),
        // What each escalation cost in CPU, from /proc: the machine's speed aside, the number to compare changes by.
        cpu_ms_per_escalation: { workers: +(((cpu1.workers - cpu0.workers) * 1000) / burstDone).toFixed(2), postgres: +((pgSeconds * 1000) / burstDone).toFixed(2) } });
    }

    await c.end();
    await cleanUp();
  }
} finally {
  await cleanUp();
}
