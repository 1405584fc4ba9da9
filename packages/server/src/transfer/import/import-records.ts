/**
 * The import pipeline: records from any source (source.ts) checked against the transfer format,
 * grouped into batches and written, each batch in one transaction with its mapping rows — people
 * and structure a thousand at a time, tickets `batchSize` at a time with their messages. A second
 * run of the same records updates what the first made; a run stopped between batches (Ctrl-C,
 * `signal`) continues where it stopped, since the committed batches are mapped. A bad record is
 * reported with where it came from and skipped, or stops the run with `strict`. A dry run does all
 * of it in one transaction and rolls it back: what it reports is exactly what a run would do.
 */
import type { Transaction } from "kysely";
import type { z } from "zod";
import type { Composition } from "../../compose.ts";
import type { DB } from "../../db/schema.ts";
import { slaOf } from "../../sla/compose-sla.ts";
import { TRANSFER_FILES, type TransferKind, type TransferMessage, type TransferTicket } from "../format.ts";
import { writeEscalations } from "./write-escalations.ts";
import { startOpenClocks } from "./open-clocks.ts";
import {
  ImportStopped,
  type ImportCounts,
  type ImportOptions,
  type ImportReport,
  type Skip,
  type SourceItem,
} from "./source.ts";
import {
  writeCategories,
  writeGroups,
  writeOrganizations,
  writeSlaPolicies,
  writeUsers,
  type BatchResult,
  type Checked,
} from "./write-structure.ts";
import { advanceNumbers, writeTicketBatch, type TicketUnit } from "./write-tickets.ts";

const STRUCTURE_BATCH = 1000;
const MAX_LATE = 5000;

type Trx = Transaction<DB>;
type StructureKind = Exclude<TransferKind, "tickets" | "messages">;

class DryRunDone extends Error {}

/** The first problem zod found, as a sentence naming the field. */
function reasonOf(error: z.ZodError, input: unknown): string {
  const issue = error.issues[0]!;
  const field = issue.path.join(".") || "record";
  let value: unknown = input;
  for (const step of issue.path) value = (value as Record<PropertyKey, unknown> | null | undefined)?.[step];
  if (value === undefined || value === null) return `missing required field ${field}`;
  return `invalid ${field}: ${issue.message}`;
}

