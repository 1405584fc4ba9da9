/**
 * Import benchmark: writes N tickets (BENCH_IMPORT_TICKETS, 50,000 by default) with three messages
 * each in Eskala's transfer format to a temporary folder (a thousand customers, twenty agents,
 * two groups, one SLA policy; 90% solved, 10% open with running clocks: created in the last two
 * days, so some deadlines are still ahead and some passed, each of those tickets getting its one
 * escalation decision at import), then times `importRecords` reading it (streamed) into a
 * PostgreSQL database it creates (BENCH_IMPORT_DB, `eskala_bench_import` by default, on the server
 * of BENCH_PG_URL, postgres://postgres@127.0.0.1:5432/postgres by default; a database of that name
 * the run did not create is left alone and the run stops). It prints the rate, the CPU per ticket
 * of this process and of the database's PostgreSQL backends (from /proc: what a loaded machine does
 * not change), and the RSS at 10%, 50% and 100% of the run with the peak. The database and the
 * folder are removed at the end, also when it fails. Target: ≥ 2,000 tickets/s with their
 * messages, memory flat. Run: `npm run bench:import`. Prints one JSON line.
 */
import { createWriteStream, writeFileSync } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import { testConfig } from "../packages/server/src/config.ts";
import { compose } from "../packages/server/src/compose.ts";
import { importRecords } from "../packages/server/src/transfer/import/import-records.ts";
import { readTransferDir } from "../packages/server/src/transfer/sources/eskala-dir.ts";
import { cleanUp, envNumber, freshPostgres, postgresCpuMs, processCpuMs, tempDir } from "./lib/server.ts";

const N = envNumber("BENCH_IMPORT_TICKETS", 50_000);
const DB_NAME = process.env.BENCH_IMPORT_DB ?? "eskala_bench_import";
const TARGET = 2_000;
if (!/^[a-z_][a-z0-9_]*$/.test(DB_NAME)) throw new Error("BENCH_IMPORT_DB must be a plain lower-case name");

/** Writes lines with backpressure. */
async function writeLines(path: string, n: number, line: (i: number) => unknown) {
  const out = createWriteStream(path);
  for (let i = 0; i < n; i++) if (!out.write(JSON.stringify(line(i)) + "\n")) await once(out, "drain");
  out.end();
  await once(out, "finish");
}

