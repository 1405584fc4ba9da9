import { createHmac } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeTransports } from "../../src/channels/mail/transport.ts";
import { createNotifyRelay } from "../../src/notify/compose-notify.ts";
import { enqueueNotification, enqueueWebhookEvent } from "../../src/notify/fan-out.ts";
import { enqueue } from "../../src/outbox/outbox.ts";
import { notificationHandler } from "../../src/outbox/deliver-notification.ts";
import { createOutboxRelay, type OutboxRelay } from "../../src/outbox/relay.ts";
import { manualClock, startTestApp, type TestApp } from "../harness.ts";
import { startReceiver, startSmtpSink } from "./helpers.ts";

const clock = manualClock(new Date("2026-03-02T03:00:00Z"));
let t: TestApp;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let relay: OutboxRelay;

beforeAll(async () => {
  sink = await startSmtpSink();
  // /flaky answers 500 three times, then 200; /down always 500.
  receiver = await startReceiver((path, n) => (path === "/down" ? 500 : path === "/flaky" && n <= 3 ? 500 : 200));
  // The receiver listens on loopback: the admin allow-list names it (webhooks are refused private addresses).
  t = await startTestApp({ clock, config: { SMTP_URL: sink.url, ESKALA_WEBHOOK_ALLOW: "127.0.0.1" } });
  // random 0.5 puts the jitter at exactly ×1, so the schedule is checkable to the millisecond.
  relay = createNotifyRelay(t.services, { random: () => 0.5 });
});
afterAll(async () => {
  closeTransports();
  await t?.close();
  await receiver?.close();
  await sink?.close();
});
beforeEach(async () => {
  // Each test sees only its own rows and webhooks.
  await t.db.deleteFrom("webhook_deliveries").execute();
  await t.db.deleteFrom("outbox").execute();
  await t.db.deleteFrom("webhooks").execute();
});

const outboxRow = (key: string) =>
  t.db.selectFrom("outbox").selectAll().where("idempotency_key", "=", key).executeTakeFirstOrThrow();

async function createWebhook(path: string, events: string[] = []) {
  const res = await t.inject("POST", "/api/v1/webhooks", {
    body: { name: `hook ${path}`, url: `${receiver.base}${path}`, events },
  });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; secret: string };
}

describe("email", () => {
  it("delivers an email row to a real SMTP server with the idempotency key as a header", async () => {
    const key = "email:test:received:1";
    await enqueue(
      t.db,
      [
        {
          kind: "email",
          key,
          payload: {
            to: "rani@example.com",
            subject: "Tiket #12 diterima",
            text: "Halo Rani,\nTiket Anda sudah kami terima.",
            language: "id",
          },
        },
      ],
      clock.now(),
    );
    expect(await relay.runOnce()).toBe(1);

    expect(sink.received).toHaveLength(1);
    const mail = sink.received[0]!;
    expect(mail.to).toEqual(["rani@example.com"]);
    expect(mail.parsed.subject).toBe("Tiket #12 diterima");
    expect(mail.parsed.text?.trim()).toBe("Halo Rani,\nTiket Anda sudah kami terima.");
    expect(mail.parsed.headers.get("x-eskala-idempotency-key")).toBe(key);
    expect(await outboxRow(key)).toMatchObject({ status: "delivered", attempts: 1, last_error: null });
    expect(await relay.runOnce()).toBe(0);
    expect(sink.received).toHaveLength(1);
  });

  it("retries a temporary SMTP refusal on the backoff schedule and gives up after 10 attempts", async () => {
    const key = "email:test:later";
    await enqueue(
      t.db,
      [{ kind: "email", key, payload: { to: "later@example.com", subject: "s", text: "t" } }],
      clock.now(),
    );
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 10; attempt++) {
      const before = clock.now().getTime();
      expect(await relay.runOnce()).toBe(1);
      const row = await outboxRow(key);
      expect(row.attempts).toBe(attempt);
      expect(row.last_error).toMatch(/451|later/i);
      if (attempt < 10) {
        expect(row.status).toBe("pending");
        delays.push(row.next_attempt_at.getTime() - before);
        expect(await relay.runOnce()).toBe(0); // not due yet
        clock.set(row.next_attempt_at);
      } else expect(row.status).toBe("dead");
    }
    expect(delays.map((ms) => ms / 1000)).toEqual([5, 10, 20, 40, 80, 160, 320, 640, 1280]);
    clock.advance(86_400_000);
    expect(await relay.runOnce()).toBe(0);
  });

  it("gives up at once on a permanent (5xx) refusal", async () => {
    const key = "email:test:bounce";
    await enqueue(
      t.db,
      [{ kind: "email", key, payload: { to: "bounce@example.com", subject: "s", text: "t" } }],
      clock.now(),
    );
    await relay.runOnce();
    expect(await outboxRow(key)).toMatchObject({ status: "dead", attempts: 1 });
  });
});