export async function importRecords(
  app: Composition,
  source: AsyncIterable<SourceItem>,
  opts: ImportOptions & { keepNumbers?: boolean } = {},
): Promise<ImportReport> {
  const { db } = app.database;
  const now = opts.now ?? app.clock.now();
  const batchSize = opts.batchSize ?? 500;
  const counts: ImportCounts = {};
  const report: ImportReport = {
    dryRun: !!opts.dryRun,
    counts,
    skips: [],
    warnings: [],
    interrupted: false,
    sla: { clocked: 0, breachesRecorded: 0, decisions: 0 },
  };
  const count = (kind: string) => (counts[kind] ??= { created: 0, updated: 0, unchanged: 0, skipped: 0 });
  let done = { tickets: 0, records: 0 };

  const skip = (s: Skip) => {
    count(s.kind).skipped++;
    report.skips.push(s);
    opts.onSkip?.(s);
    if (opts.strict) throw new ImportStopped(s);
  };

  const warn = (w: Skip) => {
    report.warnings.push(w);
    opts.onWarning?.(w);
  };

  let structure: { kind: StructureKind; items: Checked<unknown>[] } | null = null;
  let units: TicketUnit[] = [];
  let byKey = new Map<string, TicketUnit>();
  let late: Checked<TransferMessage>[] = [];

  const run = async (outer: Trx | null) => {
    // Each batch is a transaction of its own; a dry run's batches share the one it rolls back.
    const inBatch = <T>(fn: (trx: Trx) => Promise<T>) => (outer ? fn(outer) : db.transaction().execute(fn));
    const stopped = () => {
      if (opts.signal?.aborted) report.interrupted = true;
      return report.interrupted;
    };

    const flushStructure = async () => {
      if (!structure || structure.items.length === 0 || stopped()) return;
      const { kind, items } = structure;
      structure = { kind, items: [] };
      const result: BatchResult = await inBatch(async (trx) => {
        const r = await writeStructure(trx, kind, items, now);
        for (const s of r.skips) skip({ ...s, kind });
        for (const w of r.warnings ?? []) warn({ ...w, kind });
        return r;
      });
      count(kind).created += result.created;
      count(kind).updated += result.updated;
      if (kind === "sla_policies") slaOf(app).cache.invalidate();
      done = { ...done, records: done.records + items.length };
      opts.onProgress?.(done);
    };

    const flushTickets = async () => {
      if ((units.length === 0 && late.length === 0) || stopped()) return;
      const batch = units;
      const lateBatch = late;
      units = [];
      byKey = new Map();
      late = [];
      await inBatch(async (trx) => {
        const r = await writeTicketBatch(trx, batch, lateBatch, {
          keepNumbers: !!opts.keepNumbers,
          attachmentsDir: opts.attachmentsDir ?? null,
          now,
        });
        for (const s of r.skips) skip(s);
        for (const w of r.warnings) warn(w);
        if (r.keptNumbers) await advanceNumbers(trx);
        const clocks = await startOpenClocks(app, trx, r.open, now);
        count("tickets").created += r.tickets.created;
        count("tickets").updated += r.tickets.updated;
        count("tickets").unchanged += r.tickets.unchanged;
        count("messages").created += r.messages.created;
        count("messages").unchanged += r.messages.unchanged;
        report.sla.clocked += clocks.clocked;
        report.sla.breachesRecorded += clocks.breachesRecorded;
        report.sla.decisions += clocks.decisions;
      });
      const messages = batch.reduce((n, u) => n + u.messages.length, 0) + lateBatch.length;
      done = { tickets: done.tickets + batch.length, records: done.records + batch.length + messages };
      opts.onProgress?.(done);
    };

    for await (const item of source) {
      if (stopped()) break;
      if (item.kind === "skip") {
        skip({ at: item.at, kind: "records", key: null, reason: item.reason });
        continue;
      }
      const parsed = TRANSFER_FILES[item.kind].safeParse(item.record);
      if (!parsed.success) {
        const key = (item.record as { key?: unknown } | null)?.key;
        skip({
          at: item.at,
          kind: item.kind,
          key: typeof key === "string" ? key : null,
          reason: reasonOf(parsed.error, item.record),
        });
        continue;
      }
      const checked = { record: parsed.data, at: item.at };
      if (item.kind === "tickets") {
        await flushStructure();
        if (units.length >= batchSize) await flushTickets();
        if (stopped()) break;
        const unit = { ticket: checked as Checked<TransferTicket>, messages: [] };
        units.push(unit);
        byKey.set(unit.ticket.record.key, unit);
      } else if (item.kind === "messages") {
        const m = checked as Checked<TransferMessage>;
        const unit = byKey.get(m.record.ticket_key);
        if (unit) unit.messages.push(m);
        else {
          late.push(m);
          if (late.length >= MAX_LATE) await flushTickets();
        }
      } else {
        await flushTickets();
        if (structure && structure.kind !== item.kind) await flushStructure();
        if (!structure || structure.kind !== item.kind) structure = { kind: item.kind, items: [] };
        structure.items.push(checked);
        if (structure.items.length >= STRUCTURE_BATCH) await flushStructure();
      }
    }
    await flushStructure();
    await flushTickets();
  };

  if (opts.dryRun) {
    try {
      await db.transaction().execute(async (trx) => {
        await run(trx);
        throw new DryRunDone();
      });
    } catch (err) {
      if (!(err instanceof DryRunDone)) throw err;
    }
    slaOf(app).cache.invalidate();
  } else await run(null);
  return report;
}

function writeStructure(trx: Trx, kind: StructureKind, items: Checked<unknown>[], now: Date): Promise<BatchResult> {
  switch (kind) {
    case "organizations":
      return writeOrganizations(trx, items as never, now);
    case "users":
      return writeUsers(trx, items as never, now);
    case "groups":
      return writeGroups(trx, items as never, now);
    case "categories":
      return writeCategories(trx, items as never, now);
    case "sla_policies":
      return writeSlaPolicies(trx, items as never, now);
    case "escalations":
      return writeEscalations(trx, items as never, now);
  }
}
