import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/db/database.ts";
import { dbKind, freshDatabase } from "./harness.ts";

// NOTIFY is held to the commit on PostgreSQL (the client sends it after the commit, batched) and
// delivered on commit by PGlite itself: either way a listener sees exactly the committed ones.
describe(`notifications and named statements (${dbKind()})`, () => {
  let database: Database;
  let drop: () => Promise<void>;
  const seen: string[] = [];
  beforeAll(async () => {
    ({ database, drop } = await freshDatabase());
    await database.listen("eskala_test", (p) => seen.push(p));
  });
  afterAll(async () => {
    await database.close();
    await drop();
  });

  const notify = (db: Parameters<ReturnType<typeof sql>["execute"]>[0], payload: string) =>
    sql`select pg_notify(${"eskala_test"}, ${payload})`.execute(db);
  /** Sends a marker and waits for it: everything committed before it has arrived by then. */
  async function settle(marker: string) {
    await notify(database.db, marker);
    for (let i = 0; i < 200 && !seen.includes(marker); i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toContain(marker);
  }

  it("delivers a committed transaction's notifications, without those rolled back to a savepoint", async () => {
    seen.length = 0;
    await database.db.transaction().execute(async (trx) => {
      await notify(trx, "a");
      await sql`savepoint sp`.execute(trx);
      await notify(trx, "b");
      await sql`rollback to savepoint sp`.execute(trx);
      await notify(trx, "c");
      await sql`savepoint sp2`.execute(trx);
      await notify(trx, "d");
      await sql`release savepoint sp2`.execute(trx);
    });
    await settle("m1");
    expect(seen).toEqual(["a", "c", "d", "m1"]);
  });

  it("delivers nothing for a transaction that rolled back", async () => {
    seen.length = 0;
    await expect(
      database.db.transaction().execute(async (trx) => {
        await notify(trx, "lost");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await settle("m2");
    expect(seen).toEqual(["m2"]);
  });

  it("delivers notifications of many concurrent transactions, each once", async () => {
    seen.length = 0;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => database.db.transaction().execute((trx) => notify(trx, `n${i}`))),
    );
    await settle("m3");
    expect(seen.filter((p) => p.startsWith("n")).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `n${i}`).sort());
  });

  it("answers a repeated statement with each run's own parameters", async () => {
    for (let i = 0; i < 12; i++) {
      const { rows } = await sql<{ v: number }>`select ${i}::int * 2 as v`.execute(database.db);
      expect(rows[0]!.v).toBe(i * 2);
    }
  });

  it.runIf(dbKind() === "postgres")(
    "plans without parallel workers (their start costs more than Eskala's short reads)",
    async () => {
      const { rows } = await sql<{ v: string }>`select current_setting('max_parallel_workers_per_gather') as v`.execute(
        database.db,
      );
      expect(rows[0]!.v).toBe("0");
    },
  );
});
