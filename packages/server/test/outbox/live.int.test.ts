import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNotifyRelay } from "../../src/notify/compose-notify.ts";
import { enqueueNotification, enqueueWebhookEvent } from "../../src/notify/fan-out.ts";
import type { LiveHub } from "../../src/notify/live-hub.ts";
import type { OutboxRelay } from "../../src/outbox/relay.ts";
import { startTestApp, type TestApp } from "../harness.ts";
import { openStream, startReceiver, waitFor } from "./helpers.ts";

let t: TestApp;
let base: string;
let relay: OutboxRelay;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const hub = () => (t.http as unknown as { liveHub: LiveHub }).liveHub;

beforeAll(async () => {
  // The receivers listen on loopback: the admin allow-list names it (webhooks are refused private addresses).
  t = await startTestApp({ config: { ESKALA_WEBHOOK_ALLOW: "127.0.0.1" } });
  base = await t.http.listen({ port: 0, host: "127.0.0.1" });
  receiver = await startReceiver();
  // A poll far longer than the test's patience: only NOTIFY can wake this relay in time.
  relay = createNotifyRelay(t.services, { pollMs: 60_000 });
  await relay.start();
});
afterAll(async () => {
  await relay?.stop();
  // fetch's pool reopens spare sockets after an aborted stream; they would hold close() for 4 s.
  t?.http.server.closeAllConnections();
  await t?.close();
  await receiver?.close();
});

describe("live stream", () => {
  it("refuses anonymous callers with a problem", async () => {
    const res = await fetch(`${base}/api/v1/stream`);
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/problem\+json/);
  });

  it("sends ticket changes within a second, to staff and to customers who may see the ticket only", async () => {
    const { agent1, customer, otherCustomer } = t.people;
    const staff = await openStream(base, agent1.token);
    const mine = await openStream(base, customer.token);
    const others = await openStream(base, otherCustomer.token);
    expect(staff.res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    await waitFor(() => mine.preamble.includes("retry: 3000"));

    const ticket = await t.createTicket({ subject: "Pembayaran gagal" }, customer);
    const committed = Date.now(); // the API answers after the commit
    const seen = await waitFor(
      () => staff.events.find((e) => e.event === "ticket" && JSON.parse(e.data).ticket_id === ticket.id),
      1000,
    );
    expect(seen.receivedAt - committed).toBeLessThan(1000);
    expect(JSON.parse(seen.data)).toEqual({
      ticket_id: ticket.id,
      type: "ticket.created",
      at: expect.any(String),
      version: expect.any(Number),
    });
    await waitFor(() => mine.parsed("ticket").find((e) => e.ticket_id === ticket.id));

    // Another customer's ticket, and an internal note on the first: staff see both, the customer neither.
    const theirs = await t.createTicket({ subject: "Akun terkunci" }, otherCustomer);
    const note = await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, {
      token: agent1.token,
      body: { body: "cek log pembayaran", kind: "note" },
    });
    expect(note.status).toBe(201);
    const reply = await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, {
      token: agent1.token,
      body: { body: "Sedang kami cek" },
    });
    expect(reply.status).toBe(201);
    await waitFor(() => staff.parsed("ticket").filter((e) => e.type === "message.added").length >= 2);
    await waitFor(() => mine.parsed("ticket").find((e) => e.type === "message.added"));
    await waitFor(() => others.parsed("ticket").find((e) => e.ticket_id === theirs.id));
    await new Promise((r) => setTimeout(r, 300));
    expect(staff.parsed("ticket").some((e) => e.ticket_id === theirs.id)).toBe(true);
    expect(mine.parsed("ticket").some((e) => e.ticket_id === theirs.id)).toBe(false);
    expect(mine.parsed("ticket").filter((e) => e.type === "message.added")).toHaveLength(1); // the reply, not the note
    expect(others.parsed("ticket").some((e) => e.ticket_id === ticket.id)).toBe(false);

    expect(hub().size).toBe(3);
    await Promise.all([staff.close(), mine.close(), others.close()]);
    await waitFor(() => hub().size === 0);
  });

  it("pushes a new notification to its user only, delivered by a relay woken by NOTIFY", async () => {
    const { agent1, agent2 } = t.people;
    const a = await openStream(base, agent1.token);
    const b = await openStream(base, agent2.token);
    await waitFor(() => a.preamble && b.preamble);
    await new Promise((r) => setTimeout(r, 100)); // let the relay fall asleep

    await t.db.transaction().execute((trx) =>
      enqueueNotification(trx, {
        userIds: [agent1.id],
        kind: "escalation.assigned",
        title: "Tiket #7 dieskalasi ke Anda",
        key: "esc-7",
        now: new Date(),
      }),
    );
    const started = Date.now(); // committed
    const got = await waitFor(() => a.events.find((e) => e.event === "notification"), 1000);
    expect(got.receivedAt - started).toBeLessThan(1000);
    const item = JSON.parse(got.data);
    expect(item).toMatchObject({
      id: expect.any(String),
      kind: "escalation.assigned",
      title: "Tiket #7 dieskalasi ke Anda",
      body: "",
      ticket_id: null,
      read_at: null,
    });
    const listed = await t.inject("GET", "/api/v1/notifications", { token: agent1.token });
    expect(listed.body.items[0].id).toBe(item.id);
    await new Promise((r) => setTimeout(r, 200));
    expect(b.events.filter((e) => e.event === "notification")).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });

  it("delivers a webhook within a second of the commit that enqueued it", async () => {
    const hook = await t.inject("POST", "/api/v1/webhooks", {
      body: { name: "chat", url: `${receiver.base}/chat`, events: ["ticket.escalated"] },
    });
    expect(hook.status).toBe(201);
    await new Promise((r) => setTimeout(r, 100));
    await t.db
      .transaction()
      .execute((trx) =>
        enqueueWebhookEvent(trx, "ticket.escalated", { ticket: { id: "x" } }, { key: "live-1", now: new Date() }),
      );
    const started = Date.now(); // committed
    await waitFor(() => receiver.to("/chat").length === 1 || undefined, 1000);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("ends open streams when the server closes", async () => {
    const s = await openStream(base, t.people.admin.token);
    await waitFor(() => s.preamble);
    hub().shutdown();
    await s.ended;
    expect(s.closed).toBe(true);
  });
});
