import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../src/db/database.ts";

// The embedded database runs statements with parameters as named prepared statements: a text is
// parsed once and later runs only bind and execute it. Its answers and errors must not change.
describe.skipIf(!!process.env.DATABASE_URL)("embedded database statements", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: ":memory:" });
    await sql`create table items (id int8 primary key, name text not null unique, tags text[], data jsonb, at timestamptz)`.execute(
      database.db,
    );
    await sql`create table notes (id serial primary key, item_id int8 not null references items(id), body text)`.execute(
      database.db,
    );
  });
  afterAll(async () => {
    await database.close();
  });

  it("returns each run's own values when the same statement runs again and again", async () => {
    const db = database.db;
    for (let i = 1; i <= 8; i++) {
      const inserted = await db
        .insertInto("items" as never)
        .values({ id: i, name: `item ${i}`, tags: [`t${i}`, "shared"] } as never)
        .returning(["id", "name"] as never)
        .executeTakeFirstOrThrow();
      expect(inserted).toEqual({ id: i, name: `item ${i}` });
    }
    for (let i = 1; i <= 8; i++) {
      const { rows } = await sql<{
        id: number;
        name: string;
        tags: string[];
      }>`select id, name, tags from items where id = ${i}`.execute(db);
      expect(rows).toEqual([{ id: i, name: `item ${i}`, tags: [`t${i}`, "shared"] }]);
    }
    const updated = await sql`update items set name = name || ${"!"} where id <= ${3}`.execute(db);
    expect(updated.numAffectedRows).toBe(3n);
    const none = await sql`select id from items where id = ${999}`.execute(db);
    expect(none.rows).toEqual([]);
  });

  it("round-trips null, dates, json, arrays and int8 parameters", async () => {
    const db = database.db;
    const at = new Date("2024-05-06T07:08:09.123Z");
    const data = { nested: { list: [1, "two", null] }, flag: true };
    const big = 2 ** 40 + 7;
    for (let run = 0; run < 7; run++) {
      const { rows } = await sql<Record<string, unknown>>`
        select ${null}::text as nothing, ${at}::timestamptz as at, ${JSON.stringify(data)}::jsonb as data,
               ${["a", "b c", 'd"e']}::text[] as list, ${[3, 4]}::int4[] as numbers, ${big}::int8 as big,
               ${run}::int4 as run, ${true}::bool as yes`.execute(db);
      expect(rows).toEqual([
        { nothing: null, at, data, list: ["a", "b c", 'd"e'], numbers: [3, 4], big, run, yes: true },
      ]);
    }
    await sql`update items set data = ${JSON.stringify(data)}, at = ${at}, tags = ${null} where id = ${1}`.execute(db);
    const { rows } = await sql<{
      data: unknown;
      at: Date;
      tags: unknown;
    }>`select data, at, tags from items where id = ${1}`.execute(db);
    expect(rows).toEqual([{ data, at, tags: null }]);
    const count = await sql<{ n: number }>`select count(*) as n from items where id > ${0}`.execute(db);
    expect(count.rows).toEqual([{ n: 8 }]);
  });

  it("throws PostgreSQL's error code, and the next statement works", async () => {
    const db = database.db;
    const insert = (id: number, name: string) => sql`insert into items (id, name) values (${id}, ${name})`.execute(db);
    for (let run = 0; run < 6; run++) {
      const error = await insert(100 + run, "item 5").catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "23505", constraint: "items_name_key" });
      expect((error as Error).message).toMatch(/duplicate key value violates unique constraint "items_name_key"/);
      const { rows } = await sql`select name from items where id = ${5}`.execute(db);
      expect(rows).toEqual([{ name: "item 5" }]);
    }
    const missing = await sql`insert into notes (item_id, body) values (${12345}, ${"orphan"})`
      .execute(db)
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: "23503" });
    const bad = await sql`select nope from items where id = ${1}`.execute(db).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: "42703" });
    await insert(200, "fresh");
    expect((await sql`select id from items where name = ${"fresh"}`.execute(db)).rows).toEqual([{ id: 200 }]);
  });

  it("rolls back a transaction whose statement failed, leaving nothing of it", async () => {
    const db = database.db;
    const error = await db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into items (id, name) values (${300}, ${"in tx"})`.execute(trx);
        await sql`insert into notes (item_id, body) values (${300}, ${"note"})`.execute(trx);
        await sql`insert into items (id, name) values (${301}, ${"item 3!"})`.execute(trx);
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "23505" });
    const { rows } = await sql`select id from items where id in (${300}, ${301})`.execute(db);
    expect(rows).toEqual([]);
    expect((await sql`select count(*) as n from notes where item_id = ${300}`.execute(db)).rows).toEqual([{ n: 0 }]);

    // Inside the transaction, PostgreSQL refuses further statements until it ends.
    const aborted = await db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into items (id, name) values (${302}, ${"item 4"})`.execute(trx).catch(() => {});
        await sql`select id from items where id = ${1}`.execute(trx);
      })
      .catch((e: unknown) => e);
    expect(aborted).toMatchObject({ code: "25P02" });
    expect((await sql`select id from items where id = ${302}`.execute(db)).rows).toEqual([]);
  });

  it("keeps working when a table's columns change under a prepared statement", async () => {
    const db = database.db;
    await sql`create table shapes (id int4 primary key, a text)`.execute(db);
    await sql`insert into shapes values (1, 'x')`.execute(db);
    const read = () => sql`select * from shapes where id = ${1}`.execute(db);
    for (let run = 0; run < 6; run++) expect((await read()).rows).toEqual([{ id: 1, a: "x" }]);
    await sql`alter table shapes add column b text default 'y'`.execute(db);
    expect((await read()).rows).toEqual([{ id: 1, a: "x", b: "y" }]);
    expect((await read()).rows).toEqual([{ id: 1, a: "x", b: "y" }]);
  });
});
