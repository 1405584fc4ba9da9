import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createNotifyRelay } from "../src/notify/compose-notify.ts";
import { enqueueWebhookEvent } from "../src/notify/fan-out.ts";
import { isNonPublicAddress } from "../src/outbox/outbound-guard.ts";
import { startTestApp, type TestApp } from "./harness.ts";
import { startReceiver } from "./outbox/helpers.ts";

/**
 * Webhooks may not reach the server's own network: loopback, private, link-local and metadata
 * destinations are refused when a webhook is saved and again on the address a delivery actually
 * connects to (a name that resolves elsewhere at delivery time), unless ESKALA_WEBHOOK_ALLOW names them.
 */
let t: TestApp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  t = await startTestApp();
  receiver = await startReceiver();
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});
beforeEach(async () => {
  await t.db.deleteFrom("webhook_deliveries").execute();
  await t.db.deleteFrom("outbox").execute();
  await t.db.deleteFrom("webhooks").execute();
  receiver.requests.length = 0;
});

const REFUSED = {
  "cloud metadata": "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
  "localhost (a name resolving to 127.0.0.1)": "http://localhost:5432/",
  loopback: "http://127.0.0.1:6379/",
  "loopback, decimal form": "http://2130706433/",
  "private 10/8": "http://10.0.0.5/hook",
  "private 172.16/12": "https://172.20.1.1/hook",
  "private 192.168/16": "http://192.168.1.1/admin",
  "CGNAT 100.64/10": "http://100.64.0.1/",
  unspecified: "http://0.0.0.0:3000/",
  multicast: "http://224.0.0.1/",
  "IPv6 loopback": "http://[::1]:5432/",
  "IPv6 link-local": "http://[fe80::1]/",
  "IPv6 unique local": "http://[fc00::1]/",
  "IPv6 metadata": "http://[fd00:ec2::254]/latest/meta-data/",
  "IPv4-mapped loopback": "http://[::ffff:127.0.0.1]/",
  "IPv4-mapped metadata": "http://[::ffff:169.254.169.254]/",
};

describe("creating or changing a webhook", () => {
  it.each(Object.entries(REFUSED))(
    "refuses %s with a 422 problem naming the url, and saves nothing",
    async (_kind, url) => {
      const res = await t.inject("POST", "/api/v1/webhooks", { body: { name: "probe", url, events: [] } });
      expect(res.status, res.text).toBe(422);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.body.errors[0].path).toEqual(["url"]);
      expect(res.body.errors[0].message).toMatch(/loopback, private, link-local or metadata address/);
      expect(await t.count("webhooks")).toBe(0);
    },
  );

  it("refuses moving an existing webhook onto a private address, and keeps its URL", async () => {
    const created = await t.inject("POST", "/api/v1/webhooks", {
      body: { name: "public", url: "https://93.184.215.14/hook", events: [] },
    });
    expect(created.status, created.text).toBe(201);
    const res = await t.inject("PATCH", `/api/v1/webhooks/${created.body.id}`, {
      body: { url: "http://169.254.169.254/latest/" },
    });
    expect(res.status, res.text).toBe(422);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    const after = await t.inject("GET", `/api/v1/webhooks/${created.body.id}`);
    expect(after.body.url).toBe("https://93.184.215.14/hook");
  });

  it("accepts a public address and a name that does not resolve yet (checked again on delivery)", async () => {
    for (const url of ["https://93.184.215.14/hook", "https://hooks.partner.invalid/eskala"]) {
      const res = await t.inject("POST", "/api/v1/webhooks", { body: { name: url, url, events: [] } });
      expect(res.status, res.text).toBe(201);
    }
  });
});

