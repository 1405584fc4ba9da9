import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { NODE_FLAGS, nodeFlags } from "../bin/node-flags.js";

const BIN = fileURLToPath(new URL("../bin/eskala.js", import.meta.url));

describe("the eskala launcher", () => {
  it("runs Node with a young generation of 64 MB per semi-space unless one is already given", () => {
    expect(NODE_FLAGS).toEqual(["--max-semi-space-size=64"]);
    expect(nodeFlags([])).toEqual(["--max-semi-space-size=64"]);
    expect(nodeFlags(["--max-semi-space-size=16"])).toEqual([]);
    // V8 takes underscores for dashes; NODE_OPTIONS arrives split on spaces, with empty pieces.
    expect(nodeFlags(["", "--max_semi_space_size=8", "--enable-source-maps"])).toEqual([]);
    expect(nodeFlags(["--max-old-space-size=4096"])).toEqual(["--max-semi-space-size=64"]);
  });

  it("passes the CLI's exit status and errors through", () => {
    const run = spawnSync(process.execPath, [BIN, "no-such-command"], {
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("unknown command 'no-such-command'");
  });

  it("starts the CLI (help lists serve and worker)", () => {
    const run = spawnSync(process.execPath, [BIN, "--help"], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/serve/);
    expect(run.stdout).toMatch(/worker/);
  });
});
