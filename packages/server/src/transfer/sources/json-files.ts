/**
 * The files a help desk's API export leaves in a directory: `NAME.jsonl`/`NAME.ndjson` (one object
 * a line, streamed), or `NAME.json` and pages `NAME-*.json` as the API returned them (an array, or
 * an object holding the array under NAME: `{"tickets": [...]}`, a page of at most a thousand).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readJsonLines, type Line } from "./jsonl.ts";

export async function* readApiRecords(dir: string, name: string): AsyncGenerator<Line> {
  for (const ext of ["jsonl", "ndjson"]) yield* readJsonLines(join(dir, `${name}.${ext}`));
  const pages = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f === `${name}.json` || (f.startsWith(`${name}-`) && f.endsWith(".json")))
        .sort()
    : [];
  for (const file of pages) yield* readPage(join(dir, file), file, name);
}

/** One page's records, each located as `file[i]`. */
export function* readPage(path: string, file: string, name: string): Generator<Line> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    yield { ok: false, reason: `malformed JSON (${(err as Error).message})`, at: file };
    return;
  }
  const list = Array.isArray(json) ? json : (json as Record<string, unknown> | null)?.[name];
  if (!Array.isArray(list)) {
    yield { ok: false, reason: `expected an array of ${name}`, at: file };
    return;
  }
  for (const [i, value] of list.entries()) yield { ok: true, value, at: `${file}[${i}]` };
}

/** A ticket's own file of comments or conversations (`comments/123.json`), if there is one. */
export function readTicketFile(dir: string, folder: string, id: unknown, name: string): Line[] {
  const file = `${folder}/${String(id)}.json`;
  const path = join(dir, file);
  return existsSync(path) ? [...readPage(path, file, name)] : [];
}
