import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createTimerWorker, setTimers, type TimerHandler } from "../../src/engine/timers.ts";
import { enqueue } from "../../src/outbox/outbox.ts";
import { readTimeline } from "../../src/sla/sla.repo.ts";
import { appendEvents } from "../../src/tickets/ticket-events.ts";
import { manualClock, startTestApp, type TestApp } from "../harness.ts";

const clock = manualClock(new Date("2026-03-02T02:00:00Z"));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ clock, config: { ESKALA_WORKER: false } });
});
afterAll(async () => t?.close());

describe("the timer worker's batches", () => {
  it("fires the other timers of a batch when one handler fails, and retries the failed one later", async () => {
    const db = t.db;
    // Each ok handler leaves a row behind, so a rolled-back firing would show as a missing row.
    const ok: TimerHandler = async (trx, timer) => {
      await trx
        .insertInto("settings")
        .values({ key: `fired:${timer.key}`, value: "yes" })
        .execute();
    };
    const boom: TimerHandler = async (trx, timer) => {
      await trx
        .insertInto("settings")
        .values({ key: `half:${timer.key}`, value: "written before the error" })
        .execute();
      throw new Error("the handler broke");
    };
    const handlers = new Map([
      ["test.ok", ok],
      ["test.boom", boom],
    ]);
    const due = new Date(clock.now().getTime() - 1000);
    await db.transaction().execute((trx) =>
      setTimers(trx, [
        { ticketId: null, kind: "test.ok", key: "a", dueAt: due },
        { ticketId: null, kind: "test.boom", key: "b", dueAt: new Date(due.getTime() + 1) },
        { ticketId: null, kind: "test.ok", key: "c", dueAt: new Date(due.getTime() + 2) },
      ]),
    );
    const errors: string[] = [];
    const worker = createTimerWorker(
      { database: t.services.database, clock, handlers },
      { batchSize: 10, onError: (timer) => errors.push(timer.key) },
    );
    await worker.fireDue();

    const timers = await db
      .selectFrom("timers")
      .select(["key", "fired_at", "due_at", "data"])
      .where("key", "in", ["a", "b", "c"])
      .orderBy("key")
      .execute();
    expect(timers.map((x) => [x.key, x.fired_at !== null])).toEqual([
      ["a", true],
      ["b", false],
      ["c", true],
    ]);
    const failed = timers[1]!;
    expect(failed.due_at.getTime()).toBeGreaterThanOrEqual(clock.now().getTime() + 59_000);
    expect(failed.data).toMatchObject({ retries: 1, last_error: expect.stringContaining("the handler broke") });
    expect(errors).toEqual(["b"]);
    const rows = await db
      .selectFrom("settings")
      .select("key")
      .where(sql<boolean>`key like 'fired:%' or key like 'half:%'`)
      .orderBy("key")
      .execute();
    expect(rows.map((r) => r.key)).toEqual(["fired:a", "fired:c"]);

    // Nothing else is due: a second pass fires nothing and repeats no side effect.
    expect(await worker.fireDue()).toBe(0);
    clock.advance(61_000);
    await worker.fireDue();
    expect(errors).toEqual(["b", "b"]);
  });

  it("writes a batch's events and outbox rows once, at its end; a failing timer leaves none, and the batch sees its own events", async () => {
    const db = t.db;
    const [a, b, c] = [await t.createTicket(), await t.createTicket(), await t.createTicket()];
    const seen: Record<string, string[]> = {};
    // Each handler appends two events and one outbox row (the same key twice: one row), then reads
    // its ticket's timeline back, as the SLA ledger rebuild does.
    const write: TimerHandler = async (trx, timer, now) => {
      const id = timer.ticket_id!;
      const ids = await appendEvents(trx, null, [
        { ticketId: id, type: "ticket.updated", at: now, actorKind: "system", data: { test: timer.key } },
        { ticketId: id, type: "sla.warning", at: now, actorKind: "system", data: { test: timer.key } },
      ]);
      expect(ids[1]).toBeGreaterThan(ids[0]!);
      const item = {
        kind: "notification" as const,
        key: `test:${timer.key}`,
        ticketId: id,
        payload: { user_id: t.people.agent1.id, kind: "test", title: timer.key },
      };
      expect(await enqueue(trx, [item], now)).toBe(1);
      expect(await enqueue(trx, [item], now)).toBe(0);
      seen[timer.key] = (await readTimeline(trx, id)).filter((e) => e.data?.test === timer.key).map((e) => e.type);
      if (timer.kind === "test.boom") throw new Error("the handler broke after writing");
    };
    const handlers = new Map([
      ["test.write", write],
      ["test.boom", write],
    ]);
    const due = new Date(clock.now().getTime() - 1000);
    await db.transaction().execute((trx) =>
      setTimers(trx, [
        { ticketId: a.id, kind: "test.write", key: "wa", dueAt: due },
        { ticketId: b.id, kind: "test.boom", key: "wb", dueAt: new Date(due.getTime() + 1) },
        { ticketId: c.id, kind: "test.write", key: "wc", dueAt: new Date(due.getTime() + 2) },
      ]),
    );
    const worker = createTimerWorker({ database: t.services.database, clock, handlers }, { batchSize: 10 });
    await worker.fireDue();

    const pair = ["ticket.updated", "sla.warning"];
    expect(seen).toEqual({ wa: pair, wb: pair, wc: pair });
    const events = await db
      .selectFrom("ticket_events")
      .select(["id", "ticket_id", "type"])
      .where(sql<boolean>`data ? 'test'`)
      .orderBy("id")
      .execute();
    expect(events.map((e) => [e.ticket_id, e.type])).toEqual([
      [a.id, "ticket.updated"],
      [a.id, "sla.warning"],
      [c.id, "ticket.updated"],
      [c.id, "sla.warning"],
    ]);
    const outbox = await db
      .selectFrom("outbox")
      .select("idempotency_key")
      .where("idempotency_key", "like", "test:w%")
      .orderBy("idempotency_key")
      .execute();
    expect(outbox.map((r) => r.idempotency_key)).toEqual(["test:wa", "test:wc"]);
    const timers = await db
      .selectFrom("timers")
      .select(["key", "fired_at"])
      .where("key", "in", ["wa", "wb", "wc"])
      .orderBy("key")
      .execute();
    expect(timers.map((x) => [x.key, x.fired_at !== null])).toEqual([
      ["wa", true],
      ["wb", false],
      ["wc", true],
    ]);
  });
});

