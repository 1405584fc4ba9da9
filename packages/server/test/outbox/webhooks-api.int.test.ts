import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNotifyRelay } from "../../src/notify/compose-notify.ts";
import { verifyWebhookSignature } from "../../src/outbox/webhook-signature.ts";
import { startTestApp, type Person, type TestApp } from "../harness.ts";
import { startReceiver } from "./helpers.ts";

let t: TestApp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  // The receivers listen on loopback: the admin allow-list names it (webhooks are refused private addresses).
  t = await startTestApp({ config: { ESKALA_WEBHOOK_ALLOW: "127.0.0.1" } });
  receiver = await startReceiver();
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

describe("webhooks admin API", () => {
  it("creates a webhook, shows a generated secret once, lists, changes and deletes it", async () => {
    const created = await t.inject("POST", "/api/v1/webhooks", {
      body: { name: "Slack #eskalasi", url: `${receiver.base}/slack`, events: ["ticket.escalated", "sla.breached"] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Slack #eskalasi",
      events: ["ticket.escalated", "sla.breached"],
      enabled: true,
      consecutive_failures: 0,
      disabled_reason: null,
    });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    const id = created.body.id as string;

    const given = await t.inject("POST", "/api/v1/webhooks", {
      body: { name: "Jira", url: "https://jira.example.com/hook", events: [], secret: "s3cret-s3cret-s3cret" },
    });
    expect(given.body.secret).toBe("s3cret-s3cret-s3cret");

    const list = await t.inject("GET", "/api/v1/webhooks");
    expect(list.body.items.map((w: { name: string }) => w.name)).toEqual(["Slack #eskalasi", "Jira"]);
    expect(JSON.stringify(list.body)).not.toMatch(/whsec_|s3cret/);
    expect(JSON.stringify((await t.inject("GET", `/api/v1/webhooks/${id}`)).body)).not.toMatch(/whsec_/);

    const off = await t.inject("PATCH", `/api/v1/webhooks/${id}`, { body: { enabled: false, events: ["csat.low"] } });
    expect(off.body).toMatchObject({ enabled: false, events: ["csat.low"], disabled_reason: "disabled by admin" });
    await t.db.updateTable("webhooks").set({ consecutive_failures: 7 }).where("id", "=", id).execute();
    const on = await t.inject("PATCH", `/api/v1/webhooks/${id}`, { body: { enabled: true } });
    expect(on.body).toMatchObject({ enabled: true, consecutive_failures: 0, disabled_reason: null });

    expect((await t.inject("DELETE", `/api/v1/webhooks/${id}`)).status).toBe(204);
    expect((await t.inject("GET", `/api/v1/webhooks/${id}`)).status).toBe(404);
    expect((await t.inject("DELETE", `/api/v1/webhooks/${id}`)).status).toBe(404);
    expect((await t.inject("GET", `/api/v1/webhooks/${crypto.randomUUID()}/deliveries`)).status).toBe(404);
  });

  it("sends a signed ping on test and logs the delivery", async () => {
    const hook = (
      await t.inject("POST", "/api/v1/webhooks", {
        body: { name: "ping me", url: `${receiver.base}/ping`, events: ["csat.low"] },
      })
    ).body;
    const res = await t.inject("POST", `/api/v1/webhooks/${hook.id}/test`);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      queued: true,
      idempotency_key: expect.stringMatching(new RegExp(`^webhook:${hook.id}:ping:`)),
    });
    const relay = createNotifyRelay(t.services);
    await relay.runOnce();
    const [req] = receiver.to("/ping");
    expect(req!.headers["x-eskala-event"]).toBe("ping");
    expect(req!.headers["x-eskala-delivery"]).toBe(res.body.idempotency_key);
    expect(
      verifyWebhookSignature(
        hook.secret,
        req!.body,
        String(req!.headers["x-eskala-signature"]),
        Math.floor(Date.now() / 1000),
      ),
    ).toBe(true);
    expect(
      verifyWebhookSignature(
        "another-secret-123456",
        req!.body,
        String(req!.headers["x-eskala-signature"]),
        Math.floor(Date.now() / 1000),
      ),
    ).toBe(false);
    expect(JSON.parse(req!.body)).toMatchObject({ event: "ping", webhook: { id: hook.id, name: "ping me" } });
    const log = await t.inject("GET", `/api/v1/webhooks/${hook.id}/deliveries`);
    expect(log.body.items).toEqual([
      {
        id: expect.any(Number),
        outbox_id: expect.any(Number),
        event: "ping",
        attempt: 1,
        ok: true,
        status: "delivered",
        status_code: 200,
        error: null,
        duration_ms: expect.any(Number),
        at: expect.any(String),
        delivery_status: "delivered",
        next_attempt_at: null,
      },
    ]);
    await t.inject("PATCH", `/api/v1/webhooks/${hook.id}`, { body: { enabled: false } });
    expect((await t.inject("POST", `/api/v1/webhooks/${hook.id}/test`)).status).toBe(409);
  });

  const bad: [string, "POST" | "PATCH", Record<string, unknown>, (string | number)[]][] = [
    ["a URL that is not one", "POST", { name: "x", url: "not a url", events: [] }, ["url"]],
    ["an ftp URL", "POST", { name: "x", url: "ftp://files.example.com/in", events: [] }, ["url"]],
    ["a javascript: URL", "POST", { name: "x", url: "javascript:alert(1)", events: [] }, ["url"]],
    [
      "an unknown event",
      "POST",
      { name: "x", url: "https://a.example.com", events: ["ticket.created", "ticket.exploded"] },
      ["events", 1],
    ],
    ["an unknown field", "POST", { name: "x", url: "https://a.example.com", events: [], colour: "red" }, ["colour"]],
    ["no name", "POST", { url: "https://a.example.com", events: [] }, ["name"]],
    ["no events list", "POST", { name: "x", url: "https://a.example.com" }, ["events"]],
    ["a short secret", "POST", { name: "x", url: "https://a.example.com", events: [], secret: "short" }, ["secret"]],
    ["a bad URL on change", "PATCH", { url: "mailto:ops@example.com" }, ["url"]],
    ["an unknown event on change", "PATCH", { events: ["sla.exploded"] }, ["events", 0]],
    ["an unknown field on change", "PATCH", { consecutive_failures: 0 }, ["consecutive_failures"]],
  ];
  it.each(bad)("refuses %s with 422 naming the field, writing nothing", async (_name, method, body, path) => {
    const existing = (
      await t.inject("POST", "/api/v1/webhooks", {
        body: { name: "keep", url: "https://keep.example.com", events: [] },
      })
    ).body;
    const [webhooks, outbox] = [await t.count("webhooks"), await t.count("outbox")];
    const url = method === "POST" ? "/api/v1/webhooks" : `/api/v1/webhooks/${existing.id}`;
    const res = await t.inject(method, url, { body });
    expect(res.status, res.text).toBe(422);
    expect(res.headers["content-type"]).toMatch(/problem\+json/);
    expect(res.body.errors.map((e: { path: unknown }) => e.path)).toContainEqual(path);
    expect(await t.count("webhooks")).toBe(webhooks);
    expect(await t.count("outbox")).toBe(outbox);
    expect((await t.inject("GET", `/api/v1/webhooks/${existing.id}`)).body).toMatchObject({
      name: "keep",
      url: "https://keep.example.com",
      events: [],
    });
  });

  it("refuses an empty change", async () => {
    const hook = (
      await t.inject("POST", "/api/v1/webhooks", { body: { name: "e", url: "https://e.example.com", events: [] } })
    ).body;
    expect((await t.inject("PATCH", `/api/v1/webhooks/${hook.id}`, { body: {} })).status).toBe(422);
  });

  it("is for admins only: 403 for everyone else (before the body is read), 401 anonymous", async () => {
    const hook = (
      await t.inject("POST", "/api/v1/webhooks", {
        body: { name: "guarded", url: "https://g.example.com", events: [] },
      })
    ).body;
    const before = [await t.count("webhooks"), await t.count("outbox")];
    const calls: [string, string, unknown?][] = [
      ["GET", "/api/v1/webhooks"],
      ["POST", "/api/v1/webhooks", { name: "mine", url: "https://m.example.com", events: [] }],
      ["POST", "/api/v1/webhooks", { name: "bad", url: "nope", events: ["x"] }],
      ["GET", `/api/v1/webhooks/${hook.id}`],
      ["PATCH", `/api/v1/webhooks/${hook.id}`, { url: "https://evil.example.com" }],
      ["DELETE", `/api/v1/webhooks/${hook.id}`],
      ["GET", `/api/v1/webhooks/${hook.id}/deliveries`],
      ["POST", `/api/v1/webhooks/${hook.id}/test`],
    ];
    const others: (Person | null)[] = [t.people.supervisor, t.people.agent1, t.people.customer, null];
    for (const who of others)
      for (const [method, url, body] of calls) {
        const res = await t.inject(method, url, { token: who ? who.token : null, ...(body ? { body } : {}) });
        expect(res.status, `${who?.role ?? "anonymous"} ${method} ${url}`).toBe(who ? 403 : 401);
      }
    expect([await t.count("webhooks"), await t.count("outbox")]).toEqual(before);
    expect((await t.inject("GET", `/api/v1/webhooks/${hook.id}`)).body.url).toBe("https://g.example.com");
  });
});
