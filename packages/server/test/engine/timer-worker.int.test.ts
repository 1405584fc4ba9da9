import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTimerWorker, setTimers, type TimerHandler } from "../../src/engine/timers.ts";
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
});