describe("webhooks", () => {
  it("POSTs the event signed with the webhook's secret, only to subscribed enabled webhooks", async () => {
    const all = await createWebhook("/all", []);
    const escalations = await createWebhook("/escalations", ["ticket.escalated"]);
    await createWebhook("/breaches", ["sla.breached"]);
    const off = await createWebhook("/off", []);
    await t.inject("PATCH", `/api/v1/webhooks/${off.id}`, { body: { enabled: false } });

    const written = await enqueueWebhookEvent(
      t.db,
      "ticket.escalated",
      { ticket: { id: "t-1", tier: 2 } },
      { key: "ev-41", now: clock.now() },
    );
    expect(written).toBe(2);
    expect(await relay.runOnce()).toBe(2);
    expect(receiver.to("/breaches")).toHaveLength(0);
    expect(receiver.to("/off")).toHaveLength(0);

    for (const [hook, path] of [
      [all, "/all"],
      [escalations, "/escalations"],
    ] as const) {
      const [req] = receiver.to(path);
      expect(req, path).toBeDefined();
      expect(req!.headers["content-type"]).toBe("application/json");
      expect(req!.headers["x-eskala-event"]).toBe("ticket.escalated");
      expect(req!.headers["x-eskala-delivery"]).toBe(`webhook:${hook.id}:ticket.escalated:ev-41`);
      // The receiver's check, written out: HMAC-SHA256 over "<t>.<raw body>" with the secret.
      const sig = String(req!.headers["x-eskala-signature"]);
      const [, ts, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig) ?? [];
      expect(Number(ts)).toBe(Math.floor(clock.now().getTime() / 1000));
      expect(v1).toBe(createHmac("sha256", hook.secret).update(`${ts}.${req!.body}`).digest("hex"));
      expect(v1).not.toBe(createHmac("sha256", "wrong-secret-0123456789").update(`${ts}.${req!.body}`).digest("hex"));
      expect(JSON.parse(req!.body)).toEqual({
        event: "ticket.escalated",
        occurred_at: clock.now().toISOString(),
        ticket: { id: "t-1", tier: 2 },
      });
    }
    const log = await t.inject("GET", `/api/v1/webhooks/${all.id}/deliveries`);
    expect(log.body.items).toEqual([
      expect.objectContaining({
        event: "ticket.escalated",
        attempt: 1,
        ok: true,
        status: "delivered",
        status_code: 200,
        delivery_status: "delivered",
      }),
    ]);
    // Enqueueing the same occurrence again is a no-op.
    await enqueueWebhookEvent(
      t.db,
      "ticket.escalated",
      { ticket: { id: "t-1", tier: 2 } },
      { key: "ev-41", now: clock.now() },
    );
    expect(await relay.runOnce()).toBe(0);
  });

  it("retries a receiver answering 500 with backoff, logs each attempt, then delivers", async () => {
    const hook = await createWebhook("/flaky", ["sla.breached"]);
    await enqueueWebhookEvent(t.db, "sla.breached", { target: "first_response" }, { key: "b-1", now: clock.now() });
    const key = `webhook:${hook.id}:sla.breached:b-1`;
    const waits: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const before = clock.now().getTime();
      expect(await relay.runOnce()).toBe(1);
      const row = await outboxRow(key);
      expect(row).toMatchObject({ status: "pending", attempts: i, last_error: "HTTP 500" });
      waits.push(row.next_attempt_at.getTime() - before);
      expect(await relay.runOnce()).toBe(0);
      clock.set(row.next_attempt_at);
    }
    expect(waits).toEqual([5_000, 10_000, 20_000]);
    expect(await relay.runOnce()).toBe(1);
    expect(await outboxRow(key)).toMatchObject({ status: "delivered", attempts: 4 });

    const requests = receiver.to("/flaky");
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((r) => r.headers["x-eskala-delivery"]))).toEqual(new Set([key]));
    const log = (await t.inject("GET", `/api/v1/webhooks/${hook.id}/deliveries`)).body.items;
    expect(log.map((d: any) => [d.attempt, d.ok, d.status_code])).toEqual([
      [4, true, 200],
      [3, false, 500],
      [2, false, 500],
      [1, false, 500],
    ]);
    expect(log[1].error).toBe("HTTP 500");
    const after = await t.inject("GET", `/api/v1/webhooks/${hook.id}`);
    expect(after.body).toMatchObject({ enabled: true, consecutive_failures: 0 });
  });

  it("disables a webhook after 10 failed deliveries in a row and skips it until re-enabled", async () => {
    const hook = await createWebhook("/down", []);
    for (let i = 0; i < 10; i++)
      await enqueueWebhookEvent(t.db, "ticket.updated", { n: i }, { key: `u-${i}`, now: clock.now() });
    expect(await relay.runOnce()).toBe(10);
    expect(receiver.to("/down")).toHaveLength(10);
    const disabled = (await t.inject("GET", `/api/v1/webhooks/${hook.id}`)).body;
    expect(disabled).toMatchObject({ enabled: false, consecutive_failures: 10 });
    expect(disabled.disabled_reason).toMatch(/10 consecutive failed deliveries/);

    // No new rows for it, and its pending ones die without a request.
    expect(await enqueueWebhookEvent(t.db, "ticket.updated", {}, { key: "u-late", now: clock.now() })).toBe(0);
    clock.advance(3_600_000);
    expect(await relay.runOnce()).toBe(9);
    expect(receiver.to("/down")).toHaveLength(10);
    const rows = await t.db.selectFrom("outbox").select(["status", "last_error"]).execute();
    expect(rows.every((r) => r.status === "dead" && /disabled/.test(r.last_error ?? ""))).toBe(true);

    const enabled = await t.inject("PATCH", `/api/v1/webhooks/${hook.id}`, { body: { enabled: true } });
    expect(enabled.body).toMatchObject({ enabled: true, consecutive_failures: 0, disabled_reason: null });
    expect(await enqueueWebhookEvent(t.db, "ticket.updated", {}, { key: "u-again", now: clock.now() })).toBe(1);
  });

  it("a relay that claims rows and dies leaves them leased; they are delivered once more after the lease", async () => {
    const hook = await createWebhook("/crash", ["ticket.solved"]);
    await enqueueWebhookEvent(t.db, "ticket.solved", { ticket: { id: "t-9" } }, { key: "s-9", now: clock.now() });
    const key = `webhook:${hook.id}:ticket.solved:s-9`;

    const crashed = createNotifyRelay(t.services);
    const claimed = await crashed.claim();
    expect(claimed.map((r) => r.idempotency_key)).toEqual([key]);
    // ... and the process dies here, before delivering or recording.

    const survivor = createNotifyRelay(t.services, { random: () => 0.5 });
    expect(await survivor.runOnce()).toBe(0);
    clock.advance(59_000);
    expect(await survivor.runOnce()).toBe(0);
    expect(receiver.to("/crash")).toHaveLength(0);
    clock.advance(1_001);
    expect(await survivor.runOnce()).toBe(1);
    expect(await survivor.runOnce()).toBe(0);

    const requests = receiver.to("/crash");
    expect(requests).toHaveLength(1);
    expect(requests[0]!.headers["x-eskala-delivery"]).toBe(key);
    expect(await outboxRow(key)).toMatchObject({ status: "delivered", attempts: 2 });
  });

  it("three relays draining the same outbox deliver each row exactly once", async () => {
    const hook = await createWebhook("/many", ["ticket.updated"]);
    for (let i = 0; i < 60; i++)
      await enqueueWebhookEvent(t.db, "ticket.updated", { n: i }, { key: `m-${i}`, now: clock.now() });
    const relays = [1, 2, 3].map(() => createNotifyRelay(t.services, { batchSize: 7 }));
    const drain = async (r: OutboxRelay) => {
      while ((await r.runOnce()) > 0) {
        /* until nothing is due */
      }
    };
    await Promise.all(relays.map(drain));
    const keys = receiver.to("/many").map((r) => r.headers["x-eskala-delivery"]);
    expect(keys).toHaveLength(60);
    expect(new Set(keys).size).toBe(60);
    const rows = await t.db.selectFrom("outbox").select(["status", "attempts"]).execute();
    expect(rows.every((r) => r.status === "delivered" && r.attempts === 1)).toBe(true);
    expect(
      (await t.inject("GET", `/api/v1/webhooks/${hook.id}/deliveries`, { query: { limit: "500" } })).body.items,
    ).toHaveLength(60);
  });

  it("kills a row whose webhook was deleted, without a request", async () => {
    const hook = await createWebhook("/gone", []);
    await enqueueWebhookEvent(t.db, "csat.low", { rating: 1 }, { key: "c-1", now: clock.now() });
    expect((await t.inject("DELETE", `/api/v1/webhooks/${hook.id}`)).status).toBe(204);
    await relay.runOnce();
    expect(receiver.to("/gone")).toHaveLength(0);
    expect(await outboxRow(`webhook:${hook.id}:csat.low:c-1`)).toMatchObject({
      status: "dead",
      last_error: "the webhook was deleted",
    });
  });
});

