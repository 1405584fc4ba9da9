import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTimerWorker } from "../../src/engine/timers.ts";
import { isoWeek, nextDigest } from "../../src/problems/digest-schedule.ts";
import { startSmtpSink } from "../outbox/helpers.ts";
import { killWorkers, startWorker, waitFor } from "../engine/worker-processes.ts";
import { dbKind, manualClock, startTestApp, type TestApp } from "../harness.ts";

// Monday 2 March 2026, 10:00 in Jakarta (UTC+7).
const clock = manualClock(new Date("2026-03-02T03:00:00Z"));
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ clock });
  await t.db
    .updateTable("users")
    .set({ language: "en", name: "Sari" })
    .where("id", "=", t.people.supervisor.id)
    .execute();
  await t.db
    .updateTable("users")
    .set({ language: "id", name: "Admin Utama" })
    .where("id", "=", t.people.admin.id)
    .execute();
});
afterAll(async () => t?.close());

const digestTimers = () =>
  t.db
    .selectFrom("timers")
    .select(["key", "due_at", "fired_at"])
    .where("kind", "=", "review_digest")
    .orderBy("due_at")
    .execute();
const digestMails = async () =>
  (
    await t.db
      .selectFrom("outbox")
      .select(["idempotency_key", "payload"])
      .where("idempotency_key", "like", "digest:%")
      .orderBy("id")
      .execute()
  ).map((r) => ({
    key: r.idempotency_key,
    ...(r.payload as { to: string; subject: string; text: string; language: string }),
  }));

describe("the digest's schedule", () => {
  it("is the weekday and hour in the zone, keyed by ISO week", () => {
    const s = { enabled: true, weekday: 1, hour: 8, time_zone: "Asia/Jakarta" };
    // Monday 10:00 WIB: this Monday's 08:00 has passed, so the next Monday.
    expect(nextDigest(s, new Date("2026-03-02T03:00:00Z"))).toEqual({
      at: new Date("2026-03-09T01:00:00Z"),
      key: "digest:2026-W11",
    });
    // Monday 07:59 WIB: this morning.
    expect(nextDigest(s, new Date("2026-03-02T00:59:00Z")).at).toEqual(new Date("2026-03-02T01:00:00Z"));
    // Sunday 23:00 WIB, the digest set for Sundays 23:00: due now, so next Sunday.
    expect(nextDigest({ ...s, weekday: 7, hour: 23 }, new Date("2026-03-01T16:00:00Z")).at).toEqual(
      new Date("2026-03-08T16:00:00Z"),
    );
    expect(isoWeek(Date.UTC(2026, 11, 31))).toBe("2026-W53");
    expect(isoWeek(Date.UTC(2027, 0, 4))).toBe("2027-W01");
  });

  it("an admin sets the day and hour; the next digest moves with it; others may not", async () => {
    const res = await t.inject("PATCH", "/api/v1/settings/review-digest", { body: { weekday: 3, hour: 9 } });
    expect(res.status).toBe(200);
    // Wednesday 4 March 09:00 WIB.
    expect(res.body).toEqual({
      enabled: true,
      weekday: 3,
      hour: 9,
      time_zone: "Asia/Jakarta",
      next_at: "2026-03-04T02:00:00.000Z",
    });
    expect((await digestTimers()).map((x) => x.key)).toEqual(["digest:2026-W10"]);
    const sup = await t.inject("PATCH", "/api/v1/settings/review-digest", {
      token: t.people.supervisor.token,
      body: { hour: 7 },
    });
    expect(sup.status).toBe(403);
    const bad = await t.inject("PATCH", "/api/v1/settings/review-digest", { body: { weekday: 8, hour: 24 } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string[] }) => e.path[0]).sort()).toEqual(["hour", "weekday"]);
    const zone = await t.inject("PATCH", "/api/v1/settings/review-digest", { body: { time_zone: "Mars/Olympus" } });
    expect(zone.status).toBe(422);
    expect(zone.body.errors[0].path).toEqual(["time_zone"]);
    expect(
      (await t.inject("GET", "/api/v1/settings/review-digest", { token: t.people.supervisor.token })).body.hour,
    ).toBe(9);
    expect((await t.inject("GET", "/api/v1/settings/review-digest", { token: t.people.agent1.token })).status).toBe(
      403,
    );
  });

  it("fires once: one email per supervisor and admin in their language, and arms next week's", async () => {
    await t.inject("POST", "/api/v1/problems", { body: { title: "Aplikasi gagal sinkron" } });
    const worker = createTimerWorker({ database: t.services.database, clock, handlers: t.services.timerHandlers });
    clock.set(new Date("2026-03-04T02:00:00Z"));
    await worker.fireDue();
    const mails = await digestMails();
    expect(mails.map((m) => m.to).sort()).toEqual([t.people.admin.email, t.people.supervisor.email].sort());
    const en = mails.find((m) => m.to === t.people.supervisor.email)!;
    const id = mails.find((m) => m.to === t.people.admin.email)!;
    expect(en.subject).toBe("Weekly escalation digest 25 February 2026 – 3 March 2026");
    expect(en.text).toContain("Hello Sari,");
    expect(en.text).toContain("Open problems:");
    expect(en.text).toContain("Aplikasi gagal sinkron (investigating), 0 open tickets");
    expect(id.subject).toBe("Ringkasan eskalasi mingguan 25 Februari 2026 – 3 Maret 2026");
    expect(id.text).toContain("Masalah yang masih terbuka:");
    expect(id.text).toContain("(sedang diselidiki)");
    expect(id.text).not.toMatch(/undefined|null|\{\{/);
    const timers = await digestTimers();
    expect(timers.map((x) => [x.key, x.fired_at !== null])).toEqual([
      ["digest:2026-W10", true],
      ["digest:2026-W11", false],
    ]);
    // Firing again, or setting the same week's time again after it went out, sends nothing.
    await worker.fireDue();
    await t.inject("PATCH", "/api/v1/settings/review-digest", { body: { weekday: 3, hour: 10 } });
    expect((await digestTimers()).map((x) => x.key)).toEqual(["digest:2026-W10", "digest:2026-W11"]);
    expect(await digestMails()).toHaveLength(2);
  });
});

describe.skipIf(dbKind() !== "postgres")("two worker processes", () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  afterEach(async () => {
    killWorkers();
    await sink?.close();
    delete process.env.SMTP_URL;
  });

  it("send the digest once, over SMTP", async () => {
    await t.db.deleteFrom("outbox").execute();
    // The armed digest comes due now (the workers run on the real clock).
    await t.db
      .updateTable("timers")
      .set({ due_at: new Date(Date.now() - 1000) })
      .where("kind", "=", "review_digest")
      .where("fired_at", "is", null)
      .execute();
    sink = await startSmtpSink();
    process.env.SMTP_URL = sink.url;
    startWorker(t.databaseUrl!);
    startWorker(t.databaseUrl!);
    const received = await waitFor(
      async () => sink.received,
      (r) => r.length >= 2,
      60_000,
    );
    await new Promise((r) => setTimeout(r, 3000));
    expect(received.map((m) => m.to[0]).sort()).toEqual([t.people.admin.email, t.people.supervisor.email].sort());
    const en = received.find((m) => m.to[0] === t.people.supervisor.email)!;
    expect(en.parsed.subject).toMatch(/^Weekly escalation digest /);
    expect(en.parsed.text).toContain("Open problems:");
    const fired = await t.db
      .selectFrom("timers")
      .select("key")
      .where("kind", "=", "review_digest")
      .where("fired_at", "is not", null)
      .execute();
    expect(fired).toHaveLength(2);
  }, 90_000);
});
