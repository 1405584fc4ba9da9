#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx eskala …` works without a build step, with
// Eskala's V8 flags (node-flags.js). Signals sent to this process are passed on, and its exit
// status is the CLI's.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";
import { nodeFlags } from "./node-flags.js";

const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
// tsx as this package resolves it: a bare "tsx" would be looked up from the caller's directory.
const tsx = import.meta.resolve("tsx");
const child = spawn(process.execPath, [...nodeFlags(), "--import", tsx, main, ...process.argv.slice(2)], {
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
