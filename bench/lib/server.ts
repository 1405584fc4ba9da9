import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
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

/** Starts `eskala serve` as a child process and waits until it is ready. */
export async function startServer(env: Record<string, string>, port: number): Promise<{ url: string; stop: () => Promise<void>; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [...nodeArgs(), "--import", "tsx", join(ROOT, "packages/server/src/main.ts"), "serve"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", ESKALA_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: "warn", ESKALA_DEMO: "false", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
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
  const c = new pg.Client({ connectionString: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" });
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

/** A fresh database on the local PostgreSQL server: empty, or a file copy of `template`. */
export async function freshPostgres(name: string, template?: string): Promise<string> {
  await onServer(async (c) => {
    await c.query(`drop database if exists ${name} with (force)`);
    await c.query(template ? `create database ${name} template ${template} strategy file_copy` : `create database ${name}`);
  });
  return databaseUrl(name);
}

export const databaseExists = (name: string) =>
  onServer(async (c) => (await c.query(`select 1 from pg_database where datname = $1`, [name])).rowCount === 1);

/** Keeps a file copy of a database (no one may be connected to it), to start later runs from. */
export async function keepCopy(name: string, copy: string): Promise<void> {
  await onServer(async (c) => {
    await c.query(`drop database if exists ${copy} with (force)`);
    await c.query(`create database ${copy} template ${name} strategy file_copy`);
  });
}

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

export function emit(line: Record<string, unknown>) {
  console.log(JSON.stringify(line));
}
