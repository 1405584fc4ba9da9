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

/**
 * A pg client that names every statement with parameters, so each connection parses and plans it
 * once and then only binds and executes it (PostgreSQL switches to a generic plan after five runs).
 * Kysely sends the same SQL text for the same query shape, so the set of names stays small; past
 * MAX_NAMED distinct texts (long `in (…)` lists, say) statements go unnamed as before.
 *
 * It also holds back a transaction's `select pg_notify($1, $2)`: PostgreSQL serialises the commits
 * of all transactions that notify (a database-wide lock from the queue write to the end of the
 * commit, WAL flush included), which capped every change at one commit at a time. The held
 * notifications go to `publish` once the commit succeeded (dropped on rollback, and back to a
 * savepoint on `rollback to savepoint`), and the publisher sends what piled up as one statement.
 * They are wake-up hints and live signals: a process dying between commit and publish loses them,
 * and the timer worker and outbox relay still find their rows by their periodic look.
 */
const MAX_NAMED = 2_000;
const statementNames = new Map<string, string>();
function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED) {
    name = `k${statementNames.size}`;
    statementNames.set(text, name);
  }
  return name;
}

const NOTIFY_SQL = "select pg_notify($1, $2)";
type Notification = [channel: string, payload: string];
type Publish = (held: Notification[]) => Promise<void>;
const done = Promise.resolve({ command: "SELECT", rowCount: 1, rows: [{ pg_notify: "" }], fields: [] });

class PreparingClient extends pg.Client {
  publish: Publish | null = null;
  /** Notifications of the open transaction, and where each open savepoint began. */
  held: Notification[] | null = null;
  marks: { name: string; at: number }[] = [];
}
const plainQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
PreparingClient.prototype.query = function (
  this: PreparingClient,
  config: unknown,
  values?: unknown,
  callback?: unknown,
) {
  if (typeof config === "string" && callback === undefined) {
    if (Array.isArray(values) && values.length > 0) {
      if (config === NOTIFY_SQL && this.publish) {
        const notification: Notification = [String(values[0]), String(values[1])];
        if (this.held) this.held.push(notification);
        // Outside a transaction it joins the same queue, so notifications keep their order.
        else return this.publish([notification]).then(() => done);
        return done;
      }
      const name = statementName(config);
      if (name) return plainQuery.call(this, { name, text: config, values });
    } else if (this.publish) {
      const result = plainQuery.call(this, config, values) as Promise<unknown>;
      trackTransaction(this, config.trim().toLowerCase(), result);
      return result;
    }
  }
  return plainQuery.call(this, config, values, callback);
} as typeof pg.Client.prototype.query;

function trackTransaction(client: PreparingClient, text: string, result: Promise<unknown>) {
  if (text === "begin" || text.startsWith("begin ") || text.startsWith("start transaction")) {
    client.held = [];
    client.marks = [];
  } else if (text === "commit") {
    const held = client.held;
    client.held = null;
    if (held?.length)
      result
        .then(
          () => client.publish?.(held),
          () => {},
        )
        .catch(() => {});
  } else if (text === "rollback") {
    client.held = null;
  } else if (client.held) {
    const savepoint = /^(savepoint|release savepoint|release|rollback to savepoint|rollback to) ("?[\w]+"?)$/.exec(
      text,
    );
    if (!savepoint) return;
    const [, verb, name] = savepoint as unknown as [string, string, string];
    const i = client.marks.map((m) => m.name).lastIndexOf(name);
    if (verb === "savepoint") client.marks.push({ name, at: client.held.length });
    else if (i >= 0 && verb.startsWith("release")) client.marks.length = i;
    else if (i >= 0) client.held.length = client.marks[i]!.at;
  }
}

/**
 * Sends notifications one statement at a time: what arrives meanwhile goes in the next one. The
 * promise settles once the statement holding these notifications has run.
 */
function createPublisher(pool: pg.Pool): Publish {
  let queue: { notifications: Notification[]; sent: () => void }[] = [];
  let sending = false;
  async function drain() {
    sending = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      const all = batch.flatMap((b) => b.notifications);
      await pool
        .query("select pg_notify(c, p) from unnest($1::text[], $2::text[]) as n(c, p)", [
          all.map((n) => n[0]),
          all.map((n) => n[1]),
        ])
        .catch(() => {});
      for (const b of batch) b.sent();
    }
    sending = false;
  }
  return (notifications) =>
    new Promise<void>((sent) => {
      queue.push({ notifications, sent });
      if (!sending) void drain();
    });
}

/**
 * Eskala's statements are short, index-driven reads and writes. A parallel plan pays for starting
 * its workers first (86 ms for a first page of text-searched tickets on the benchmark machine, 18 ms
 * without), so connections plan without parallel workers unless the URL sets `options` itself.
 * Nor do they compile plans to machine code (JIT): a report over a year of 1,000,000 tickets spent
 * 1.7 s compiling for a query that then ran in less, and no statement here runs long enough to win it back.
 */
const SESSION_OPTIONS = "-c max_parallel_workers_per_gather=0 -c jit=off";

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const options = /[?&]options=/.test(url) ? undefined : SESSION_OPTIONS;
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    Client: PreparingClient,
    ...(options ? { options } : {}),
  });
  const publish = createPublisher(pool);
  pool.on("connect", (client) => {
    (client as unknown as PreparingClient).publish = publish;
  });
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
  // Contrib extensions the migrations create: pg_trgm groups similar tickets (reports/recurring.ts).
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const inMemory = dataDir === ":memory:";
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(inMemory ? undefined : dataDir, {
    parsers: { [types.INT8]: (v: string) => Number(v) },
    extensions: { pg_trgm },
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