describe("delivering", () => {
  /** A webhook for `host` on the receiver's port, created through the API. */
  async function hookTo(host: string) {
    const port = new URL(receiver.base).port;
    const res = await t.inject("POST", "/api/v1/webhooks", {
      body: { name: host, url: `http://${host}:${port}/in`, events: [] },
    });
    expect(res.status, res.text).toBe(201);
    return res.body.id as string;
  }
  const deliveries = async (id: string) => (await t.inject("GET", `/api/v1/webhooks/${id}/deliveries`)).body.items;

  it("refuses a name that resolves to a private address when the delivery connects (DNS rebinding)", async () => {
    // Unresolvable when saved; at delivery the resolver answers loopback, where a service listens.
    const id = await hookTo("rebind.partner.invalid");
    const relay = createNotifyRelay(t.services, { resolve: async () => [{ address: "127.0.0.1", family: 4 }] });
    await enqueueWebhookEvent(t.db, "ticket.escalated", { ticket: { id: "t-1" } }, { key: "e1", now: new Date() });
    await relay.runOnce();
    expect(receiver.requests).toHaveLength(0);
    const [log] = await deliveries(id);
    expect(log).toMatchObject({ status: "failed", status_code: null, error: "refused: private address" });
  });

  it("refuses a private literal saved before the check existed, without leaking what it answers", async () => {
    const port = new URL(receiver.base).port;
    const { id } = await t.db
      .insertInto("webhooks")
      .values({ name: "old", url: `http://127.0.0.1:${port}/in`, secret: "s", events: [], created_at: new Date() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await enqueueWebhookEvent(t.db, "ticket.escalated", { ticket: { id: "t-1" } }, { key: "e2", now: new Date() });
    await createNotifyRelay(t.services).runOnce();
    expect(receiver.requests).toHaveLength(0);
    expect((await deliveries(id))[0]).toMatchObject({ status_code: null, error: "refused: private address" });
  });

  it("delivers to an address the allow-list names", async () => {
    const id = await hookTo("rebind.partner.invalid");
    const allowing = { ...t.services, config: { ...t.services.config, ESKALA_WEBHOOK_ALLOW: "127.0.0.0/8" } };
    const relay = createNotifyRelay(allowing, { resolve: async () => [{ address: "127.0.0.1", family: 4 }] });
    await enqueueWebhookEvent(t.db, "ticket.escalated", { ticket: { id: "t-1" } }, { key: "e3", now: new Date() });
    await relay.runOnce();
    expect(receiver.to("/in")).toHaveLength(1);
    expect((await deliveries(id))[0]).toMatchObject({ status: "delivered", status_code: 200 });
  });
});

describe("the allow-list at creation", () => {
  let allowed: TestApp;
  beforeAll(async () => {
    allowed = await startTestApp({ config: { ESKALA_WEBHOOK_ALLOW: "localhost, 10.20.0.0/16, fd00:ec2::/32" } });
  });
  afterAll(async () => allowed?.close());

  it("admits the hosts and ranges it names, and nothing else", async () => {
    for (const url of ["http://localhost:8080/", "http://10.20.3.4/", "http://[fd00:ec2::254]/"]) {
      const res = await allowed.inject("POST", "/api/v1/webhooks", { body: { name: url, url, events: [] } });
      expect(res.status, `${url}: ${res.text}`).toBe(201);
    }
    for (const url of ["http://127.0.0.1/", "http://10.21.0.1/", "http://169.254.169.254/"]) {
      const res = await allowed.inject("POST", "/api/v1/webhooks", { body: { name: url, url, events: [] } });
      expect(res.status, url).toBe(422);
    }
  });
});

describe("address classification", () => {
  it.each([
    ["8.8.8.8", false],
    ["2606:4700::1111", false],
    ["127.0.0.1", true],
    ["169.254.169.254", true],
    ["100.127.255.255", true],
    ["::", true],
    ["ff02::1", true],
    ["::ffff:10.0.0.1", true],
    ["64:ff9b::a9fe:a9fe", true],
    ["not an address", true],
  ] as const)("%s is non-public: %s", (address, expected) => {
    expect(isNonPublicAddress(address)).toBe(expected);
  });
});
