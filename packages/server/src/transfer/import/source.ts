/**
 * What an importer's source hands the pipeline, and what the pipeline reports back. A source
 * (a transfer directory, a Zendesk or Freshdesk export, an osTicket database) yields items in
 * import order (format.ts): records still unchecked, each with where it came from, or a problem
 * the source met itself (a malformed line). The pipeline checks, maps and writes them.
 */
import type { TransferKind } from "../format.ts";

export type SourceItem =
  | {
      kind: TransferKind;
      /** The record as read; the pipeline checks it against the format's schema. */
      record: unknown;
      /** Where it came from, for reports: `tickets.jsonl:12`, `ost_ticket 42`. */
      at: string;
    }
  | { kind: "skip"; at: string; reason: string };

export interface ImportOptions {
  /** Check and map everything, write nothing; the report lists what would be created and skipped. */
  dryRun?: boolean;
  /** Stop at the first bad record (an `ImportStopped` error), having written the batches before it. */
  strict?: boolean;
  /** Tickets per transaction (500 by default). */
  batchSize?: number;
  /** The folder attachment paths are relative to (`DIR/attachments`), when the source has files. */
  attachmentsDir?: string | null;
  /** Called after each committed batch with the records handled so far (progress bars). */
  onProgress?: (done: { tickets: number; records: number }) => void;
  /** Called for each skipped record as it is found. */
  onSkip?: (skip: Skip) => void;
  /** Called for each record imported without an optional reference not known here (a group, an organisation…). */
  onWarning?: (warning: Skip) => void;
  /** Stops the run before the next batch (Ctrl-C, tests): committed batches stay, the run can resume. */
  signal?: AbortSignal;
  /** The instant the import happens at (tests pin it). */
  now?: Date;
}

export interface Skip {
  at: string;
  kind: string;
  key: string | null;
  reason: string;
}

/**
 * Per kind: records created, updated (imported before; for tickets, only those whose values
 * changed), unchanged (tickets and messages imported before and the same) and skipped.
 */
export type ImportCounts = Record<string, { created: number; updated: number; unchanged: number; skipped: number }>;

export interface ImportReport {
  dryRun: boolean;
  counts: ImportCounts;
  skips: Skip[];
  /** Records imported without an optional reference not known here: where, which record, which reference. */
  warnings: Skip[];
  /** Set when the run was stopped (by `signal`) before the end. */
  interrupted: boolean;
  /** Open tickets given SLA clocks, breaches recorded as history, and the escalation decisions made at import. */
  sla: { clocked: number; breachesRecorded: number; decisions: number };
}

/** Thrown with --strict at the first bad record. */
export class ImportStopped extends Error {
  constructor(readonly skip: Skip) {
    super(`${skip.at}: ${skip.reason}`);
  }
}
