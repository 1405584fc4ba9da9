/**
 * API benchmark (issue 2): ticket creation through HTTP on PostgreSQL and on the embedded
 * database, and the first page of a filtered open-ticket list with 1,000,000 tickets.
 * autocannon runs in this process on the same 2-core machine as the server and the database.
 * Creation runs at full speed (50 and 8 connections) and at the rate (1,000/s; 250/s embedded)
 * for the latency at that load.
 * Env: BENCH_TICKETS (default 1000000), BENCH_SECONDS (default 15), BENCH_WARMUP (seconds of load
 * before the measured run, default 5), BENCH_SKIP_EMBEDDED=1, BENCH_SKIP_CREATE=1 (lists and search only),
 * BENCH_API_DB (the PostgreSQL database, default eskala_bench_api: created by this run and dropped at its
 * end; the run fails rather than drop one it did not create), BENCH_PORT (the first of three ports, default 3901).
 * Each creation run also prints the CPU per created ticket: the server process's (/proc/<pid>/stat) and
 * that of the PostgreSQL backends connected to the database, during the measured seconds.
 */
import autocannon from "autocannon";
import type { ChildProcess } from "node:child_process";
import {
  ADMIN_TOKEN,
  cleanUp,
  cli,
  emit,
  envNumber,
  freshPostgres,
  percentile,
  postgresCpuMs,
  processCpuMs,
  startServer,
  tempDir,
} from "./lib/server.ts";

const SECONDS = envNumber("BENCH_SECONDS", 15);
const TICKETS = envNumber("BENCH_TICKETS", 1_000_000);
const WARMUP = envNumber("BENCH_WARMUP", 5);
const DB_NAME = process.env.BENCH_API_DB || "eskala_bench_api";
const PORT = envNumber("BENCH_PORT", 3901);
const auth = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };

/** Creation at full speed with `connections` in flight, or at a fixed `rate` a second (latency at that load). */
async function createLoad(
  server: { url: string; proc: ChildProcess },
  label: string,
  connections: number,
  rate?: number,
) {
  const url = server.url;
  let i = 0;
  // A few seconds first, not counted: each connection prepares its statements, the first tickets
  // of each requester create the customer, the JIT warms up. Then the measured run.
  const run = (duration: number) =>
    autocannon({
      url: `${url}/api/v1/tickets`,
      method: "POST",
      headers: auth,
      connections,
      duration,
      ...(rate ? { overallRate: rate } : {}),
      requests: [
        {
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({
              subject: `Bench ticket ${++i}: pembayaran gagal`,
              description: "Saldo terpotong tapi pesanan gagal",
              requester: { email: `bench${i % 500}@example.com` },
              priority: (["low", "medium", "high", "urgent"] as const)[i % 4],
              channel: "api",
            }),
          }),
        },
      ],
    });
  if (WARMUP > 0) await run(WARMUP);
  const pid = server.proc.pid!;
  const cpu0 = { node: processCpuMs(pid), pg: label === "postgres" ? postgresCpuMs(DB_NAME) : 0 };
  const result = await run(SECONDS);
  const cpu1 = { node: processCpuMs(pid), pg: label === "postgres" ? postgresCpuMs(DB_NAME) : 0 };
  const ok = result["2xx"];
  const perTicket = (ms: number) => (ok > 0 ? +(ms / ok).toFixed(3) : null);
  emit({
    bench: "api.create",
    database: label,
    connections,
    ...(rate ? { target_rate_per_s: rate } : {}),
    warmup_seconds: WARMUP,
    seconds: SECONDS,
    created: ok,
    non2xx: result.non2xx,
    errors: result.errors,
    per_s: Math.round(ok / SECONDS),
    latency_ms: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    // CPU per created ticket in the measured seconds (ms): the server's Node process and, on
    // PostgreSQL, the backends of its database. Unlike the rate, this barely moves with other load.
    cpu_ms_per_ticket: {
      node: perTicket(cpu1.node - cpu0.node),
      ...(label === "postgres" ? { postgres: perTicket(cpu1.pg - cpu0.pg) } : {}),
    },
    node_cpu_share: +((cpu1.node - cpu0.node) / (SECONDS * 1000)).toFixed(2),
  });
}

