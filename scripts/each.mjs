// Runs one command per project folder that exists: `node scripts/each.mjs tsc --noEmit -p a b c`
// becomes `tsc --noEmit -p a`, `tsc --noEmit -p b`, … and fails if any fails.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

const args = process.argv.slice(2);
const flagAt = args.indexOf("-p");
const command = args.slice(0, flagAt + 1);
let failed = 0;
for (const dir of args.slice(flagAt + 1)) {
  if (!existsSync(`${dir}/tsconfig.json`)) continue;
  const r = spawnSync("npx", [...command, dir], { stdio: "inherit" });
  if (r.status !== 0) failed++;
  else console.log(`ok  ${command.join(" ")} ${dir}`);
}
process.exit(failed ? 1 : 0);
