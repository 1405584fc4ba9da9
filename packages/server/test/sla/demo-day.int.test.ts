import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { sql } from "kysely";
import { testConfig } from "../../src/config.ts";
import { compose, type Composition } from "../../src/compose.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { BREACHING_SOON_MINUTES } from "../../src/engine/queues.ts";
import { createTimerWorker } from "../../src/engine/timers.ts";
import { seedDemo } from "../../src/seed/demo.ts";
import { slaOf } from "../../src/sla/compose-sla.ts";
import { SLA_TIMER_KINDS } from "../../src/sla/plan.ts";
import { manualClock } from "../harness.ts";

/**
 * The demo is a working day in progress, not a crisis: seeded at a fixed `now` (a Wednesday,
 * 10:00 in Jakarta, office open) and again at a Sunday night (office closed), its open tickets are
 * mostly on track, a few in warning, a handful breached; the first minute fires almost nothing; no
 * agent is over capacity; and deadlines fall due within the next ten minutes.
 */
async function openDb(tag: string): Promise<{ database: Database; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) return { database: await openDatabase({ dataDir: ":memory:" }), drop: async () => {} };
  const name = `eskala_test_demo_${tag}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    database: await openDatabase({ url: u.toString(), dataDir: "", poolSize: 5 }),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

const OPEN = ["new", "open", "pending", "on_hold"] as const;

for (const [label, at] of [
  ["on a weekday morning (office open)", "2026-03-04T03:00:00Z"],
  ["on a Sunday night (office closed)", "2026-03-08T14:00:00Z"],
] as const) {
  describe(`the demo seeded ${label}`, () => {
    const now = new Date(at);
    const clock = manualClock(now);
    let app: Composition;
    let database: Database;
    let drop = async () => {};
    let seedNotifications = 0;

    beforeAll(async () => {
      ({ database, drop } = await openDb(at.slice(0, 10).replaceAll("-", "")));
      const url = process.env.DATABASE_URL;
      app = await compose(testConfig({ ESKALA_DEMO: true, ...(url ? { DATABASE_URL: url } : {}) }), {
        database,
        clock,
      });
      await seedDemo(app, { tickets: 120 });
      const unread = await app.database.db
        .selectFrom("notifications")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("read_at", "is", null)
        .groupBy("user_id")
        .execute();
      seedNotifications = Math.max(0, ...unread.map((u) => Number(u.n)));
    }, 300_000);
    afterAll(async () => {
      await app?.close();
      await database?.close();
      await drop();
    });

    it("has its open tickets mostly on track, a few in warning and a handful breached", async () => {
      const db = app.database.db;
      const open = await db.selectFrom("tickets").select("id").where("status", "in", OPEN).execute();
      expect(open.length).toBeGreaterThanOrEqual(25);
      const stages = { on_track: 0, warning: 0, breached: 0 };
      for (const t of open) {
        const plan = await slaOf(app).engine.currentPlan(db, t.id, now);
        const states = plan?.clocks.map((c) => c.state) ?? [];
        if (states.includes("breached")) stages.breached++;
        else if (states.includes("warning")) stages.warning++;
        else stages.on_track++;
      }
      expect(stages.on_track / open.length, JSON.stringify(stages)).toBeGreaterThanOrEqual(0.55);
      expect(stages.warning, JSON.stringify(stages)).toBeGreaterThanOrEqual(2);
      expect(stages.warning / open.length, JSON.stringify(stages)).toBeLessThanOrEqual(0.35);
      expect(stages.breached, JSON.stringify(stages)).toBeGreaterThanOrEqual(1);
      expect(stages.breached, JSON.stringify(stages)).toBeLessThanOrEqual(8);
    });

    it("recorded the breaches as history (escalated before now), leaving nobody more than 10 unread notifications", async () => {
      const db = app.database.db;
      const before = await db
        .selectFrom("escalations")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("created_at", "<=", now)
        .executeTakeFirstOrThrow();
      expect(Number(before.n)).toBeGreaterThan(0);
      // Nothing of the past is left due at the first start.
      const due = await db
        .selectFrom("timers")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("fired_at", "is", null)
        .where("due_at", "<=", now)
        .executeTakeFirstOrThrow();
      expect(Number(due.n)).toBe(0);
      expect(seedNotifications).toBeLessThanOrEqual(10);
    });

    it("fires at most a few escalations and notifications in the first minute, with deadlines due within ten minutes", async () => {
      const db = app.database.db;
      const soon = await db
        .selectFrom("timers")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("fired_at", "is", null)
        .where("kind", "in", [...SLA_TIMER_KINDS])
        .where("due_at", ">", now)
        .where("due_at", "<=", new Date(now.getTime() + 10 * 60_000))
        .executeTakeFirstOrThrow();
      expect(Number(soon.n)).toBeGreaterThan(0);

      const outboxBefore = await db
        .selectFrom("outbox")
        .select((eb) => eb.fn.max("id").as("id"))
        .executeTakeFirstOrThrow();
      clock.set(new Date(now.getTime() + 60_000));
      const worker = createTimerWorker({
        database: app.database,
        clock,
        handlers: app.timerHandlers,
        ...(app.timerLocker ? { lockTickets: app.timerLocker } : {}),
      });
      while ((await worker.fireDue()) > 0);
      const escalations = await db
        .selectFrom("escalations")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("created_at", ">", now)
        .executeTakeFirstOrThrow();
      expect(Number(escalations.n), `escalations: ${escalations.n}`).toBeLessThanOrEqual(10);
      const notices = await db
        .selectFrom("outbox")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("kind", "=", "notification")
        .where("id", ">", Number(outboxBefore.id ?? 0) as never)
        .executeTakeFirstOrThrow();
      expect(Number(notices.n), `notifications: ${notices.n}`).toBeLessThanOrEqual(10);
      clock.set(now);
    });

    it("shows a handful under Breaching soon, and its escalations came hours after the tickets, not at creation", async () => {
      const db = app.database.db;
      const open = await db.selectFrom("tickets").select("next_due_at").where("status", "in", OPEN).execute();
      const soon = open.filter(
        (t) => t.next_due_at && t.next_due_at.getTime() <= now.getTime() + BREACHING_SOON_MINUTES * 60_000,
      );
      expect(soon.length).toBeGreaterThan(0);
      expect(soon.length / open.length, `${soon.length} of ${open.length}`).toBeLessThanOrEqual(0.2);
      // Each escalated ticket's first move, minutes after the ticket came in (the review's time to first escalation).
      const { rows } = await sql<{ minutes: number }>`
        select extract(epoch from min(e.created_at) - t.created_at)::float8 / 60 as minutes
        from escalations e join tickets t on t.id = e.ticket_id group by t.id, t.created_at order by 1`.execute(db);
      expect(rows.length).toBeGreaterThan(5);
      const median = rows[Math.floor(rows.length / 2)]!.minutes;
      expect(median, JSON.stringify(rows.map((r) => Math.round(r.minutes)))).toBeGreaterThanOrEqual(60);
      expect(rows.filter((r) => r.minutes < 1).length, "moved at creation").toBeLessThanOrEqual(rows.length / 10);
    });

    it("has no agent over capacity", async () => {
      const { rows } = await sql<{ email: string; load: number; capacity: number }>`
        select u.email, p.capacity,
          (select count(*)::int from tickets t where t.assignee_id = u.id and t.status in ('new','open','pending','on_hold')) as load
        from users u join agent_profiles p on p.user_id = u.id`.execute(app.database.db);
      expect(rows.filter((r) => r.load > r.capacity)).toEqual([]);
    });
  });
}
