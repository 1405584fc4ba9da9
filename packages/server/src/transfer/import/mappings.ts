/**
 * The import mapping (migration 028): a record's key in its source → the row it became, written in
 * the transaction that writes the row. Looking keys up is one statement for any number of them.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";

type Executor = Kysely<DB> | Transaction<DB>;

/** The source of a key `source:kind:id` (its first part). */
export const sourceOf = (key: string) => key.slice(0, Math.max(0, key.indexOf(":"))) || key;

/** `kind/key` → local id, for the keys already imported. */
export type MappingIndex = Map<string, string>;
export const mapKey = (kind: string, key: string) => `${kind}/${key}`;

/**
 * Reads the mappings of these (kind, key) pairs; with `hashes`, also the fingerprint of the record
 * each was last written from (`kind/key` → hash, migration 042).
 */
export async function readMappings(
  db: Executor,
  wanted: { kind: string; key: string }[],
  hashes?: Map<string, string | null>,
): Promise<MappingIndex> {
  const out: MappingIndex = new Map();
  if (wanted.length === 0) return out;
  const unique = [...new Map(wanted.map((w) => [mapKey(w.kind, w.key), w])).values()];
  const { rows } = await sql<{ kind: string; external_id: string; local_id: string; record_hash: string | null }>`
    select m.kind, m.external_id, m.local_id, m.record_hash from import_mappings m
    join unnest(${unique.map((w) => sourceOf(w.key))}::text[], ${unique.map((w) => w.kind)}::text[],
      ${unique.map((w) => w.key)}::text[]) as k(source, kind, key)
      on m.source = k.source and m.kind = k.kind and m.external_id = k.key`.execute(db);
  for (const r of rows) {
    out.set(mapKey(r.kind, r.external_id), r.local_id);
    hashes?.set(mapKey(r.kind, r.external_id), r.record_hash);
  }
  return out;
}

/** Writes (or moves) the mappings of records just written, with their records' fingerprints when given. */
export async function writeMappings(
  db: Executor,
  kind: string,
  rows: { key: string; id: string; hash?: string }[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into import_mappings (source, kind, external_id, local_id, imported_at, record_hash)
    select source, ${kind}, key, id, ${now}, hash from unnest(${rows.map((r) => sourceOf(r.key))}::text[],
      ${rows.map((r) => r.key)}::text[], ${rows.map((r) => r.id)}::uuid[],
      ${rows.map((r) => r.hash ?? null)}::text[]) as r(source, key, id, hash)
    on conflict (source, kind, external_id) do update set local_id = excluded.local_id,
      imported_at = excluded.imported_at, record_hash = excluded.record_hash`.execute(db);
}