async function listLatency(url: string) {
  const filters = [
    "status=open&limit=50",
    "status=open,new&priority=high,urgent&limit=50",
    "status=open&tier=1&sort=-updated_at&limit=50",
    "status=open&q=pembayaran&limit=50",
    "status=open&q=bench7%40example.com&limit=50", // by the requester's email (about 1 ticket in 500)
    "status=open,pending&priority=low&sort=priority&limit=50",
  ];
  const samples: Record<string, number[]> = {};
  for (let round = 0; round < 60; round++) {
    for (const f of filters) {
      const t0 = performance.now();
      const res = await fetch(`${url}/api/v1/tickets?${f}`, { headers: auth });
      const body = (await res.json()) as { items: unknown[] };
      const ms = performance.now() - t0;
      if (!res.ok || body.items.length === 0) throw new Error(`list ${f}: ${res.status}`);
      if (round >= 10) (samples[f] ??= []).push(ms); // the first rounds warm caches
    }
  }
  const all = Object.values(samples)
    .flat()
    .sort((a, b) => a - b);
  emit({
    bench: "api.list_first_page",
    tickets: TICKETS,
    requests: all.length,
    p50_ms: +percentile(all, 50).toFixed(2),
    p95_ms: +percentile(all, 95).toFixed(2),
    p99_ms: +percentile(all, 99).toFixed(2),
    by_filter_p95_ms: Object.fromEntries(
      Object.entries(samples).map(([f, xs]) => [
        f,
        +percentile(
          xs.sort((a, b) => a - b),
          95,
        ).toFixed(2),
      ]),
    ),
  });
}

/**
 * Search (issue 18): by a word, a requester's email and name, a ticket number; common and rare
 * matches, since each takes the other plan (ticket.repo.ts, withTextMatches).
 */
async function searchLatency(url: string) {
  const queries = [
    "q=pembayaran&limit=50", // a word in 1 ticket of 7
    "status=open&q=paket%20terlambat&limit=50", // two words in 1 ticket of 5, open ones
    "q=ticket%20777777&limit=50", // a word in one ticket
    "q=bulk777%40customers.example&limit=50", // a requester's email: 1,000 tickets
    "q=Bulk%20Customer%20778&limit=50", // a requester's name
    "q=%23500000&limit=50", // a ticket number
  ];
  const samples: Record<string, number[]> = {};
  for (let round = 0; round < 60; round++) {
    for (const f of queries) {
      const t0 = performance.now();
      const res = await fetch(`${url}/api/v1/tickets?${f}`, { headers: auth });
      const body = (await res.json()) as { items: unknown[] };
      const ms = performance.now() - t0;
      if (!res.ok || body.items.length === 0) throw new Error(`search ${f}: ${res.status}`);
      if (round >= 10) (samples[f] ??= []).push(ms);
    }
  }
  const all = Object.values(samples)
    .flat()
    .sort((a, b) => a - b);
  emit({
    bench: "api.search",
    tickets: TICKETS,
    requests: all.length,
    p50_ms: +percentile(all, 50).toFixed(2),
    p95_ms: +percentile(all, 95).toFixed(2),
    p99_ms: +percentile(all, 99).toFixed(2),
    by_query_p95_ms: Object.fromEntries(
      Object.entries(samples).map(([f, xs]) => [
        f,
        +percentile(
          xs.sort((a, b) => a - b),
          95,
        ).toFixed(2),
      ]),
    ),
  });
}

try {
  // --- PostgreSQL
  const dbUrl = await freshPostgres(DB_NAME);
  await cli(["seed", "--demo"], { DATABASE_URL: dbUrl, ESKALA_DEMO: "true" });
  let server = await startServer({ DATABASE_URL: dbUrl, ESKALA_PG_POOL_SIZE: "20" }, PORT);
  if (!process.env.BENCH_SKIP_CREATE) {
    await createLoad(server, "postgres", 50);
    await createLoad(server, "postgres", 8); // fewer in flight: the latency side of the same server
    await createLoad(server, "postgres", 50, 1000); // the rate: its latency
  }
  await server.stop();

  console.error(`seeding ${TICKETS} tickets…`);
  await cli(["seed", "--tickets", String(TICKETS)], { DATABASE_URL: dbUrl });
  server = await startServer({ DATABASE_URL: dbUrl }, PORT + 1);
  await listLatency(server.url);
  await searchLatency(server.url);
  await server.stop();

  // --- embedded PGlite
  if (!process.env.BENCH_SKIP_EMBEDDED) {
    const dir = tempDir("eskala-bench-");
    await cli(["seed", "--demo"], { ESKALA_DATA_DIR: dir, ESKALA_DEMO: "true" });
    server = await startServer({ ESKALA_DATA_DIR: dir }, PORT + 2);
    await createLoad(server, "pglite", 10);
    await createLoad(server, "pglite", 10, 250);
    await server.stop();
  }
} finally {
  await cleanUp(); // this run's servers, database and data folder
}
