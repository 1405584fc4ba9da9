/**
 * An Eskala transfer directory (format.ts) as import records: the manifest checked first, then
 * each file in import order, streamed. A ticket's messages follow it: messages.jsonl is read
 * alongside tickets.jsonl, in step while it lists the tickets' messages in their order (as the
 * export writes it); messages out of that order come at the end and are added to their tickets then.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  IMPORT_ORDER,
  TRANSFER_FORMAT,
  TransferManifest,
  type TransferKind,
  type TransferManifest as Manifest,
} from "../format.ts";
import type { SourceItem } from "../import/source.ts";
import { readJsonLines, type Line } from "./jsonl.ts";

/** The directory's manifest, or an error saying what is wrong with it. */
export function readManifest(dir: string): Manifest {
  const path = join(dir, "manifest.json");
  if (!existsSync(path)) throw new Error(`${path}: not found (is ${dir} an eskala export?)`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`${path}: malformed JSON (${(err as Error).message})`);
  }
  const parsed = TransferManifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `${path}: not an ${TRANSFER_FORMAT} manifest of version 1 (${issue.path.join(".") || "manifest"}: ${issue.message})`,
    );
  }
  return parsed.data;
}

const item = (kind: TransferKind, line: Line): SourceItem =>
  line.ok ? { kind, record: line.value, at: line.at } : { kind: "skip", at: line.at, reason: line.reason };

async function* file(dir: string, kind: TransferKind): AsyncGenerator<SourceItem> {
  for await (const line of readJsonLines(join(dir, `${kind}.jsonl`))) yield item(kind, line);
}

const ticketKeyOf = (line: Line) =>
  line.ok && line.value && typeof line.value === "object" ? (line.value as { ticket_key?: unknown }).ticket_key : null;
const keyOf = (line: Line) =>
  line.ok && line.value && typeof line.value === "object" ? (line.value as { key?: unknown }).key : null;

export async function* readTransferDir(dir: string): AsyncGenerator<SourceItem> {
  readManifest(dir);
  for (const kind of IMPORT_ORDER) yield* file(dir, kind);
  const messages = readJsonLines(join(dir, "messages.jsonl"))[Symbol.asyncIterator]();
  let peek = await messages.next();
  for await (const line of readJsonLines(join(dir, "tickets.jsonl"))) {
    yield item("tickets", line);
    const key = keyOf(line);
    while (!peek.done && (!peek.value.ok || ticketKeyOf(peek.value) === key)) {
      yield item("messages", peek.value);
      peek = await messages.next();
    }
  }
  while (!peek.done) {
    yield item("messages", peek.value);
    peek = await messages.next();
  }
  yield* file(dir, "escalations");
}
