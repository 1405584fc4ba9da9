/**
 * osTicket reader benchmark (issue 21): how fast `eskala import osticket` reads an osTicket 1.18
 * database out of MariaDB (tickets with their thread entries and attachments, as transfer records)
 * and whether its memory stays flat. The writing side is bench:import's. The database is made in
 * the machine's MariaDB (ESKALA_TEST_MYSQL_URL, root on 127.0.0.1:3306 by default) and dropped.
 * Env: BENCH_TICKETS (default 20000), BENCH_RUNS (default 3), BENCH_OSTICKET_DB (the MariaDB
 * database, default eskala_osticket_bench_<pid>; one of that name that already exists is left alone
 * and the run stops). The temporary attachment folders are removed, also when a run fails.
 */
import { rmSync } from "node:fs";
import mysql from "mysql2/promise";
import { openOsTicket } from "../packages/server/src/transfer/sources/osticket.ts";
import { createOsTicketDatabase, mariadbUrl } from "../packages/server/test/transfer/osticket/generate-osticket.ts";
import { emit, envNumber, median, percentile, tempDir } from "./lib/server.ts";

const TICKETS = envNumber("BENCH_TICKETS", 20_000);
const RUNS = envNumber("BENCH_RUNS", 3);
const NAME = process.env.BENCH_OSTICKET_DB ?? `eskala_osticket_bench_${process.pid}`;
if (!/^[a-z_][a-z0-9_]*$/.test(NAME)) throw new Error("BENCH_OSTICKET_DB must be a plain lower-case name");

// The fixture drops a database of its name before making it: never one this run did not make.
{
  const c = await mysql.createConnection({ uri: mariadbUrl });
  const [rows] = await c.query("select 1 from information_schema.schemata where schema_name = ?", [NAME]);
  await c.end();
  if ((rows as unknown[]).length)
    throw new Error(`MariaDB database ${NAME} exists and this run did not create it: choose another BENCH_OSTICKET_DB`);
}
const fx = await createOsTicketDatabase({ tickets: TICKETS, name: NAME });
try {
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const dir = tempDir("eskala-osticket-bench-");
    const source = await openOsTicket(fx.url);
    let tickets = 0;
    let records = 0;
    let peakRss = 0;
    // RSS sampled every 1,000 records: a reader that held the tickets would grow with them.
    const rssAt: number[] = [];
    const started = performance.now();
    for await (const r of source.records({ attachmentsDir: dir })) {
      records++;
      if (r.kind === "tickets") tickets++;
      if (records % 1000 === 0) {
        const rss = process.memoryUsage().rss;
        peakRss = Math.max(peakRss, rss);
        rssAt.push(rss);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    await source.close();
    rmSync(dir, { recursive: true, force: true });
    rates.push(tickets / seconds);
    const mb = (b: number) => Math.round(b / 1e5) / 10;
    emit({
      bench: "osticket-read",
      run,
      tickets,
      records,
      seconds: Math.round(seconds * 100) / 100,
      tickets_per_s: Math.round(tickets / seconds),
      records_per_s: Math.round(records / seconds),
      rss_first_mb: mb(rssAt[0] ?? 0),
      rss_last_mb: mb(rssAt.at(-1) ?? 0),
      peak_rss_mb: mb(peakRss),
    });
  }
  const sorted = [...rates].sort((a, b) => a - b);
  emit({
    bench: "osticket-read",
    tickets: TICKETS,
    runs: RUNS,
    median_tickets_per_s: Math.round(median(rates)),
    p95_tickets_per_s: Math.round(percentile(sorted, 95)),
  });
} finally {
  await fx.drop();
}
