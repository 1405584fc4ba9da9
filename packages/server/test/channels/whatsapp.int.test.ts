import { createHmac } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock, type TestApp } from "../harness.ts";
import { createNotifyRelay } from "../../src/notify/compose-notify.ts";
import type { OutboxRelay } from "../../src/outbox/relay.ts";
import { startChannelsApp } from "./helpers.ts";
import { startWhatsappStandIn, type WhatsappStandIn } from "./whatsapp-standin.ts";

const SECRET = "whatsapp-app-secret-for-tests";
const VERIFY = "verify-me-please";
const clock = manualClock(new Date("2026-03-02T03:00:00Z"));
let t: TestApp;
let meta: WhatsappStandIn;
let relay: OutboxRelay;
let seq = 0;

beforeAll(async () => {
  meta = await startWhatsappStandIn();
  t = await startChannelsApp(
    {
      ESKALA_WHATSAPP_APP_SECRET: SECRET,
      ESKALA_WHATSAPP_VERIFY_TOKEN: VERIFY,
      ESKALA_WHATSAPP_API_URL: meta.url,
      ESKALA_WHATSAPP_PHONE_NUMBER_ID: meta.phoneNumberId,
      ESKALA_WHATSAPP_TOKEN: meta.token,
    },
    clock,
  );
  relay = createNotifyRelay(t.services, { random: () => 0.5 });
});
afterAll(async () => {
  await t?.close();
  await meta?.close();
});

const sign = (raw: string, secret = SECRET) => `sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`;
const nowSeconds = () => String(Math.floor(clock.now().getTime() / 1000));

/** A Meta webhook delivery of the `messages` field. */
function delivery(value: Record<string, unknown>) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "WABA-1",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "6281100000000", phone_number_id: "109876543210" },
              ...value,
            },
          },
        ],
      },
    ],
  };
}
function inbound(waId: string, name: string, message: Record<string, unknown>, id = `wamid.in-${++seq}`) {
  return delivery({
    contacts: [{ profile: { name }, wa_id: waId }],
    messages: [{ from: waId, id, timestamp: nowSeconds(), ...message }],
  });
}
async function post(body: unknown, headers?: Record<string, string>) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  return t.inject("POST", "/api/v1/channels/whatsapp/webhook", {
    token: null,
    body: raw,
    headers: headers ?? { "x-hub-signature-256": sign(raw) },
  });
}
async function ticketOf(waId: string) {
  return t.db
    .selectFrom("tickets as tk")
    .innerJoin("whatsapp_contacts as c", "c.user_id", "tk.requester_id")
    .select(["tk.id", "tk.number", "tk.channel", "tk.subject", "tk.description", "tk.status"])
    .where("c.wa_id", "=", waId)
    .orderBy("tk.created_at", "desc")
    .execute();
}
const whatsappRows = (ticketId: string) =>
  t.db
    .selectFrom("outbox")
    .selectAll()
    .where("ticket_id", "=", ticketId)
    .where("kind", "=", "whatsapp")
    .orderBy("id")
    .execute();
const events = (ticketId: string, type: string) =>
  t.db
    .selectFrom("ticket_events")
    .selectAll()
    .where("ticket_id", "=", ticketId)
    .where("type", "=", type)
    .orderBy("id")
    .execute();
async function drain() {
  while ((await relay.runOnce()) > 0) {
    /* until nothing is due */
  }
}
const agentReply = (ticketId: string, body: string) =>
  t.inject("POST", `/api/v1/tickets/${ticketId}/messages`, {
    token: t.people.agent1.token,
    body: { kind: "reply", body },
  });

describe("the verify handshake", () => {
  it("answers hub.challenge as text when the verify token matches", async () => {
    const res = await t.inject("GET", "/api/v1/channels/whatsapp/webhook", {
      token: null,
      query: { "hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444" },
    });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    expect(res.text).toBe("1158201444");
  });

  it("refuses a wrong verify token with 403 problem+json", async () => {
    const res = await t.inject("GET", "/api/v1/channels/whatsapp/webhook", {
      token: null,
      query: { "hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1158201444" },
    });
    expect(res.status).toBe(403);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.text).not.toContain("1158201444");
  });
});

