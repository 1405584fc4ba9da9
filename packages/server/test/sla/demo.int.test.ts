import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { sql } from "kysely";
import { testConfig } from "../../src/config.ts";
import { compose, type Composition } from "../../src/compose.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { createTimerWorker } from "../../src/engine/timers.ts";
import { seedDemo } from "../../src/seed/demo.ts";
import { manualClock } from "../harness.ts";

// The real demo: SLA configuration seeded at composition, then the demo contact center and its
// tickets; the deadlines of its day so far are replayed as history, the later ones fire once each.
const clock = manualClock(new Date("2026-03-04T03:00:00Z"));
let app: Composition;
let database: Database;
let drop = async () => {};

beforeAll(async () => {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `eskala_test_sla_demo_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    database = await openDatabase({ url: u.toString(), dataDir: "", poolSize: 5 });
    drop = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else database = await openDatabase({ dataDir: ":memory:" });
  app = await compose(testConfig({ ESKALA_DEMO: true, ...(url ? { DATABASE_URL: url } : {}) }), { database, clock });
  await seedDemo(app, { tickets: 60 });
}, 180_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
  await drop();
});

describe("the demo SLA configuration", () => {
  it("has the Jakarta calendar, a 24/7 calendar, and the VIP and Standar policies", async () => {
    const calendars = await app.database.db
      .selectFrom("calendars")
      .select(["name", "definition"])
      .orderBy("name")
      .execute();
    expect(calendars.map((c) => c.name)).toEqual(["24/7", "Jam Kerja Jakarta"]);
    expect(calendars[1]!.definition).toMatchObject({
      timezone: "Asia/Jakarta",
      holiday_sets: expect.arrayContaining(["id-national-2026", "id-cuti-bersama-2027"]),
    });
    const policies = await app.database.db
      .selectFrom("sla_policies")
      .select(["name", "position", "definition"])
      .orderBy("position")
      .execute();
    expect(policies.map((p) => p.name)).toEqual(["VIP", "Standar"]);
    expect(policies[0]!.definition).toMatchObject({
      conditions: { segments: ["vip"] },
      tier_budgets: { "1": 120, "2": 480, "3": 1440 },
      ladder: [0.5, 0.75],
      customer_request_response: 60,
    });
  });

  it("gives every open demo ticket its SLA ledger and nearest deadline, leaves nothing overdue at start, and fires later deadlines once each", async () => {
    const db = app.database.db;
    const open = await db
      .selectFrom("tickets")
      .select("id")
      .where("status", "in", ["new", "open", "pending", "on_hold"])
      .execute();
    expect(open.length).toBeGreaterThan(10);
    const { rows: withLedger } = await sql<{ n: number }>`
      select count(*)::int as n from ticket_sla where ticket_id = any(${open.map((o) => o.id)}::uuid[])`.execute(db);
    expect(withLedger[0]!.n).toBe(open.length);
    // Those not waiting on someone (pending or on hold pause the clocks) carry their nearest deadline.
    const running = await db
      .selectFrom("tickets")
      .select(["next_due_at"])
      .where("status", "in", ["new", "open"])
      .execute();
    expect(running.length).toBeGreaterThan(5);
    expect(running.every((r) => r.next_due_at !== null)).toBe(true);
    const overdue = await db
      .selectFrom("timers")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("fired_at", "is", null)
      .where("due_at", "<=", clock.now())
      .executeTakeFirstOrThrow();
    // The seed replayed the deadlines of the demo's day as history: nothing is overdue at start.
    expect(Number(overdue.n)).toBe(0);

    // Two hours on, the deadlines that fell due meanwhile fire, once each.
    clock.advance(2 * 60 * 60_000);
    const errors: unknown[] = [];
    const worker = createTimerWorker(
      { database: app.database, clock, handlers: app.timerHandlers },
      { onError: (_t, err) => errors.push(err) },
    );
    let rounds = 0;
    while ((await worker.fireDue()) > 0) if (++rounds > 200) throw new Error("the timers do not settle");
    expect(errors).toEqual([]);
    const left = await db
      .selectFrom("timers")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("fired_at", "is", null)
      .where("due_at", "<=", clock.now())
      .executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);

    // Each clock run breaches at most once.
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ticket_events where type in ('sla.breached', 'tier.budget_exceeded')
      group by ticket_id, type, data->>'target', data->>'started_at', data->>'tier' having count(*) > 1`.execute(db);
    expect(rows).toEqual([]);
    const breaches = await db
      .selectFrom("ticket_events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("type", "=", "sla.breached")
      .executeTakeFirstOrThrow();
    expect(Number(breaches.n)).toBeGreaterThan(0);
  });
});
