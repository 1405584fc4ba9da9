import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { testConfig } from "../src/config.ts";
import { compose, type Composition } from "../src/compose.ts";
import { openDatabase, type Database } from "../src/db/database.ts";
import { seedDemo } from "../src/seed/demo.ts";
import { hasDemoCustomers, startDemoLive } from "../src/seed/demo-live.ts";

// `eskala seed --live` / `serve --live`: the demo's customers keep writing, through the services.
let app: Composition;
let database: Database;
beforeAll(async () => {
  database = await openDatabase({ dataDir: ":memory:" });
  app = await compose(testConfig({ ESKALA_DEMO: true }), { database });
  await seedDemo(app, { tickets: 12 });
}, 300_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const counts = async () => {
  const { rows } = await sql<{ tickets: number; customer_messages: number }>`
    select (select count(*)::int from tickets) as tickets,
      (select count(*)::int from messages m join users u on u.id = m.author_id where u.role = 'customer') as customer_messages`.execute(
    app.database.db,
  );
  return rows[0]!;
};

describe("the live demo", () => {
  it("keeps demo customers opening tickets and replying at the rate it is given", async () => {
    const before = await counts();
    const seen: string[] = [];
    const live = startDemoLive(app, { minMs: 20, maxMs: 60, onActivity: (what, n) => seen.push(`${what} #${n}`) });
    const until = Date.now() + 60_000;
    while (seen.length < 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    await live.stop();
    expect(seen.length).toBeGreaterThanOrEqual(4);
    const after = await counts();
    // Each action is a new ticket or a customer's reply: both are counted.
    expect(after.tickets + after.customer_messages - before.tickets - before.customer_messages).toBe(seen.length);
    // A new ticket went through the real path: it has its SLA clocks.
    const { rows: fresh } = await sql<{ ledger: unknown }>`
      select s.ledger from tickets t left join ticket_sla s on s.ticket_id = t.id order by t.number desc limit 1`.execute(
      app.database.db,
    );
    expect(fresh[0]!.ledger).not.toBeNull();
  });

  it("writes nothing into a help desk without the demo's customers", async () => {
    const other = await openDatabase({ dataDir: ":memory:" });
    const empty = await compose(testConfig({}), { database: other });
    expect(await hasDemoCustomers(empty)).toBe(false);
    expect(await startDemoLive(empty, { minMs: 1_000_000 }).step()).toBeNull();
    await empty.close();
    await other.close();
  });
});