describe("in-app notifications", () => {
  it("writes one notification per user exactly once, and each user lists only their own", async () => {
    const { agent1, agent2, customer } = t.people;
    const ticket = await t.createTicket();
    await t.db.deleteFrom("outbox").execute(); // what creating the ticket queued is not this test's
    const n = await enqueueNotification(t.db, {
      userIds: [agent1.id, agent1.id, agent2.id],
      kind: "sla.warning",
      title: `#${ticket.number} reaches 75% of its first response target`,
      body: "Reply within 15 minutes",
      ticketId: ticket.id,
      key: `sla.warning:${ticket.id}:75`,
      now: clock.now(),
    });
    expect(n).toBe(2);
    expect(await relay.runOnce()).toBe(2);
    expect(await relay.runOnce()).toBe(0);

    const mine = await t.inject("GET", "/api/v1/notifications", { token: agent1.token });
    expect(mine.status).toBe(200);
    expect(mine.body.unread).toBe(1);
    expect(mine.body.items).toEqual([
      {
        id: expect.any(String),
        kind: "sla.warning",
        title: `#${ticket.number} reaches 75% of its first response target`,
        body: "Reply within 15 minutes",
        params: {},
        ticket_id: ticket.id,
        read_at: null,
        created_at: clock.now().toISOString(),
      },
    ]);
    const theirs = await t.inject("GET", "/api/v1/notifications", { token: agent2.token });
    expect(theirs.body.items).toHaveLength(1);
    expect(theirs.body.items[0].id).not.toBe(mine.body.items[0].id);
    expect((await t.inject("GET", "/api/v1/notifications", { token: customer.token })).body).toEqual({
      items: [],
      unread: 0,
    });

    // Marking another's notification read does nothing; one's own works.
    const other = await t.inject("POST", "/api/v1/notifications/read", {
      token: agent1.token,
      body: { ids: [theirs.body.items[0].id] },
    });
    expect(other.body).toEqual({ updated: 0, unread: 1 });
    const own = await t.inject("POST", "/api/v1/notifications/read", { token: agent1.token, body: { all: true } });
    expect(own.body).toEqual({ updated: 1, unread: 0 });
    expect((await t.inject("GET", "/api/v1/notifications", { token: agent2.token })).body.unread).toBe(1);
    const unreadOnly = await t.inject("GET", "/api/v1/notifications", {
      token: agent1.token,
      query: { unread: "true" },
    });
    expect(unreadOnly.body.items).toEqual([]);
  });

  it("kills a notification row without a user or title, and writes the others of its batch", async () => {
    const { agent1 } = t.people;
    await enqueue(
      t.db,
      [
        { kind: "notification", key: "bad:no-title", payload: { user_id: agent1.id, kind: "info" } as never },
        { kind: "notification", key: "bad:no-user", payload: { kind: "info", title: "Tanpa pengguna" } as never },
        {
          kind: "notification",
          key: "bad:good",
          payload: { user_id: agent1.id, kind: "info", title: "Baris yang baik" },
        },
      ],
      clock.now(),
    );
    expect(await relay.runOnce()).toBe(3);
    for (const key of ["bad:no-title", "bad:no-user"])
      expect(await outboxRow(key)).toMatchObject({
        status: "dead",
        last_error: "notification payload without user_id/title",
      });
    expect(await outboxRow("bad:good")).toMatchObject({ status: "delivered" });
    const written = await t.db
      .selectFrom("notifications")
      .select("title")
      .where("user_id", "=", agent1.id)
      .where("kind", "=", "info")
      .execute();
    expect(written.map((n) => n.title)).toEqual(["Baris yang baik"]);
  });

  it("refuses a read request with neither or both of ids and all, or unknown fields", async () => {
    for (const body of [
      {},
      { ids: ["x"] },
      { all: false },
      { all: true, ids: [crypto.randomUUID()] },
      { all: true, colour: "red" },
    ]) {
      const res = await t.inject("POST", "/api/v1/notifications/read", { token: t.people.agent1.token, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
    expect((await t.inject("GET", "/api/v1/notifications", { token: null })).status).toBe(401);
  });
});

describe("recording a batch", () => {
  it("records the other rows when one row's commit step fails, and a notification for a missing user is dead", async () => {
    const errors: number[] = [];
    const batchRelay = createOutboxRelay(
      {
        database: t.services.database,
        clock,
        handlers: {
          email: { send: async () => ({ ok: true }) },
          webhook: {
            commit: async () => {
              throw new Error("the delivery log is broken");
            },
          },
          notification: notificationHandler(),
        },
      },
      { onError: (_err, row) => row && errors.push(row.id) },
    );
    const now = clock.now();
    await enqueue(
      t.db,
      [
        { kind: "email", key: "batch:email", payload: { to: "rani@example.com", subject: "s", text: "t" } },
        {
          kind: "webhook",
          key: "batch:webhook",
          payload: { webhook_id: "00000000-0000-4000-8000-000000000000", event: "x", body: {} },
        },
        {
          kind: "notification",
          key: "batch:gone",
          payload: {
            user_id: "00000000-0000-4000-8000-000000000001",
            kind: "info",
            title: "Untuk pengguna yang sudah dihapus",
          },
        },
      ],
      now,
    );
    expect(await batchRelay.runOnce()).toBe(3);

    expect(await outboxRow("batch:email")).toMatchObject({ status: "delivered", attempts: 1 });
    expect(await outboxRow("batch:gone")).toMatchObject({ status: "dead", last_error: "the user no longer exists" });
    // Its commit failed: left leased, retried after the lease like a crash.
    const webhook = await outboxRow("batch:webhook");
    expect(webhook).toMatchObject({ status: "pending", attempts: 1, delivered_at: null });
    expect(webhook.next_attempt_at.getTime()).toBeGreaterThan(now.getTime());
    expect(errors).toEqual([webhook.id]);
    const notes = await t.db
      .selectFrom("notifications")
      .select("id")
      .where("title", "=", "Untuk pengguna yang sudah dihapus")
      .execute();
    expect(notes).toEqual([]);
  });
});

describe("giving way to deadlines", () => {
  it("delivers one batch and waits while the deadline worker is behind, then the rest once it has caught up", async () => {
    let behind = true;
    const sent: string[] = [];
    const slow = createOutboxRelay(
      {
        database: t.services.database,
        clock,
        handlers: {
          email: { send: async (row) => (sent.push(row.idempotency_key), { ok: true }) },
          webhook: {},
          notification: notificationHandler(),
        },
      },
      { batchSize: 2, giveWayWhile: () => behind, giveWayMs: 60_000 },
    );
    await enqueue(
      t.db,
      [1, 2, 3, 4, 5, 6].map((i) => ({
        kind: "email" as const,
        key: `way:${i}`,
        payload: { to: "rani@example.com", subject: `s${i}`, text: "t" },
      })),
      clock.now(),
    );
    const delivered = async () =>
      (await t.db.selectFrom("outbox").select("id").where("status", "=", "delivered").execute()).length;
    const until = async (done: () => Promise<boolean>) => {
      const deadline = Date.now() + 10_000;
      while (!(await done()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    };
    await slow.start();
    try {
      await until(async () => (await delivered()) >= 2);
      await new Promise((r) => setTimeout(r, 400));
      expect(sent).toHaveLength(2);
      expect(await delivered()).toBe(2);

      behind = false;
      await until(async () => (await delivered()) === 6);
      expect(await delivered()).toBe(6);
      expect(new Set(sent)).toEqual(new Set([1, 2, 3, 4, 5, 6].map((i) => `way:${i}`)));
    } finally {
      await slow.stop();
    }
  });
});

describe("draining a backlog", () => {
  it("delivers a backlog in several lanes at once, each row exactly once", async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const sent: string[] = [];
    const lanes = createOutboxRelay(
      {
        database: t.services.database,
        clock,
        handlers: {
          email: {
            send: async (row) => {
              inFlight++;
              mostInFlight = Math.max(mostInFlight, inFlight);
              // A slow receiver: the batches' sends overlap only if lanes run side by side.
              await new Promise((r) => setTimeout(r, 30));
              inFlight--;
              sent.push(row.idempotency_key);
              return { ok: true };
            },
          },
          webhook: {},
          notification: notificationHandler(),
        },
      },
      { batchSize: 2, concurrency: 3 },
    );
    await enqueue(
      t.db,
      Array.from({ length: 12 }, (_, i) => ({
        kind: "email" as const,
        key: `lane:${i}`,
        payload: { to: "rani@example.com", subject: `s${i}`, text: "t" },
      })),
      clock.now(),
    );
    await lanes.start();
    try {
      const deadline = Date.now() + 10_000;
      while (sent.length < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await lanes.stop();
    }
    expect(mostInFlight).toBeGreaterThan(2);
    expect(sent.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `lane:${i}`).sort());
    const rows = await t.db.selectFrom("outbox").select(["status", "attempts"]).execute();
    expect(rows.every((r) => r.status === "delivered" && r.attempts === 1)).toBe(true);
  });
});