describe("signed deliveries", () => {
  it("refuses a missing or bad signature with 401 and writes nothing", async () => {
    const before = { tickets: await t.count("tickets"), wa: await t.count("whatsapp_messages") };
    const raw = JSON.stringify(inbound("6281200000001", "Mallory", { type: "text", text: { body: "halo" } }));
    const missing = await post(raw, {});
    expect(missing.status).toBe(401);
    expect(missing.headers["content-type"]).toMatch(/application\/problem\+json/);
    const bad = await post(raw, { "x-hub-signature-256": sign(raw, "another-secret") });
    expect(bad.status).toBe(401);
    const tampered = await post(raw.replace("halo", "hallo"), { "x-hub-signature-256": sign(raw) });
    expect(tampered.status).toBe(401);
    expect({ tickets: await t.count("tickets"), wa: await t.count("whatsapp_messages") }).toEqual(before);
  });

  it("refuses a malformed payload with 400 problem+json naming the field, and writes nothing", async () => {
    const before = await t.count("tickets");
    const res = await post({
      object: "whatsapp_business_account",
      entry: [{ changes: [{ field: "messages", value: { messages: [{ from: "62812", id: "x", type: "text" }] } }] }],
    });
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(res.body.errors)).toContain("timestamp");
    const notWa = await post({ object: "page", entry: [] });
    expect(notWa.status).toBe(400);
    expect(await t.count("tickets")).toBe(before);
  });
});