describe("catching up", () => {
  it("says it is behind while its batches come back full, and not once it has caught up", async () => {
    const seen: boolean[] = [];
    let fired = 0;
    // behind() as each timer fires: the first batch cannot know yet; the ones after a full batch are behind.
    const record: TimerHandler = async () => {
      seen.push(worker.behind());
      fired++;
    };
    const worker = createTimerWorker(
      { database: t.services.database, clock, handlers: new Map([["test.behind", record]]) },
      { batchSize: 2 },
    );
    const longAgo = new Date("2020-01-01T00:00:00Z"); // before any other due timer, so these come first
    await t.db.transaction().execute((trx) =>
      setTimers(
        trx,
        [0, 1, 2, 3, 4].map((i) => ({
          ticketId: null,
          kind: "test.behind",
          key: `behind-${i}`,
          dueAt: new Date(longAgo.getTime() + i),
        })),
      ),
    );
    expect(worker.behind()).toBe(false);
    await worker.start();
    try {
      const deadline = Date.now() + 10_000;
      while ((fired < 5 || worker.behind()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(seen).toEqual([false, false, true, true, true]);
      expect(worker.behind()).toBe(false);
    } finally {
      await worker.stop();
    }
  });
});

describe("the relay of a process whose timers are behind", () => {
  it("delivers one batch and waits until the timers have caught up, then the rest", async () => {
    const app = await startTestApp({ clock, config: { ESKALA_WORKERS: ["timers", "outbox"] } });
    try {
      await app.services.startWorkers();
      // The worker's own flag, wired for the relay; then held up, as a burst would hold it.
      expect(app.services.timersBehind?.()).toBe(false);
      let behind = true;
      app.services.timersBehind = () => behind;
      await app.db.transaction().execute((trx) =>
        enqueue(
          trx,
          Array.from({ length: 120 }, (_, i) => ({
            kind: "notification" as const,
            key: `give-way-${i}`,
            payload: { user_id: app.people.agent1.id, kind: "test", title: `notice ${i}` },
          })),
          clock.now(),
        ),
      );
      const delivered = async () =>
        (
          await app.db
            .selectFrom("outbox")
            .select("id")
            .where("idempotency_key", "like", "give-way-%")
            .where("status", "=", "delivered")
            .execute()
        ).length;
      const until = async (done: (n: number) => boolean) => {
        const deadline = Date.now() + 10_000;
        while (!done(await delivered()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      };
      await until((n) => n > 0);
      await new Promise((r) => setTimeout(r, 400));
      expect(await delivered()).toBe(50); // the relay's one batch

      behind = false;
      await until((n) => n === 120);
      expect(await delivered()).toBe(120);
    } finally {
      await app.close();
    }
  });
});

describe("ESKALA_WORKERS", () => {
  it("runs only the named workers in a process: a relay-only process delivers but fires no deadline", async () => {
    const outboxOnly = await startTestApp({ clock, config: { ESKALA_WORKERS: ["outbox"] } });
    try {
      const db = outboxOnly.db;
      const due = new Date(clock.now().getTime() - 1000);
      await db
        .transaction()
        .execute((trx) => setTimers(trx, [{ ticketId: null, kind: "test.none", key: "only-outbox", dueAt: due }]));
      await db.transaction().execute((trx) =>
        enqueue(
          trx,
          [
            {
              kind: "notification",
              key: "only-outbox",
              payload: { user_id: outboxOnly.people.agent1.id, kind: "test", title: "hello" },
            },
          ],
          clock.now(),
        ),
      );
      await outboxOnly.services.startWorkers();
      const deadline = Date.now() + 10_000;
      let delivered = false;
      while (!delivered && Date.now() < deadline) {
        const row = await db
          .selectFrom("outbox")
          .select("status")
          .where("idempotency_key", "=", "only-outbox")
          .executeTakeFirstOrThrow();
        delivered = row.status === "delivered";
        if (!delivered) await new Promise((r) => setTimeout(r, 50));
      }
      expect(delivered).toBe(true);
      const timer = await db
        .selectFrom("timers")
        .select("fired_at")
        .where("key", "=", "only-outbox")
        .executeTakeFirstOrThrow();
      expect(timer.fired_at).toBeNull();
    } finally {
      await outboxOnly.close();
    }
  });

  it("refuses a timer batch size that is not a whole number from 1 to 1000", () => {
    for (const bad of ["0", "1001", "2.5", "many"])
      expect(() => loadConfig({ ESKALA_TIMER_BATCH: bad })).toThrow(/ESKALA_TIMER_BATCH/);
    expect(loadConfig({}).ESKALA_TIMER_BATCH).toBe(100);
  });

  it("refuses an unknown worker name with a readable error", () => {
    expect(() => loadConfig({ ESKALA_WORKERS: "timers,relay" })).toThrow(/ESKALA_WORKERS/);
    expect(loadConfig({ ESKALA_WORKERS: "timers, outbox" }).ESKALA_WORKERS).toEqual(["timers", "outbox"]);
  });
});
