/**
 * Reports benchmark (issue 17): on PostgreSQL, a year of history — BENCH_REPORTS_TICKETS tickets
 * (default 1,000,000) with about 0.3 escalation records each (bench/lib/reports-data.ts) — then
 * every `GET /api/v1/reports/*` operation of the OpenAPI document timed over a 90-day and a
 * 12-month window (p50/p95 of BENCH_REPORTS_RUNS runs after one warm-up), and the escalation
 * records' CSV export over 12 months (rows/s, the server's RSS growth from /proc/<pid>/status).
 * The same at BENCH_REPORTS_SMALL tickets (default 100,000; 0 skips it) shows how the cost grows.
 *
 * Targets: p95 < 500 ms over 90 days, < 2 s over 12 months; recurring problems < 3 s (over 90
 * days, the issue's target; held to it over 12 months too); CSV ≥ 50,000 rows/s with < 100 MB RSS growth.
 *
 * Env: BENCH_PG_URL (the server's maintenance database, default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_REPORTS_PORT (default 3970). Each scale runs in a database this run creates
 * (eskala_bench_reports_<pid>_<n>) and drops at the end; the temp folder is removed. BENCH_KEEP=1 keeps the
 * databases it made (their names are printed) for EXPLAIN with psql; BENCH_REPORTS_DB=<name> measures an
 * existing generated database instead of making one (only the big scale; it is never dropped).
 * Run: `npm run bench:reports`. Prints a table and one JSON line per measurement.
 */
import { readFileSync, rmSync } from "node:fs";
import pg from "pg";
import { ADMIN_TOKEN, cli, emit, percentile, startServer, tempDir } from "./lib/server.ts";
import { generateReportData } from "./lib/reports-data.ts";

const BIG = Number(process.env.BENCH_REPORTS_TICKETS ?? 1_000_000);
const SMALL = Number(process.env.BENCH_REPORTS_SMALL ?? 100_000);
const RUNS = Number(process.env.BENCH_REPORTS_RUNS ?? 10);
const PORT = Number(process.env.BENCH_REPORTS_PORT ?? 3970);
const SERVER_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DAY = 86_400_000;
const KEEP = process.env.BENCH_KEEP === "1";
const REUSE = process.env.BENCH_REPORTS_DB;

/** Operations measured with their extra query parameters; the CSV export is measured apart. */
const EXTRA: Record<string, Record<string, string>> = { "/api/v1/reports/tickets": { set: "escalated" } };
const SKIP = new Set(["/api/v1/reports/escalations.csv"]);

interface Timing {
  report: string;
  window: "90d" | "12m";
  p50: number;
  p95: number;
  target: number;
}
interface ScaleResult {
  tickets: number;
  escalations: number;
  timings: Timing[];
  csv: { rows: number; seconds: number; rowsPerSecond: number; rssGrowthMb: number };
}

const log = (s: string) => console.error(`  ${s}`);
const dir = tempDir("eskala-bench-reports-");

async function onServer<T>(run: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: SERVER_URL });
  c.on("error", () => {});
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

