import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql, type Kysely } from "kysely";
import type { DB } from "./schema.ts";

const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));

/** The SQL migration files, in order of their numeric prefix. */
export function listMigrations(): { name: string; sql: string }[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, sql: readFileSync(MIGRATIONS_DIR + name, "utf8") }));
}

/**
 * Applies the migrations not yet applied, each in its own transaction, the same way on PGlite and
 * PostgreSQL. An advisory lock keeps concurrent starts of several processes from racing.
 */
export async function migrate(
  db: Kysely<DB>,
  opts: { onProgress?: (done: number, total: number) => void } = {},
): Promise<string[]> {
  const applied: string[] = [];
  await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(7283401)`.execute(conn);
    try {
      await sql`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`.execute(
        conn,
      );
      const done = new Set(
        (await sql<{ name: string }>`select name from schema_migrations`.execute(conn)).rows.map((r) => r.name),
      );
      const pending = listMigrations().filter((m) => !done.has(m.name));
      for (const m of pending) {
        await conn.transaction().execute(async (trx) => {
          await sql.raw(m.sql).execute(trx);
          await sql`insert into schema_migrations (name) values (${m.name})`.execute(trx);
        });
        applied.push(m.name);
        opts.onProgress?.(applied.length, pending.length);
      }
    } finally {
      await sql`select pg_advisory_unlock(7283401)`.execute(conn);
    }
  });
  return applied;
}