try {
  const dir = tempDir("eskala-bench-import-");
  const NOW = Date.now();
  const open = (i: number) => i % 10 === 0;
  // Solved tickets a minute apart from 2026-01-01; open ones within the last 48 hours (clocks running).
  const base = (i: number) => (open(i) ? NOW - ((i * 7919) % (48 * 60)) * 60_000 : Date.UTC(2026, 0, 1) + i * 60_000);
  const at = (i: number, minutes = 0) => new Date(base(i) + minutes * 60_000).toISOString();
  const CUSTOMERS = 1000;
  const AGENTS = 20;
  await writeLines(join(dir, "groups.jsonl"), 2, (i) => ({
    key: `b:group:${i}`,
    name: `Bench group ${i}`,
    kind: "department",
  }));
  await writeLines(join(dir, "sla_policies.jsonl"), 1, () => ({
    key: "b:sla:1",
    name: "Bench 24/7",
    targets: {
      low: { first_response: 480, resolution: 2880 },
      medium: { first_response: 240, resolution: 1440 },
      high: { first_response: 60, resolution: 480 },
      urgent: { first_response: 30, resolution: 240 },
    },
  }));
  await writeLines(join(dir, "users.jsonl"), CUSTOMERS + AGENTS, (i) =>
    i < AGENTS
      ? {
          key: `b:user:${i}`,
          email: `agent${i}@bench.example`,
          name: `Agent ${i}`,
          role: "agent",
          group_keys: [`b:group:${i % 2}`],
        }
      : { key: `b:user:${i}`, email: `customer${i}@bench.example`, name: `Customer ${i}`, role: "customer" },
  );
  await writeLines(join(dir, "tickets.jsonl"), N, (i) => ({
    key: `b:ticket:${i}`,
    number: 100_000 + i,
    subject: `Bench ticket ${i}: pembayaran gagal`,
    description: `Saya tidak bisa membayar tagihan nomor ${i}`,
    status: open(i) ? "open" : "solved",
    priority: (["low", "medium", "high", "urgent"] as const)[i % 4],
    channel: "email",
    requester_key: `b:user:${AGENTS + (i % CUSTOMERS)}`,
    group_key: `b:group:${i % 2}`,
    assignee_key: `b:user:${i % AGENTS}`,
    tags: ["bench"],
    created_at: at(i),
    updated_at: at(i, 90),
    solved_at: open(i) ? null : at(i, 90),
    resolution_code: open(i) ? null : "answered",
  }));
  // Messages in the tickets' order, three each: customer, agent reply, internal note.
  await writeLines(join(dir, "messages.jsonl"), N * 3, (j) => {
    const i = Math.floor(j / 3);
    const k = j % 3;
    return {
      key: `b:message:${j}`,
      ticket_key: `b:ticket:${i}`,
      author_key: k === 0 ? `b:user:${AGENTS + (i % CUSTOMERS)}` : `b:user:${i % AGENTS}`,
      public: k !== 2,
      body_text: k === 0 ? "Mohon dibantu, sudah dua kali gagal" : k === 1 ? "Kami sedang memeriksanya" : "Cek gateway",
      created_at: at(i, 10 + k * 10),
    };
  });
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({
      format: "eskala-export",
      version: 1,
      exported_at: new Date().toISOString(),
      source: "bench",
      counts: { groups: 2, sla_policies: 1, users: CUSTOMERS + AGENTS, tickets: N, messages: N * 3 },
      filters: null,
    }),
  );

  const url = await freshPostgres(DB_NAME);
  const app = await compose(testConfig({ DATABASE_URL: url }));
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const rssBefore = process.memoryUsage().rss;
  // RSS when 10%, 50% and 100% of the tickets are written: flat memory keeps these close at any N.
  const rssAt: Record<string, number> = {};
  const marks = [0.1, 0.5, 1];
  const cpuBefore = { node: processCpuMs(process.pid), postgres: postgresCpuMs(DB_NAME) };
  const started = performance.now();
  const batchMs: number[] = [];
  let last = started;
  const report = await importRecords(app, readTransferDir(dir), {
    onProgress: (done) => {
      const t = performance.now();
      batchMs.push(t - last);
      last = t;
      while (marks.length && done.tickets >= marks[0]! * N)
        rssAt[`${marks.shift()! * 100}%`] = Math.round(process.memoryUsage().rss / 2 ** 20);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = {
    node: processCpuMs(process.pid) - cpuBefore.node,
    postgres: postgresCpuMs(DB_NAME) - cpuBefore.postgres,
  };
  if (report.skips.length) console.error("first skips:", report.skips.slice(0, 3));
  clearInterval(sampler);
  const sorted = batchMs.sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  const created = report.counts.tickets?.created ?? 0;
  const perTicket = (ms: number) => Number(((ms * 1000) / Math.max(1, created)).toFixed(0));
  console.log(
    JSON.stringify({
      bench: "import",
      db: "postgres",
      tickets: created,
      messages: report.counts.messages?.created ?? 0,
      open_with_clocks: report.sla.clocked,
      past_breaches_recorded: report.sla.breachesRecorded,
      escalation_decisions: report.sla.decisions,
      skipped: report.skips.length,
      seconds: Number(seconds.toFixed(2)),
      tickets_per_s: Math.round(created / seconds),
      cpu_us_per_ticket: { node: perTicket(cpu.node), postgres: perTicket(cpu.postgres) },
      batch_ms_median: Math.round(pct(0.5)),
      batch_ms_p95: Math.round(pct(0.95)),
      rss_before_mb: Math.round(rssBefore / 2 ** 20),
      rss_mb_at: rssAt,
      peak_rss_mb: Math.round(peakRss / 2 ** 20),
      target_tickets_per_s: TARGET,
      ok: created / seconds >= TARGET,
    }),
  );
  await app.close();
} finally {
  await cleanUp();
}
