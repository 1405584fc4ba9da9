import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Real `eskala worker` processes on a PostgreSQL database, for the tests of deadlines across processes. */
const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
const running: ChildProcess[] = [];

export function startWorker(url: string): ChildProcess {
  const proc = spawn(process.execPath, ["--import", "tsx", MAIN, "worker"], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "warn", ESKALA_PG_POOL_SIZE: "4", ESKALA_SMTP_PORT: "0" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  running.push(proc);
  return proc;
}

/** Kills every worker started so far (SIGKILL: nothing is left running after a test). */
export function killWorkers(): void {
  for (const w of running.splice(0)) w.kill("SIGKILL");
}

/** Polls `fn` every 200 ms until `ok` holds or `timeoutMs` has passed; returns the last value. */
export async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** An SLA policy for urgent tickets, 24/7, whose first response is due `seconds` after creation. */
export const urgentPolicy = (seconds: number, ladder: number[] = []) => ({
  name: "Urgent 24/7",
  calendar_id: null,
  conditions: { priorities: ["urgent"] },
  pause_on_hold: false,
  targets: { urgent: { first_response: seconds / 60 } },
  tier_budgets: {},
  ladder,
});
