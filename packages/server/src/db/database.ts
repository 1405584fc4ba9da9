import { mkdirSync } from "node:fs";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { DB } from "./schema.ts";

export type DatabaseKind = "pglite" | "postgres";

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** Subscribe to a NOTIFY channel (PostgreSQL) or its in-process equivalent (PGlite). */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

// int8 (counts, ticket numbers) as JS numbers: they stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openDatabase(options: {
  url?: string | undefined;
  dataDir: string;
  poolSize?: number;
}): Promise<Database> {
  return options.url ? openPostgres(options.url, options.poolSize ?? 10) : openPGlite(options.dataDir);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection the server closes (restart, failover, a dropped test database) is not an
  // error of any request: the pool replaces it. Without a listener it would crash the process.
  pool.on("error", () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const listeners: pg.PoolClient[] = [];
  return {
    db,
    kind: "postgres",
    async listen(channel, onNotify) {
      const client = await pool.connect();
      client.on("error", () => {});
      listeners.push(client);
      client.on("notification", (msg) => msg.channel === channel && onNotify(msg.payload ?? ""));
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        await client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
        client.release();
        listeners.splice(listeners.indexOf(client), 1);
      };
    },
    async notify(channel, payload) {
      await sql`select pg_notify(${channel}, ${payload})`.execute(db);
    },
    async close() {
      for (const client of listeners.splice(0)) client.release();
      await db.destroy();
    },
  };
}

async function openPGlite(dataDir: string): Promise<Database> {
  const { PGlite, types } = await import("@electric-sql/pglite");
  const { createPGlitePool } = await import("./pglite-pool.ts");
  const inMemory = dataDir === ":memory:";
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(inMemory ? undefined : dataDir, {
    parsers: { [types.INT8]: (v: string) => Number(v) },
  });
  const pool = createPGlitePool(pglite);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: "pglite",
    // PGlite delivers NOTIFY (also from SQL, on commit) to its own listeners. LISTEN runs on its one
    // connection, so take the pool's turn first: otherwise it could join another request's transaction.
    async listen(channel, onNotify) {
      const client = await pool.connect();
      try {
        return await pglite.listen(channel, onNotify);
      } finally {
        client.release();
      }
    },
    async notify(channel, payload) {
      await sql`select pg_notify(${channel}, ${payload})`.execute(db);
    },
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}