describe("inbound messages", () => {
  const wa = "6281234500001";
  it("a text becomes a WhatsApp ticket of the customer named by the profile, acknowledged by WhatsApp as text", async () => {
    const res = await post(
      inbound(wa, "Budi Santoso", {
        type: "text",
        text: { body: "Saldo saya tidak bertambah\nsudah transfer kemarin" },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ messages: 1, duplicates: 0, statuses: 0 });
    const [ticket] = await ticketOf(wa);
    expect(ticket).toMatchObject({ channel: "whatsapp", subject: "Saldo saya tidak bertambah" });
    const requester = await t.db
      .selectFrom("users")
      .innerJoin("tickets", "tickets.requester_id", "users.id")
      .select(["users.name"])
      .where("tickets.id", "=", ticket!.id)
      .executeTakeFirstOrThrow();
    expect(requester.name).toBe("Budi Santoso");
    // No email to a WhatsApp customer: the acknowledgement goes by WhatsApp, as text (the window is open).
    expect(
      await t.db
        .selectFrom("outbox")
        .select("id")
        .where("ticket_id", "=", ticket!.id)
        .where("kind", "=", "email")
        .execute(),
    ).toEqual([]);
    await drain();
    const ack = meta.sent.filter((m) => m.to === wa);
    expect(ack).toHaveLength(1);
    expect(ack[0]).toMatchObject({ messaging_product: "whatsapp", type: "text" });
    expect(ack[0]!.type === "text" && ack[0]!.text.body).toContain(String(ticket!.number));
  });

  it("a second message threads on the open ticket by wa_id; the thread shows its channel", async () => {
    const res = await post(inbound(wa, "Budi Santoso", { type: "text", text: { body: "Ini bukti transfernya" } }));
    expect(res.body.messages).toBe(1);
    const tickets = await ticketOf(wa);
    expect(tickets).toHaveLength(1);
    const msgs = await t.inject("GET", `/api/v1/tickets/${tickets[0]!.id}/messages`, { token: t.people.agent1.token });
    const last = msgs.body.items.at(-1);
    expect(last).toMatchObject({ body: "Ini bukti transfernya", channel: "whatsapp" });
  });

  it("ignores a message id seen before (the key is in the data), also when delivered twice at once", async () => {
    const body = inbound(wa, "Budi Santoso", { type: "text", text: { body: "sekali saja" } }, "wamid.dup-1");
    const first = await post(body);
    expect(first.body).toEqual({ messages: 1, duplicates: 0, statuses: 0 });
    const again = await post(body);
    expect(again.body).toEqual({ messages: 0, duplicates: 1, statuses: 0 });
    const twin = inbound("6281234500009", "Twin", { type: "text", text: { body: "kembar" } }, "wamid.dup-2");
    const both = await Promise.all([post(twin), post(twin)]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(both.reduce((n, r) => n + r.body.messages, 0)).toBe(1);
    expect(await ticketOf("6281234500009")).toHaveLength(1);
    const ticketId = (await ticketOf(wa))[0]!.id;
    const sekali = await t.db
      .selectFrom("messages")
      .select("id")
      .where("ticket_id", "=", ticketId)
      .where("body", "=", "sekali saja")
      .execute();
    expect(sekali).toHaveLength(1);
  });

  it("an image and a document become attachments fetched from the Graph API; a location becomes text", async () => {
    const waMedia = "6281234500002";
    meta.media.set("MEDIA-IMG-1", { data: Buffer.from("\x89PNG fake image bytes"), mime: "image/png" });
    meta.media.set("MEDIA-DOC-1", { data: Buffer.from("%PDF-1.4 invoice"), mime: "application/pdf" });
    await post(
      inbound(waMedia, "Sari", {
        type: "image",
        image: { id: "MEDIA-IMG-1", mime_type: "image/png", sha256: "x", caption: "Layar error" },
      }),
    );
    await post(
      inbound(waMedia, "Sari", {
        type: "document",
        document: { id: "MEDIA-DOC-1", mime_type: "application/pdf", filename: "invoice.pdf" },
      }),
    );
    await post(
      inbound(waMedia, "Sari", {
        type: "location",
        location: { latitude: -6.2, longitude: 106.816666, name: "Kantor", address: "Jl. Sudirman 1, Jakarta" },
      }),
    );
    const [ticket] = await ticketOf(waMedia);
    expect(ticket!.description).toContain("Layar error");
    await drain();
    const files = await t.db
      .selectFrom("attachments")
      .select(["filename", "content_type", "data"])
      .where("ticket_id", "=", ticket!.id)
      .orderBy("filename")
      .execute();
    expect(files.map((f) => [f.filename, f.content_type, Buffer.from(f.data).toString()])).toEqual([
      ["invoice.pdf", "application/pdf", "%PDF-1.4 invoice"],
      ["whatsapp-image-MEDIA-IMG-1.png", "image/png", "\x89PNG fake image bytes"],
    ]);
    const bodies = (await t.db.selectFrom("messages").select("body").where("ticket_id", "=", ticket!.id).execute()).map(
      (m) => m.body,
    );
    expect(bodies.join("\n")).toContain("Jl. Sudirman 1, Jakarta");
    expect(bodies.join("\n")).toContain("https://maps.google.com/?q=-6.2,106.816666");
  });

  it("replies arriving together share transactions; a duplicate among them is left out alone", async () => {
    const customers = Array.from({ length: 6 }, (_, i) => `62812345006${i}`);
    for (const wa of customers) await post(inbound(wa, `Grup ${wa}`, { type: "text", text: { body: "Halo" } }));
    const dup = inbound(customers[0]!, "Grup", { type: "text", text: { body: "balasan dua kali" } }, "wamid.group-dup");
    const replies = customers.map((wa, i) =>
      i === 0 ? dup : inbound(wa, `Grup ${wa}`, { type: "text", text: { body: `balasan ${i}` } }),
    );
    const res = await Promise.all([...replies, dup].map((b) => post(b)));
    expect(res.map((r) => r.status)).toEqual(res.map(() => 200));
    expect(res.reduce((n, r) => n + r.body.messages, 0)).toBe(customers.length);
    expect(res.reduce((n, r) => n + r.body.duplicates, 0)).toBe(1);
    const written = await sql<{ wa_id: string; body: string; tx: string }>`
      select c.wa_id, m.body, m.xmin::text as tx from messages m
      join tickets tk on tk.id = m.ticket_id join whatsapp_contacts c on c.user_id = tk.requester_id
      where c.wa_id = any(${customers}::text[]) and m.body like 'balasan%'`.execute(t.db);
    // Each reply once, on its customer's one ticket.
    expect(written.rows.map((r) => `${r.wa_id} ${r.body}`).sort()).toEqual(
      customers.map((wa, i) => `${wa} ${i === 0 ? "balasan dua kali" : `balasan ${i}`}`).sort(),
    );
    for (const wa of customers) expect(await ticketOf(wa)).toHaveLength(1);
    // Fewer transactions than replies (one each before the group commit).
    expect(new Set(written.rows.map((r) => r.tx)).size).toBeLessThan(customers.length);
  });

  it("keeps the ticket when the media cannot be fetched, and says so on the timeline", async () => {
    const waLost = "6281234500003";
    const res = await post(
      inbound(waLost, "Andi", { type: "image", image: { id: "MEDIA-GONE", mime_type: "image/jpeg" } }),
    );
    expect(res.status).toBe(200);
    const [ticket] = await ticketOf(waLost);
    expect(ticket).toBeDefined();
    await drain();
    const failed = await events(ticket!.id, "whatsapp.media_failed");
    expect(failed).toHaveLength(1);
    expect(String((failed[0]!.data as { error: string }).error)).toContain("does not exist");
  });
});

describe("outbound replies and statuses", () => {
  const wa = "6281234500004";
  let ticketId = "";
  beforeAll(async () => {
    await post(inbound(wa, "Dewi", { type: "text", text: { body: "Tolong bantu reset PIN" } }));
    ticketId = (await ticketOf(wa))[0]!.id;
    await drain();
  });

  it("an agent's reply inside the 24-hour window goes as text, and its statuses land on the timeline once", async () => {
    expect((await agentReply(ticketId, "PIN Anda sudah kami reset.")).status).toBe(201);
    await drain();
    const sent = meta.sent.filter((m) => m.to === wa).at(-1)!;
    expect(sent).toMatchObject({ type: "text", text: { body: "PIN Anda sudah kami reset." } });
    const statuses = (status: string) =>
      delivery({ statuses: [{ id: sent.wamid, status, timestamp: nowSeconds(), recipient_id: wa }] });
    expect((await post(statuses("delivered"))).body.statuses).toBe(1);
    expect((await post(statuses("read"))).body.statuses).toBe(1);
    expect((await post(statuses("read"))).body.statuses).toBe(0);
    const recorded = await events(ticketId, "whatsapp.status");
    expect(recorded.map((e) => (e.data as { status: string }).status)).toEqual(["delivered", "read"]);
  });

  it("outside the window the reply goes as the approved template set by the admin for its kind and language", async () => {
    const put = await t.inject("PUT", "/api/v1/channels/whatsapp/templates/agent.reply/id", {
      body: { name: "balasan_agen_v2" },
    });
    expect(put.status).toBe(200);
    clock.advance(25 * 3_600_000);
    expect((await agentReply(ticketId, "Apakah masih ada kendala?\nKami tunggu kabarnya.")).status).toBe(201);
    await drain();
    const sent = meta.sent.filter((m) => m.to === wa).at(-1)!;
    expect(sent.type).toBe("template");
    if (sent.type !== "template") return;
    expect(sent.template.name).toBe("balasan_agen_v2");
    expect(sent.template.language.code).toBe("id");
    expect(sent.template.components?.[0]?.parameters.map((p) => p.text)).toEqual([
      String((await ticketOf(wa))[0]!.number),
      "Apakah masih ada kendala? Kami tunggu kabarnya.",
    ]);
  });

  it("a Graph API error is retried by the outbox and said on the ticket", async () => {
    meta.failNext(1, { status: 500, code: 131000, message: "Something went wrong" });
    await agentReply(ticketId, "Kami coba lagi.");
    await drain();
    const [row] = (await whatsappRows(ticketId)).filter(
      (r) =>
        (r.payload as { message?: { template?: { components?: { parameters: { text: string }[] }[] } } }).message
          ?.template?.components?.[0]?.parameters[1]?.text === "Kami coba lagi.",
    );
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row!.last_error).toContain("Something went wrong");
    const failed = await events(ticketId, "whatsapp.failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.data).toMatchObject({ final: false, kind: "agent.reply" });
    clock.advance(3_600_000);
    await drain();
    const after = await t.db
      .selectFrom("outbox")
      .select(["status", "attempts"])
      .where("id", "=", row!.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ status: "delivered", attempts: 2 });
  });

  it("admins only set template names, and a name Meta would refuse is refused naming the field", async () => {
    const agent = await t.inject("PUT", "/api/v1/channels/whatsapp/templates/agent.reply/en", {
      token: t.people.agent1.token,
      body: { name: "x" },
    });
    expect(agent.status).toBe(403);
    const bad = await t.inject("PUT", "/api/v1/channels/whatsapp/templates/agent.reply/en", {
      body: { name: "Has Spaces!" },
    });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body.errors)).toContain("name");
    const list = await t.inject("GET", "/api/v1/channels/whatsapp/templates");
    expect(list.body.items).toContainEqual({
      kind: "agent.reply",
      language: "id",
      name: "balasan_agen_v2",
      custom: true,
    });
    expect(list.body.items).toContainEqual({
      kind: "ticket.solved",
      language: "en",
      name: "eskala_ticket_solved",
      custom: false,
    });
  });
});

