/**
 * JSON lines read as a stream (memory stays flat whatever the file's size): each line parsed on
 * its own, a malformed one reported with the file and line and the rest read on.
 */
import { createReadStream, existsSync } from "node:fs";
import { basename } from "node:path";
import { createInterface } from "node:readline";

export type Line = { ok: true; value: unknown; at: string } | { ok: false; reason: string; at: string };

export async function* readJsonLines(path: string): AsyncGenerator<Line> {
  if (!existsSync(path)) return;
  const name = basename(path);
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === "") continue;
    const at = `${name}:${n}`;
    try {
      yield { ok: true, value: JSON.parse(line), at };
    } catch (err) {
      yield { ok: false, reason: `malformed JSON (${(err as Error).message})`, at };
    }
  }
}
