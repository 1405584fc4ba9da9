/**
 * Export benchmark (issue 21): on PostgreSQL, BENCH_EXPORT_TICKETS synthetic tickets (default
 * 200,000, the bulk seeder of `eskala seed --tickets`), then `eskala export --out DIR` in its own
 * process: tickets/s (from the command's own summary, the export alone) and the process's peak RSS
 * (VmHWM from /proc/<pid>/status), with its RSS sampled every 500 ms to show it stays flat.
 * Target: ≥ 20,000 tickets/s, memory flat.
 *
 * Env: BENCH_PG_URL (maintenance database, default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_EXPORT_DB (the database name, default eskala_bench_export_<pid>; created and dropped here;
 * one of that name the run did not create is left alone and the run stops). It prints the RSS at
 * 10%, 50% and 100% of the export (flat memory keeps them close at any ticket count) and the
 * export process's CPU per ticket (from /proc). The temp folder is removed at the end, also when
 * it fails. Run: `npm run bench:export`. Prints JSON lines.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cleanUp, cli, emit, freshPostgres, processCpuMs, tempDir } from "./lib/server.ts";

const TICKETS = Number(process.env.BENCH_EXPORT_TICKETS ?? 200_000);
const NAME = process.env.BENCH_EXPORT_DB ?? `eskala_bench_export_${process.pid}`;
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const log = (s: string) => console.error(`  ${s}`);

function status(pid: number): { rss: number; hwm: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
    return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

async function runExport(url: string, out: string) {
  return new Promise<{ stdout: string; samples: number[]; peakMb: number; cpuMs: number }>((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ["--import", "tsx", join(ROOT, "packages/server/src/main.ts"), "export", "--out", out],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "warn", ESKALA_PROGRESS_INTERVAL_MS: "2000" },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let stdout = "";
    const samples: number[] = [];
    let peakMb = 0;
    let cpuMs = 0;
    proc.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
      process.stderr.write(c);
    });
    const timer = setInterval(() => {
      const s = status(proc.pid!);
      if (!s) return;
      samples.push(Math.round(s.rss));
      peakMb = Math.max(peakMb, s.hwm);
      cpuMs = Math.max(cpuMs, processCpuMs(proc.pid!));
    }, 250);
    proc.on("exit", (code) => {
      clearInterval(timer);
      if (code === 0) resolve({ stdout, samples, peakMb: Math.round(peakMb), cpuMs });
      else reject(new Error(`eskala export exited ${code}`));
    });
  });
}

const dir = tempDir("eskala-bench-export-");
try {
  log(`seeding ${TICKETS} tickets into ${NAME} (PostgreSQL)…`);
  const url = await freshPostgres(NAME);
  await cli(["seed", "--tickets", String(TICKETS)], { DATABASE_URL: url, ESKALA_WORKER: "false" });
  log("exporting…");
  const out = join(dir, "out");
  const { stdout, samples, peakMb, cpuMs } = await runExport(url, out);
  const m =
    /Exported (\d+) tickets?, (\d+) messages?, (\d+) (?:people|person) and (\d+) attachments? to .* in ([\d.]+) s/.exec(
      stdout,
    );
  if (!m) throw new Error(`no summary in the export's output:\n${stdout}`);
  const [tickets, seconds] = [Number(m[1]), Number(m[5])];
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { counts: Record<string, number> };
  const mid = samples.slice(Math.floor(samples.length / 4));
  const at = (f: number) => samples[Math.max(0, Math.ceil(f * samples.length) - 1)];
  emit({
    bench: "export",
    database: "postgres",
    tickets,
    manifest_tickets: manifest.counts.tickets,
    seconds,
    tickets_per_second: Math.round(tickets / seconds),
    target_tickets_per_second: 20_000,
    peak_rss_mb: peakMb,
    rss_mb_after_first_quarter: { min: Math.min(...mid), max: Math.max(...mid) },
    rss_mb_at: { "10%": at(0.1), "50%": at(0.5), "100%": at(1) },
    // The whole process (start, migrations check, export), sampled until its last 250 ms.
    process_cpu_us_per_ticket: Math.round((cpuMs * 1000) / Math.max(1, tickets)),
    rss_samples: samples.length,
  });
} finally {
  await cleanUp();
}
