import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { nodeFlags } from "../../packages/server/bin/node-flags.js";

export const ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";
const ROOT = new URL("../../", import.meta.url).pathname;

/** Node arguments for an Eskala process, as `eskala` starts it (node-flags.js), plus BENCH_NODE_ARGS (which win). */
export function nodeArgs(): string[] {
  const extra = process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  return [...nodeFlags(extra), ...extra];
}

/** Servers started and not yet exited (stopped by `cleanUp`). */
const servers = new Set<ChildProcess>();

/** Starts `eskala serve` as a child process and waits until it is ready. */
export async function startServer(
  env: Record<string, string>,
  port: number,
): Promise<{ url: string; stop: () => Promise<void>; proc: ChildProcess }> {
  const proc = spawn(
    process.execPath,
    [...nodeArgs(), "--import", "tsx", join(ROOT, "packages/server/src/main.ts"), "serve"],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        ESKALA_ADMIN_TOKEN: ADMIN_TOKEN,
        LOG_LEVEL: "warn",
        ESKALA_DEMO: "false",
        ...env,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  servers.add(proc);
  proc.once("exit", () => servers.delete(proc));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    if (Date.now() > deadline) throw new Error("server did not become ready");
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    proc,
    stop: () =>
      new Promise((resolve) => {
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
      }),
  };
}

/** Runs the CLI to completion. */
export function cli(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", join(ROOT, "packages/server/src/main.ts"), ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "warn", ESKALA_ADMIN_TOKEN: ADMIN_TOKEN, ...env },
      stdio: ["ignore", "inherit", "inherit"],
    });
    proc.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`eskala ${args.join(" ")} exited ${code}`))));
  });
}

/** Runs statements on the server's maintenance database (create, copy and drop databases). */
async function onServer<T>(run: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({
    connectionString: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

function databaseUrl(name: string): string {
  const u = new URL(process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  u.pathname = `/${name}`;
  return u.toString();
}

/** Databases this process created (the only ones it may drop) and those it keeps for later runs. */
const createdDatabases = new Set<string>();
const keptDatabases = new Set<string>();
/** Temporary folders this process made (removed by `cleanUp` and at exit). */
const tempDirs = new Set<string>();

async function createDatabase(c: pg.Client, name: string, template?: string) {
  const exists = (await c.query(`select 1 from pg_database where datname = $1`, [name])).rowCount === 1;
  if (exists && !createdDatabases.has(name))
    throw new Error(
      `database ${name} exists and this run did not create it: drop it yourself or choose another name (see the benchmark's env)`,
    );
  if (exists) await c.query(`drop database ${name} with (force)`);
  await c.query(
    template ? `create database ${name} template ${template} strategy file_copy` : `create database ${name}`,
  );
  createdDatabases.add(name);
  cleanUpOnSignal();
}

/**
 * A fresh database on the local PostgreSQL server: empty, or a file copy of `template`. A database
 * of that name this run did not create is never dropped: the call fails instead.
 */
export async function freshPostgres(name: string, template?: string): Promise<string> {
  await onServer((c) => createDatabase(c, name, template));
  return databaseUrl(name);
}

export const databaseExists = (name: string) =>
  onServer(async (c) => (await c.query(`select 1 from pg_database where datname = $1`, [name])).rowCount === 1);

/** Keeps a file copy of a database (no one may be connected to it), to start later runs from; `cleanUp` leaves it. */
export async function keepCopy(name: string, copy: string): Promise<void> {
  await onServer((c) => createDatabase(c, copy, name));
  keptDatabases.add(copy);
}

/** Drops a database this run created (and did not keep); any other name is left alone. */
export async function dropDatabase(name: string): Promise<void> {
  if (!createdDatabases.has(name) || keptDatabases.has(name)) return;
  await onServer((c) => c.query(`drop database if exists ${name} with (force)`));
  createdDatabases.delete(name);
}

/** Stops this run's servers, drops the databases it created (not kept copies) and removes its temporary folders. */
export async function cleanUp(): Promise<void> {
  await Promise.all(
    [...servers].map(
      (proc) =>
        new Promise<void>((resolve) => {
          proc.once("exit", () => resolve());
          proc.kill("SIGTERM");
        }),
    ),
  );
  for (const name of [...createdDatabases]) await dropDatabase(name);
  removeTempDirs();
}

function removeTempDirs() {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

process.once("exit", removeTempDirs);
let signalsHeard = false;
/** Ctrl-C or a kill drops what this run created (installed with its first database, so benches without one keep their own handlers). */
function cleanUpOnSignal() {
  if (signalsHeard) return;
  signalsHeard = true;
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
      void cleanUp().finally(() => process.exit(130));
    });
}

/** A temporary folder, removed by `cleanUp` and when the process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** An integer from the environment, or `fallback`. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, not ${raw}`);
  return n;
}

const TICK_MS = 10; // /proc counts CPU in clock ticks of 1/100 s (CLK_TCK 100 on Linux)

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
  } catch {
    return 0; // gone
  }
}

/** CPU time (ms) used so far by the PostgreSQL backends connected to `database` (a local server, by process title). */
export function postgresCpuMs(database: string): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8");
    } catch {
      continue;
    }
    // "postgres: [<cluster>: ]<user> <database> <host>(<port>) <state>"
    if (/^postgres: (?:\S+: )?\S+ (\S+) /.exec(cmd)?.[1] === database) total += processCpuMs(Number(entry));
  }
  return total;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

export function emit(line: Record<string, unknown>) {
  console.log(JSON.stringify(line));
}
