#!/usr/bin/env node
import { Command } from "commander";
import pino from "pino";
import { loadConfig, type Config } from "./config.ts";
import { compose } from "./compose.ts";
import { buildApp } from "./http/app.ts";
import { openDatabase } from "./db/database.ts";
import { migrate } from "./db/migrate.ts";
import { seedDemo, type DemoLogin } from "./seed/demo.ts";
import { hasDemoCustomers, startDemoLive } from "./seed/demo-live.ts";
import { seedBulkTickets } from "./seed/bulk.ts";
import { startProgress } from "./lib/progress.ts";
import { recomputeOpenTickets } from "./sla/compose-sla.ts";
import { exportData, ExportError } from "./transfer/export.ts";
import { eraseRequester, EraseError } from "./transfer/erase.ts";
import { ensureSecret } from "./channels/settings.ts";
import { count } from "./lib/plural.ts";

const program = new Command("eskala")
  .description("Eskala: the help desk built around ticket escalation")
  .showHelpAfterError();

function config(): Config {
  try {
    return loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
}

program
  .command("serve")
  .description("Serve the API and the web app; runs the workers too unless ESKALA_WORKER=false")
  .option("--live", "demo customers keep writing (as ESKALA_DEMO_LIVE=true)")
  .action(async (opts: { live?: boolean }) => {
    const cfg = config();
    const log = pino({ level: cfg.LOG_LEVEL });
    const app = await compose(cfg);
    let logins: DemoLogin[] | null = null;
    if (cfg.ESKALA_DEMO) {
      logins = await seedDemo(app, { onStage: (line) => console.log(line), progress: startProgress });
      if (logins) log.info("seeded the demo contact center");
    }
    // In the demo each request is logged at debug level: the first start reads as what it did.
    const http = await buildApp(app, { logger: { level: cfg.LOG_LEVEL }, quietRequests: cfg.ESKALA_DEMO });
    if (cfg.ESKALA_WORKER) await app.startWorkers();
    await http.listen({ port: cfg.PORT, host: cfg.HOST });
    const live =
      (opts.live || cfg.ESKALA_DEMO_LIVE) && (await hasDemoCustomers(app))
        ? startDemoLive(app, {
            onActivity: (what, n) =>
              log.info(`demo: a customer ${what === "ticket" ? "opened" : "replied on"} ticket #${n}`),
            onError: (err) => log.warn({ err }, "demo: a customer's action failed"),
          })
        : null;
    const shown = cfg.HOST === "0.0.0.0" ? "localhost" : cfg.HOST;
    console.log(`\nEskala is running on http://${shown}:${cfg.PORT}  (portal: /portal, API reference: /api/docs)`);
    console.log(
      `Database: ${app.database.kind === "pglite" ? `embedded PGlite in ${cfg.ESKALA_DATA_DIR}` : "PostgreSQL"}`,
    );
    if (live) console.log("Live demo: customers write a new ticket or a reply every 30–90 s");
    if (logins) printLogins(logins);
    console.log("");
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "shutting down");
      await live?.stop();
      await http.close();
      await app.close();
      process.exit(0);
    };
    process.on("SIGTERM", () => void stop("SIGTERM"));
    process.on("SIGINT", () => void stop("SIGINT"));
  });

function printLogins(logins: DemoLogin[]) {
  console.log("\nDemo logins (password for all: " + logins[0]!.password + "):");
  for (const l of logins) console.log(`  ${l.role.padEnd(16)} ${l.email}`);
}

program
  .command("worker")
  .description("Run only the background workers (timers, outbox, mail; ESKALA_WORKERS chooses) against DATABASE_URL")
  .action(async () => {
    const cfg = config();
    const app = await compose(cfg);
    await app.startWorkers();
    console.log("Eskala worker running");
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await app.close();
      process.exit(0);
    };
    process.on("SIGTERM", () => void stop());
    process.on("SIGINT", () => void stop());
  });