describe("channel-aware notifications", () => {
  it("solving a WhatsApp ticket tells the customer by WhatsApp; an email ticket's customer by email", async () => {
    const wa = "6281234500005";
    await post(inbound(wa, "Rina", { type: "text", text: { body: "Aplikasi keluar sendiri" } }));
    const waTicket = (await ticketOf(wa))[0]!;
    const mailTicket = await t.createTicket({ channel: "email" }, t.people.admin);
    for (const id of [waTicket.id, mailTicket.id]) {
      const res = await t.inject("PATCH", `/api/v1/tickets/${id}`, {
        token: t.people.agent1.token,
        body: { status: "solved", resolution_code: "answered" },
      });
      expect(res.status).toBe(200);
    }
    const kinds = async (id: string) =>
      (await t.db.selectFrom("outbox").select("idempotency_key").where("ticket_id", "=", id).execute())
        .map((r) => r.idempotency_key)
        .filter((k) => k.includes("ticket.solved"));
    expect((await kinds(waTicket.id)).every((k) => k.startsWith("whatsapp:"))).toBe(true);
    expect(await kinds(waTicket.id)).toHaveLength(1);
    expect(await kinds(mailTicket.id)).toEqual([expect.stringMatching(/^email:/)]);
    await drain();
    const solved = meta.sent.filter((m) => m.to === wa).at(-1)!;
    expect(solved.type === "text" && solved.text.body).toMatch(/\/survey|survei|survey/i);
  });
});
