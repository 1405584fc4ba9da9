/**
 * `eskala import <source> <location> [--dry-run] [--strict]`: the CLI around importRecords, on
 * the database the environment names (as `serve`). Prints progress, every skipped record with
 * where it was and why, and a summary; Ctrl-C stops after the batch being written, and running
 * the same command again continues from there.
 */
import type { Config } from "../../config.ts";
import { compose, type Composition } from "../../compose.ts";
import { count } from "../../lib/plural.ts";
import { startProgress } from "../../lib/progress.ts";
import { IMPORT_SOURCES } from "../sources/index.ts";
import { importRecords } from "./import-records.ts";
import { ImportStopped, type ImportReport } from "./source.ts";

export interface ImportCommandOptions {
  dryRun?: boolean;
  strict?: boolean;
  batchSize?: number;
}

const out = (line: string) => process.stdout.write(line + "\n");

/** Runs an import; returns the process exit code (0 done, 1 failed or stopped, 2 bad usage, 130 interrupted). */
export async function runImportCommand(
  cfg: Config,
  sourceName: string,
  location: string,
  opts: ImportCommandOptions,
): Promise<number> {
  const source = IMPORT_SOURCES[sourceName];
  if (!source) {
    console.error(`eskala import: unknown source '${sourceName}' (${Object.keys(IMPORT_SOURCES).join(", ")})`);
    return 2;
  }
  let total: number | undefined;
  try {
    total = source.total?.(location);
  } catch (err) {
    console.error(`eskala import: ${(err as Error).message}`);
    return 1;
  }
  let app: Composition;
  try {
    // No demo seeding into a database being imported into.
    app = await compose({ ...cfg, ESKALA_DEMO: false });
  } catch (err) {
    const where = cfg.DATABASE_URL ? "PostgreSQL" : `the embedded database in ${cfg.ESKALA_DATA_DIR}`;
    console.error(`eskala import: cannot open ${where}: ${(err as Error).message.split("\n")[0]}`);
    return 1;
  }
  const controller = new AbortController();
  const interrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    out("\nStopping after the batch being written (Ctrl-C again to quit at once)…");
    controller.abort();
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);
  const bar = startProgress(opts.dryRun ? "import (dry run)" : "import", { total, unit: "tickets" });
  let report: ImportReport | null = null;
  let code = 0;
  try {
    report = await importRecords(app, source.read(location), {
      dryRun: !!opts.dryRun,
      strict: !!opts.strict,
      ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
      attachmentsDir: source.attachmentsDir?.(location) ?? null,
      keepNumbers: !!source.keepNumbers,
      signal: controller.signal,
      onProgress: (done) => bar.update(done.tickets),
      onSkip: (s) => out(`skipped ${s.at}${s.key ? ` (${s.key})` : ""}: ${s.reason}`),
      onWarning: (w) => out(`warning ${w.at}${w.key ? ` (${w.key})` : ""}: ${w.reason}`),
    });
    bar.finish(summary(report));
    if (report.interrupted) {
      out("Interrupted: what is written stays; run the same command again to continue.");
      code = 130;
    }
  } catch (err) {
    bar.finish();
    if (err instanceof ImportStopped) {
      console.error(`eskala import: stopped at the first bad record (--strict): ${err.message}`);
      console.error("Batches before it are written; fix the record and run again to continue.");
    } else console.error(`eskala import: ${(err as Error).message.split("\n")[0]}`);
    code = 1;
  } finally {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
    await app.close();
  }
  return code;
}

/** What was (or, in a dry run, would be) created, updated and skipped, per kind, plural-correct. */
export function summary(report: ImportReport): string {
  const dry = report.dryRun;
  const lines = [dry ? "Dry run: nothing was written." : "Import done."];
  for (const [kind, c] of Object.entries(report.counts)) {
    const parts = [
      `${dry ? "would create" : "created"} ${c.created}`,
      `${dry ? "would update" : "updated"} ${c.updated}`,
    ];
    if (c.unchanged) parts.push(`unchanged ${c.unchanged}`);
    parts.push(`skipped ${c.skipped}`);
    lines.push(`  ${kind.padEnd(14)} ${parts.join(", ")}`);
  }
  if (report.warnings.length)
    lines.push(
      `  ${count(report.warnings.length, "record")} ${dry ? "would be" : report.warnings.length === 1 ? "was" : "were"} ` +
        "imported without a reference not known here (see the warnings above)",
    );
  const s = report.sla;
  if (s.clocked)
    lines.push(
      `  ${count(s.clocked, "open ticket")} with SLA clocks; ` +
        `${count(s.breachesRecorded, "past breach", "past breaches")} recorded as history; ` +
        `${count(s.decisions, "escalation decision")} at import`,
    );
  return lines.join("\n");
}
