import type { PGlite } from "@electric-sql/pglite";
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
            : await pglite.query<R>(sql, parameters as unknown[]);
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
