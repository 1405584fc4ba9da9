/**
 * WhatsApp inbound benchmark (issue 19): signed Cloud API webhook deliveries posted by autocannon
 * to an `eskala serve` on PostgreSQL, one text message per delivery (as Meta sends them), from
 * BENCH_WA_CUSTOMERS customers: a customer's first message opens a ticket, the next ones are replies
 * threaded by wa_id. Prints messages/s and latency percentiles. The server runs the timer worker
 * only (the outbox relay would call the Graph API for each acknowledgement; the rows are written).
 * autocannon, the server and PostgreSQL share this machine's cores.
 * Also prints the CPU each message cost (the server process and the database's backends, from
 * /proc: what a loaded machine does not change) and the transactions per message.
 * Env: BENCH_WA_DB (database, created and dropped; default eskala_bench_whatsapp; a run refuses one
 * that exists rather than drop what it did not create), BENCH_WA_PORT (default a random free-looking
 * port in 23000-24999), BENCH_SECONDS (default 15), BENCH_WARMUP (default 5), BENCH_CONNECTIONS
 * (default 32), BENCH_WA_CUSTOMERS (default 2000), BENCH_PG_URL (the server, default
 * postgres://postgres@127.0.0.1:5432/postgres), BENCH_NODE_ARGS (e.g. --cpu-prof for a V8 profile).
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import pg from "pg";
import { databaseExists, emit, freshPostgres, percentile, startServer } from "./lib/server.ts";

const round = (x: number) => Math.round(x * 10) / 10;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const CUSTOMERS = Number(process.env.BENCH_WA_CUSTOMERS ?? 2000);
const DB = process.env.BENCH_WA_DB ?? "eskala_bench_whatsapp";
const SECRET = "bench-whatsapp-app-secret";
const PORT = Number(process.env.BENCH_WA_PORT ?? 23000 + Math.floor(Math.random() * 2000));

let n = 0;
function delivery(): { body: string; signature: string } {
  const i = ++n;
  const waId = String(6281200000000 + (i % CUSTOMERS));
  const body = JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "WABA-BENCH",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "6281100000000", phone_number_id: "109876543210" },
              contacts: [{ profile: { name: `Pelanggan ${i % CUSTOMERS}` }, wa_id: waId }],
              messages: [
                {
                  from: waId,
                  id: `wamid.bench-${process.pid}-${i}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: "text",
                  text: { body: `Saldo saya belum masuk, pesan ke-${i}` },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  return { body, signature: `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}` };
}

/** A run of `duration` seconds; the latency of every response kept for exact percentiles. */
function load(url: string, duration: number): Promise<{ result: autocannon.Result; times: number[] }> {
  const times: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/api/v1/channels/whatsapp/webhook`,
        method: "POST",
        connections: CONNECTIONS,
        duration,
        requests: [
          {
            setupRequest: (req) => {
              const d = delivery();
              return {
                ...req,
                body: d.body,
                headers: { "content-type": "application/json", "x-hub-signature-256": d.signature },
              };
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve({ result, times })),
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      if (status === 200) times.push(ms);
    });
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc; 0 where there is none (gone). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

/** The server's CPU, each backend's of the database (the bench's own connection aside), and the commits so far. */
async function usage(c: pg.Client, serverPid: number) {
  const backends = await c.query<{ pid: number }>(
    `select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
  );
  const pgCpu = new Map(backends.rows.map((b) => [b.pid, cpuSeconds(b.pid)]));
  const { rows } = await c.query<{ commits: string }>(
    `select xact_commit::text as commits from pg_stat_database where datname = current_database()`,
  );
  return { server: cpuSeconds(serverPid), pgCpu, commits: Number(rows[0]!.commits) };
}

async function main() {
  // Never drop a database this run did not create: an existing one is someone's, so stop.
  if (await databaseExists(DB)) throw new Error(`database ${DB} exists; drop it or set BENCH_WA_DB to another name`);
  const url = await freshPostgres(DB);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    server = await startServer(
      { DATABASE_URL: url, ESKALA_WHATSAPP_APP_SECRET: SECRET, ESKALA_WORKERS: "timers" },
      PORT,
    );
    // The tiers a new ticket needs (the demo's seeding takes minutes on a loaded machine); no groups, so nothing routes.
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    await setup.query(
      `insert into tiers (level, name) values (0, 'Tier 0'), (1, 'Tier 1'), (2, 'Tier 2'), (3, 'Tier 3')`,
    );
    await setup.end();
    if (WARMUP > 0) await load(server.url, WARMUP);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const serverPid = server.proc.pid!;
    const before = await usage(c, serverPid);
    // Backends the pool closes during the run take their CPU along: sample the living ones each second.
    const pgPeak = new Map(before.pgCpu);
    const sampler = setInterval(() => {
      void usage(c, serverPid).then(
        (u) => u.pgCpu.forEach((s, pid) => pgPeak.set(pid, Math.max(s, pgPeak.get(pid) ?? 0))),
        () => {},
      );
    }, 1000);
    const { result, times } = await load(server.url, SECONDS);
    clearInterval(sampler);
    const after = await usage(c, serverPid);
    after.pgCpu.forEach((s, pid) => pgPeak.set(pid, Math.max(s, pgPeak.get(pid) ?? 0)));
    times.sort((a, b) => a - b);
    const ok = result["2xx"];
    const pgSeconds = [...pgPeak].reduce((sum, [pid, s]) => sum + s - (before.pgCpu.get(pid) ?? 0), 0);
    const perMessage = (x: number) => +((x * 1000) / Math.max(ok, 1)).toFixed(3);
    const counts = (
      await c.query<{ tickets: number; messages: number; wa: number }>(
        `select (select count(*)::int from tickets where channel = 'whatsapp') as tickets,
                (select count(*)::int from messages where channel = 'whatsapp') as messages,
                (select count(*)::int from whatsapp_messages where direction = 'inbound') as wa`,
      )
    ).rows[0]!;
    await c.end();
    emit({
      bench: "whatsapp.inbound",
      database: "postgres",
      connections: CONNECTIONS,
      customers: CUSTOMERS,
      warmup_seconds: WARMUP,
      seconds: SECONDS,
      deliveries_2xx: ok,
      non2xx: result.non2xx,
      errors: result.errors,
      messages_per_s: Math.round(ok / SECONDS),
      latency_ms: {
        p50: round(percentile(times, 50)),
        p95: round(percentile(times, 95)),
        p99: round(percentile(times, 99)),
        max: round(times.at(-1) ?? NaN),
      },
      // What a message cost, from /proc: the machine's load aside, the number to compare changes by.
      cpu_ms_per_message: { server: perMessage(after.server - before.server), postgres: perMessage(pgSeconds) },
      transactions_per_message: +((after.commits - before.commits) / Math.max(ok, 1)).toFixed(3),
      stored: counts,
    });
  } finally {
    await server?.stop();
    const admin = new pg.Client({
      connectionString: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    });
    await admin.connect();
    await admin.query(`drop database if exists ${DB} with (force)`);
    await admin.end();
  }
}

await main();