program
  .command("migrate")
  .description("Apply the SQL migrations")
  .action(async () => {
    const cfg = config();
    const database = await openDatabase({ url: cfg.DATABASE_URL, dataDir: cfg.ESKALA_DATA_DIR });
    let progress: ReturnType<typeof startProgress> | null = null;
    const applied = await migrate(database.db, {
      onProgress: (done, total) => {
        progress ??= startProgress("migrate", { total, unit: "migrations" });
        progress.update(done);
      },
    });
    (progress as ReturnType<typeof startProgress> | null)?.finish();
    console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Up to date");
    await database.close();
  });

program
  .command("seed")
  .description("Seed data")
  .option("--demo", "the demo contact center (skipped if people exist)")
  .option("--live", "then keep the demo's customers writing (a new ticket or a reply every 30–90 s) until stopped")
  .option("--tickets <n>", "N synthetic open tickets, in bulk (for benchmarks)", (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error("--tickets takes a positive whole number");
    return n;
  })
  .action(async (opts: { demo?: boolean; tickets?: number; live?: boolean }) => {
    if (!opts.demo && !opts.tickets && !opts.live) {
      console.error("Say --demo, --tickets N or --live");
      process.exit(2);
    }
    const cfg = config();
    const app = await compose(cfg);
    // Bulk tickets need the demo's structure (tiers, groups); without --demo it comes with no demo tickets.
    const onStage = (line: string) => console.log(line);
    const progress = startProgress;
    const logins = await seedDemo(app, opts.tickets && !opts.demo ? { tickets: 0, onStage } : { onStage, progress });
    console.log(logins ? "Demo data seeded" : "Demo data already present");
    if (opts.tickets) {
      const bar = startProgress("seed", { total: opts.tickets, unit: "tickets" });
      // Batches of 20,000 (about a second each) so the count moves while it works.
      const n = await seedBulkTickets(app.database.db, opts.tickets, {
        batch: 20_000,
        onProgress: (d) => bar.update(d),
      });
      bar.finish(`Inserted ${count(n, "ticket")} in ${bar.elapsedSeconds().toFixed(1)} s`);
    }
    if (opts.live) {
      // The deadlines and deliveries are left to the serving process's workers.
      const live = startDemoLive(app, {
        onActivity: (what, n) => console.log(`a customer ${what === "ticket" ? "opened" : "replied on"} ticket #${n}`),
        onError: (err) => console.error((err as Error).message),
      });
      console.log("Live demo: customers write a new ticket or a reply every 30–90 s (Ctrl-C stops)");
      const stop = async () => {
        await live.stop();
        await app.close();
        process.exit(0);
      };
      process.on("SIGTERM", () => void stop());
      process.on("SIGINT", () => void stop());
      return;
    }
    await app.close();
  });

program
  .command("sla-recompute")
  .description("Recompute the SLA clocks of every open ticket now (after a calendar or policy change)")
  .action(async () => {
    const app = await compose(config());
    const bar = startProgress("sla-recompute", { unit: "tickets" });
    const job = await recomputeOpenTickets(
      app,
      { kind: "all" },
      {
        onProgress: (done, total) => {
          bar.setTotal(total);
          bar.update(done);
        },
      },
    );
    bar.finish(`Recomputed ${count(job.done, "open ticket")} in ${bar.elapsedSeconds().toFixed(1)} s`);
    await app.close();
  });

/** An instant or a day (`2026-03-01`, UTC midnight) of the command line. */
function instantOption(name: string) {
  return (v: string) => {
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
    if (Number.isNaN(d.getTime()))
      throw new Error(`${name} takes a date (2026-03-01) or an instant (2026-03-01T08:00:00+07:00)`);
    return d;
  };
}

