import { messages, parse, protocol, type PGlite, type Results } from "@electric-sql/pglite";
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";

/**
 * Presents one PGlite instance as the pool Kysely's PostgresDialect expects.
 * PGlite has a single connection, so a client is held exclusively from connect() to release():
 * a transaction's statements never interleave with another request's.
 */
export function createPGlitePool(pglite: PGlite): PostgresPool {
  let tail: Promise<void> = Promise.resolve();

  const client = (release: () => void): PostgresPoolClient =>
    ({
      async query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> {
        // Without parameters use the simple protocol, which also runs multi-statement scripts (migrations).
        const result =
          parameters.length === 0
            ? lastOf(await pglite.exec(sql))
            : await runPrepared<R>(pglite, sql, parameters as unknown[]);
        const command = sql.trimStart().slice(0, 6).toUpperCase() as PostgresQueryResult<R>["command"];
        return { command, rowCount: result.affectedRows ?? result.rows.length, rows: result.rows as R[] };
      },
      release,
    }) as unknown as PostgresPoolClient;

  return {
    connect() {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const acquired = tail.then(() => client(release));
      tail = tail.then(() => held);
      return acquired;
    },
    async end() {
      await tail;
    },
  };
}

function lastOf<T extends { rows: unknown[]; affectedRows?: number }>(
  results: T[],
): { rows: unknown[]; affectedRows?: number } {
  return results[results.length - 1] ?? { rows: [], affectedRows: 0 };
}

/**
 * Statements with parameters run as named prepared statements: the first run of a SQL text parses
 * it under a name and learns its parameter types; every later run only binds and executes it. So
 * PostgreSQL parses it once (and after five runs may keep a generic plan), where `pglite.query`
 * parses and plans the unnamed statement on every call. Kysely sends the same text for the same
 * query shape, so the set stays small; past MAX_PREPARED distinct texts (long `in (…)` lists, say)
 * statements go through `pglite.query` as before.
 *
 * Parameters are serialised, results parsed, errors raised and the file system synced as
 * `pglite.query` does it, with PGlite's public protocol API.
 */
const MAX_PREPARED = 2_000;

interface Prepared {
  name: string;
  paramTypes: number[];
}
interface Statements {
  byText: Map<string, Prepared>;
  count: number;
}
/** Prepared statements live in the PGlite session, so their names belong to the instance. */
const sessions = new WeakMap<PGlite, Statements>();

const { serialize } = protocol;
const DESCRIBE_PORTAL = serialize.describe({ type: "P" });
const EXECUTE = serialize.execute({});
const SYNC = serialize.sync();
/** A cached statement no longer fits (its result type changed) or no longer exists. */
const STALE = new Set(["0A000", "26000"]);

async function runPrepared<R>(pglite: PGlite, sql: string, params: unknown[]): Promise<Results<R>> {
  let statements = sessions.get(pglite);
  if (!statements) sessions.set(pglite, (statements = { byText: new Map(), count: 0 }));
  const { byText } = statements;
  // `pglite.query` also reports a closed instance the usual way.
  if (!pglite.ready || (byText.size >= MAX_PREPARED && !byText.has(sql))) {
    return pglite.query<R>(sql, params);
  }
  // Like pglite.query, hold PGlite's query lock: execProtocol itself takes none.
  return pglite.runExclusive(async () => {
    try {
      let prepared = byText.get(sql);
      if (!prepared) return await execute<R>(pglite, await prepare(pglite, statements, sql), params);
      try {
        return await execute<R>(pglite, prepared, params);
      } catch (e) {
        if (!STALE.has((e as { code?: string }).code ?? "")) throw e;
        byText.delete(sql);
        await pglite.execProtocol(concat([serialize.close({ type: "S", name: prepared.name }), SYNC]), {
          syncToFs: false,
          throwOnError: false,
        });
        // In a transaction block the error has aborted the transaction: a retry could only fail.
        if (pglite.isInTransaction()) throw e;
        prepared = await prepare(pglite, statements, sql);
        return await execute<R>(pglite, prepared, params);
      }
    } catch (e) {
      // The same error pglite.query throws (makePGliteError): PostgreSQL's, with the query attached.
      if (e instanceof messages.DatabaseError) Object.assign(e, { query: sql, params, queryOptions: undefined });
      throw e;
    }
  });
}

/** Parse and describe the text under a new name, in one round ending in Sync; caches it on success. */
async function prepare(pglite: PGlite, statements: Statements, text: string): Promise<Prepared> {
  const name = `e${++statements.count}`;
  const { messages: described } = await pglite.execProtocol(
    concat([serialize.parse({ name, text }), serialize.describe({ type: "S", name }), SYNC]),
    { syncToFs: false },
  );
  const prepared = { name, paramTypes: parse.parseDescribeStatementResults(described) };
  statements.byText.set(text, prepared);
  return prepared;
}

/** Bind, describe the portal, execute and sync in one round, then parse as pglite.query does. */
async function execute<R>(pglite: PGlite, prepared: Prepared, params: unknown[]): Promise<Results<R>> {
  const values = params.map((param, i) => {
    if (param === null || param === undefined) return null;
    const serializer = pglite.serializers[prepared.paramTypes[i]!];
    return serializer ? serializer(param) : (param as { toString(): string }).toString();
  });
  const bind = serialize.bind({ statement: prepared.name, values });
  const { messages: results } = await pglite.execProtocol(concat([bind, DESCRIBE_PORTAL, EXECUTE, SYNC]), {
    syncToFs: false,
  });
  // pglite.query syncs after each statement outside a transaction (COMMIT goes through exec, which syncs).
  if (!pglite.isInTransaction()) await pglite.syncToFs();
  return parse.parseResults(results, pglite.parsers)[0] as Results<R>;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const message = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.length;
  }
  return message;
}