function urlOf(name: string) {
  const u = new URL(SERVER_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Local date (Asia/Jakarta, the organisation's default zone) `days` before now. */
const jakartaDate = (msAgo: number) =>
  new Date(Date.now() - msAgo).toLocaleDateString("en-CA", { timeZone: "Asia/Jakarta" });

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function timeGet(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return performance.now() - t0;
}

/** Databases this run created and has not dropped yet (dropped on Ctrl-C too). */
const created = new Set<string>();
let running: { proc: { kill: (signal?: NodeJS.Signals) => boolean } } | null = null;
const dropDatabase = async (name: string) => {
  await onServer((c) => c.query(`drop database if exists ${name} with (force)`));
  created.delete(name);
};
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    running?.proc.kill("SIGTERM");
    void Promise.all([...created].map(dropDatabase)).finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  });

async function runScale(tickets: number, dir: string): Promise<ScaleResult> {
  const name = REUSE ?? `eskala_bench_reports_${process.pid}_${tickets}`;
  if (!REUSE) {
    await onServer((c) => c.query(`create database ${name}`));
    if (!KEEP) created.add(name);
  }
  try {
    const url = urlOf(name);
    console.error(`\n${tickets} tickets: database ${name}${KEEP && !REUSE ? " (kept)" : ""}`);
    await cli(["migrate"], { DATABASE_URL: url, ESKALA_DATA_DIR: dir });
    const c = new pg.Client({ connectionString: url });
    c.on("error", (e) => console.error(`  generation connection: ${e.message}`));
    await c.connect();
    if (!REUSE) await generateReportData(c, tickets, log);
    const escalations = Number((await c.query("select count(*) n from escalations")).rows[0].n);
    await c.end();

    const server = await startServer({ DATABASE_URL: url, ESKALA_DATA_DIR: dir, ESKALA_WORKER: "false" }, PORT);
    running = server;
    try {
      const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
        paths: Record<string, { get?: unknown }>;
      };
      const reports = Object.keys(doc.paths)
        .filter((p) => p.startsWith("/api/v1/reports/") && doc.paths[p]!.get && !SKIP.has(p) && !p.includes("{"))
        .sort();
      const to = jakartaDate(0);
      const windows = { "90d": jakartaDate(89 * DAY), "12m": jakartaDate(364 * DAY) } as const;
      const timings: Timing[] = [];
      for (const report of reports) {
        for (const [window, from] of Object.entries(windows) as ["90d" | "12m", string][]) {
          const q = new URLSearchParams({ from, to, ...EXTRA[report] });
          const target = report.endsWith("/recurring-problems") ? 3000 : window === "90d" ? 500 : 2000;
          await timeGet(`${server.url}${report}?${q}`);
          const ms: number[] = [];
          for (let i = 0; i < RUNS; i++) ms.push(await timeGet(`${server.url}${report}?${q}`));
          ms.sort((a, b) => a - b);
          const t = {
            report: report.replace("/api/v1/reports/", ""),
            window,
            p50: percentile(ms, 50),
            p95: percentile(ms, 95),
            target,
          };
          timings.push(t);
          emit({ bench: "reports", tickets, ...t, p50: Math.round(t.p50), p95: Math.round(t.p95), ok: t.p95 < target });
        }
      }
      const csv = await measureCsv(server.url, server.proc.pid!, windows["12m"], to);
      emit({ bench: "reports.csv", tickets, ...csv, ok: csv.rowsPerSecond >= 50_000 && csv.rssGrowthMb < 100 });
      return { tickets, escalations, timings, csv };
    } finally {
      await server.stop();
      running = null;
    }
  } finally {
    if (!REUSE && !KEEP) await dropDatabase(name);
  }
}

/** Streams the escalation CSV, counting records (quote-aware) and sampling the server's RSS. */
async function measureCsv(base: string, pid: number, from: string, to: string) {
  const before = rssMb(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1/reports/escalations.csv?${new URLSearchParams({ from, to })}`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  if (!res.ok || !res.body) throw new Error(`escalations.csv: ${res.status}`);
  let records = 0;
  let quoted = false;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 0x22) quoted = !quoted;
      else if (b === 0x0a && !quoted) records++;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, rssMb(pid));
  const rows = records - 1; // the header
  return {
    rows,
    seconds: Math.round(seconds * 100) / 100,
    rowsPerSecond: Math.round(rows / seconds),
    rssGrowthMb: Math.round((peak - before) * 10) / 10,
  };
}

function printTable(results: ScaleResult[]) {
  const big = results.at(-1)!;
  const small = results.length > 1 ? results[0]! : null;
  const pad = (s: string | number, n: number) => String(s).padEnd(n);
  const ms = (v: number) => `${Math.round(v)} ms`;
  console.log(
    `\nReports on PostgreSQL: ${big.tickets.toLocaleString("en")} tickets, ${big.escalations.toLocaleString("en")} escalation records` +
      (small ? ` (growth against ${small.tickets.toLocaleString("en")} tickets)` : ""),
  );
  console.log(
    pad("report", 22) +
      pad("window", 8) +
      pad("p50", 10) +
      pad("p95", 10) +
      pad("target", 10) +
      pad("ok", 5) +
      (small ? "p50 growth" : ""),
  );
  for (const t of big.timings) {
    const s = small?.timings.find((x) => x.report === t.report && x.window === t.window);
    console.log(
      pad(t.report, 22) +
        pad(t.window, 8) +
        pad(ms(t.p50), 10) +
        pad(ms(t.p95), 10) +
        pad(`< ${ms(t.target)}`, 10) +
        pad(t.p95 < t.target ? "yes" : "NO", 5) +
        (s ? `×${(t.p50 / s.p50).toFixed(1)} (${ms(s.p50)} at ${small!.tickets.toLocaleString("en")})` : ""),
    );
  }
  for (const r of results)
    console.log(
      `escalations.csv at ${r.tickets.toLocaleString("en")} tickets: ${r.csv.rows.toLocaleString("en")} rows in ${r.csv.seconds} s = ` +
        `${r.csv.rowsPerSecond.toLocaleString("en")} rows/s (target ≥ 50,000: ${r.csv.rowsPerSecond >= 50_000 ? "yes" : "NO"}), ` +
        `server RSS +${r.csv.rssGrowthMb} MB (target < 100 MB: ${r.csv.rssGrowthMb < 100 ? "yes" : "NO"})`,
    );
}

try {
  const results: ScaleResult[] = [];
  if (SMALL > 0 && SMALL !== BIG && !REUSE) results.push(await runScale(SMALL, dir));
  results.push(await runScale(BIG, dir));
  printTable(results);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
