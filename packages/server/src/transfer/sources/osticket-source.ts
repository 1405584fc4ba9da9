/**
 * `eskala import osticket mysql://user:pass@host:port/db`: the osTicket reader (osticket.ts) as the
 * pipeline's source items. Each record says the osTicket row it came from (`ost_ticket 42`); each
 * row left out is a skip item with its reason. Attachment contents are copied to a temporary folder
 * named after the database (never after its password) that the pipeline reads while it writes;
 * it is removed when the process exits (the CLI) or by `removeOsTicketAttachments`, so no copy of
 * the customers' files stays behind.
 */
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SourceItem } from "../import/source.ts";
import { openOsTicket, type OsTicketSkip } from "./osticket.ts";

const TABLE_OF_KEY: Record<string, string> = {
  org: "organization",
  user: "user",
  staff: "staff",
  department: "department",
  topic: "help_topic",
  sla: "sla",
  ticket: "ticket",
  entry: "thread_entry",
};

function prefixOf(url: string): string {
  try {
    return new URL(url).searchParams.get("prefix") ?? "ost_";
  } catch {
    return "ost_";
  }
}

/** Where one database's attachments are copied during an import: the same folder for the same host, port and database. */
export function osticketAttachmentsDir(url: string): string {
  let id = url;
  try {
    const u = new URL(url);
    id = `${u.hostname}:${u.port}${u.pathname}?${u.searchParams.get("prefix") ?? ""}`;
  } catch {
    // A malformed URL is refused by openOsTicket; any folder name does here.
  }
  return join(tmpdir(), `eskala-osticket-${createHash("sha256").update(id).digest("hex").slice(0, 16)}`);
}

export async function removeOsTicketAttachments(url: string): Promise<void> {
  await rm(osticketAttachmentsDir(url), { recursive: true, force: true });
}

const cleanAtExit = new Set<string>();

/** The osTicket database's records as source items; a connection problem throws OsTicketSourceError before the first. */
export async function* readOsTicketDatabase(url: string): AsyncGenerator<SourceItem> {
  const source = await openOsTicket(url);
  const prefix = prefixOf(url);
  const dir = osticketAttachmentsDir(url);
  // Files a stopped run left half-written are copied again.
  await rm(dir, { recursive: true, force: true });
  if (!cleanAtExit.has(dir)) {
    cleanAtExit.add(dir);
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  const skipped: OsTicketSkip[] = [];
  const skipItems = function* (): Generator<SourceItem> {
    while (skipped.length) {
      const s = skipped.shift()!;
      yield { kind: "skip", at: `${s.table} ${s.id}`, reason: s.reason };
    }
  };
  try {
    for await (const r of source.records({ attachmentsDir: dir, onSkip: (s) => skipped.push(s) })) {
      yield* skipItems();
      const [, kind, id] = r.record.key.split(":");
      yield { kind: r.kind, record: r.record, at: `${prefix}${TABLE_OF_KEY[kind!] ?? kind} ${id}` };
    }
    yield* skipItems();
  } finally {
    await source.close();
  }
}
