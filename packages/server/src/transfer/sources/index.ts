/**
 * The sources `eskala import <source> <location>` knows: each turns a location (a directory, a
 * database address) into import records. A source whose data lives in files says where the
 * attachments are.
 */
import { join } from "node:path";
import type { SourceItem } from "../import/source.ts";
import { readManifest, readTransferDir } from "./eskala-dir.ts";
import { readFreshdeskDir } from "./freshdesk.ts";
import { readZendeskDir } from "./zendesk.ts";
import { osticketAttachmentsDir, readOsTicketDatabase } from "./osticket-source.ts";

export interface ImportSource {
  /** The records, in import order. */
  read: (location: string) => AsyncIterable<SourceItem>;
  /** Tickets expected, when the source knows (progress). */
  total?: (location: string) => number | undefined;
  attachmentsDir?: (location: string) => string;
  /** An Eskala export keeps its ticket numbers where they are free. */
  keepNumbers?: boolean;
}

export const IMPORT_SOURCES: Record<string, ImportSource> = {
  eskala: {
    read: readTransferDir,
    total: (dir) => readManifest(dir).counts.tickets,
    attachmentsDir: (dir) => join(dir, "attachments"),
    keepNumbers: true,
  },
  zendesk: { read: readZendeskDir, attachmentsDir: (dir) => join(dir, "attachments") },
  freshdesk: { read: readFreshdeskDir, attachmentsDir: (dir) => join(dir, "attachments") },
  // The location is a mysql:// URL; attachment contents are copied to a temporary folder while it runs.
  osticket: { read: readOsTicketDatabase, attachmentsDir: osticketAttachmentsDir },
};