program
  .command("export")
  .description("Export the data as JSON lines with a manifest and the attachments (issue 21's transfer format)")
  .requiredOption("--out <dir>", "a new or empty folder to write into")
  .option("--from <date>", "only tickets created from this day or instant on", instantOption("--from"))
  .option("--to <date>", "only tickets created before this day or instant", instantOption("--to"))
  .option("--organization <name or id>", "only this organisation's tickets and people")
  .option("--requester <email>", "one customer's own data (an access request under UU PDP): public messages only")
  .action(async (opts: { out: string; from?: Date; to?: Date; organization?: string; requester?: string }) => {
    const cfg = config();
    const database = await openDatabase({ url: cfg.DATABASE_URL, dataDir: cfg.ESKALA_DATA_DIR });
    await migrate(database.db);
    const bar = startProgress("export", { unit: "tickets" });
    try {
      const result = await exportData(database.db, {
        ...opts,
        onTotal: (n) => bar.setTotal(n),
        onProgress: (n) => bar.update(n),
      });
      const c = result.manifest.counts;
      bar.finish(
        `Exported ${count(c.tickets ?? 0, "ticket")}, ${count(c.messages ?? 0, "message")}, ` +
          `${count(c.users ?? 0, "person", "people")} and ${count(result.attachments, "attachment")} to ${opts.out} ` +
          `in ${bar.elapsedSeconds().toFixed(1)} s`,
      );
    } catch (err) {
      bar.finish("export stopped");
      await database.close();
      if (err instanceof ExportError) {
        console.error(err.message);
        process.exit(1);
      }
      throw err;
    }
    await database.close();
  });

program
  .command("import")
  .description("Import tickets and people: eskala|zendesk|freshdesk DIR, or osticket mysql://… (issue 21)")
  .argument("<source>", "eskala, zendesk, freshdesk or osticket")
  .argument("<location>", "the export's folder, or the osTicket database's address")
  .option("--dry-run", "write nothing: print what would be created and every record that would be skipped")
  .option("--strict", "stop at the first bad record instead of skipping it")
  .option("--batch-size <n>", "tickets per transaction (500)", (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error("--batch-size takes a positive whole number");
    return n;
  })
  .action(
    async (source: string, location: string, opts: { dryRun?: boolean; strict?: boolean; batchSize?: number }) => {
      const { runImportCommand } = await import("./transfer/import/import-command.ts");
      process.exit(await runImportCommand(config(), source, location, opts));
    },
  );

program
  .command("erase")
  .description("Erase a customer's personal data (UU PDP), keeping the anonymous statistics")
  .requiredOption("--requester <email>", "the customer's email address")
  .option("--dry-run", "print what would change, change nothing")
  .action(async (opts: { requester: string; dryRun?: boolean }) => {
    const cfg = config();
    const database = await openDatabase({ url: cfg.DATABASE_URL, dataDir: cfg.ESKALA_DATA_DIR });
    await migrate(database.db);
    const bar = startProgress(opts.dryRun ? "erase (dry run)" : "erase", { unit: "tickets" });
    try {
      const secret = await ensureSecret(database.db, cfg);
      const s = await eraseRequester(database.db, {
        email: opts.requester,
        secret,
        dryRun: Boolean(opts.dryRun),
        onTotal: (n) => bar.setTotal(n),
        onProgress: (n) => bar.update(n),
      });
      if (s.already) bar.finish(`${opts.requester.trim()} was erased before: nothing to change`);
      else
        bar.finish(
          `${opts.dryRun ? "Would erase" : "Erased"} ${opts.requester.trim()}: ` +
            `${count(s.tickets, "ticket's subject and description", "tickets' subjects and descriptions")}, ` +
            `${count(s.messages, "message")}, ${count(s.attachments, "attachment")}, ` +
            `${count(s.satisfaction_comments, "satisfaction comment")}, ` +
            `${count(s.escalation_requests, "escalation request's words", "escalation requests' words")} and ` +
            `${count(s.other_rows, "other record naming them", "other records naming them")}` +
            (opts.dryRun ? " (dry run: nothing changed)" : "; tickets, escalations, SLA records and ratings are kept"),
        );
    } catch (err) {
      bar.finish(opts.dryRun ? "erase (dry run) stopped" : "erase stopped");
      await database.close();
      if (err instanceof EraseError) {
        console.error(err.message);
        process.exit(1);
      }
      throw err;
    }
    await database.close();
  });

await program.parseAsync(process.argv);
