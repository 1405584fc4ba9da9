import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { NODE_FLAGS, nodeFlags } from "../bin/node-flags.js";

const BIN = fileURLToPath(new URL("../bin/eskala.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "eskala-launcher-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Loaded into every node process through NODE_OPTIONS: the CLI's own (main.ts) says how it was started.
const probe = join(dir, "probe.mjs");
writeFileSync(
  probe,
  `if (process.argv[1]?.endsWith("main.ts")) process.stderr.write("CLI " + JSON.stringify({ pid: process.pid, execArgv: process.execArgv }) + "\\n");\n`,
);
const withProbe = (extra = "") => `--import=${pathToFileURL(probe).href} ${extra}`.trim();
const cliOf = (stderr: string) => {
  const line = stderr.split("\n").find((l) => l.startsWith("CLI "));
  expect(line, stderr).toBeDefined();
  return JSON.parse(line!.slice(4)) as { pid: number; execArgv: string[] };
};

describe("the eskala launcher", () => {
  it("runs Node with a young generation of 64 MB per semi-space unless one is already given", () => {
    expect(NODE_FLAGS).toEqual(["--max-semi-space-size=64"]);
    expect(nodeFlags([])).toEqual(["--max-semi-space-size=64"]);
    expect(nodeFlags(["--max-semi-space-size=16"])).toEqual([]);
    // V8 takes underscores for dashes; NODE_OPTIONS arrives split on spaces, with empty pieces.
    expect(nodeFlags(["", "--max_semi_space_size=8", "--enable-source-maps"])).toEqual([]);
    expect(nodeFlags(["--max-old-space-size=4096"])).toEqual(["--max-semi-space-size=64"]);
  });

  it("starts the CLI's process with the flags, or leaves the size to NODE_OPTIONS when it sets one", () => {
    const plain = spawnSync(process.execPath, [BIN, "--help"], {
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: withProbe() },
    });
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/serve/);
    expect(plain.stdout).toMatch(/worker/);
    expect(cliOf(plain.stderr).execArgv).toContain("--max-semi-space-size=64");

    const told = spawnSync(process.execPath, [BIN, "--help"], {
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: withProbe("--max-semi-space-size=16") },
    });
    expect(told.status).toBe(0);
    expect(cliOf(told.stderr).execArgv.filter((a) => a.includes("semi-space"))).toEqual([]);
  });

  it("passes the CLI's exit status and errors through, from any directory", () => {
    const run = spawnSync(process.execPath, [BIN, "no-such-command"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("unknown command 'no-such-command'");
  });

  it("passes a SIGTERM on: the worker shuts down, and the launcher exits with its status", async () => {
    // The embedded database, in a directory of its own, whatever database the suite runs on.
    const { DATABASE_URL: _, ...env } = process.env;
    const launcher = spawn(process.execPath, [BIN, "worker"], {
      env: {
        ...env,
        NODE_OPTIONS: withProbe(),
        ESKALA_DATA_DIR: join(dir, "data"),
        ESKALA_WORKERS: "timers",
        LOG_LEVEL: "silent",
      },
    });
    let stdout = "";
    let stderr = "";
    launcher.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    launcher.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => launcher.on("exit", (code) => resolve(code)));
    await expect.poll(() => stdout, { timeout: 60_000, interval: 200 }).toContain("Eskala worker running");
    const { pid } = cliOf(stderr);

    launcher.kill("SIGTERM");
    expect(await exited).toBe(0);
    // The CLI's process is gone too, not left running on its own.
    await expect
      .poll(
        () => {
          try {
            process.kill(pid, 0);
            return "running";
          } catch {
            return "gone";
          }
        },
        { timeout: 10_000 },
      )
      .toBe("gone");
  }, 90_000);
});
