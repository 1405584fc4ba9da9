import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPresenceTracker, PRESENCE_TTL_MS } from "../src/notify/presence.ts";
import { manualClock, startTestApp, type TestApp } from "./harness.ts";
import { openStream, waitFor } from "./outbox/helpers.ts";

let t: TestApp;
let base: string;
const b64 = (s: string) => Buffer.from(s).toString("base64");

beforeAll(async () => {
  t = await startTestApp();
  base = await t.http.listen({ port: 0, host: "127.0.0.1" });
});
afterAll(async () => t?.close());

describe("customer panel: GET /api/v1/users/{id}/summary", () => {
  it("gives staff the requester's tickets (open first), organisation and ratings; customers get 403", async () => {
    const solved = await t.createTicket({ subject: "Sudah selesai" });
    await t.db.updateTable("tickets").set({ status: "solved" }).where("id", "=", solved.id).execute();
    const open = await t.createTicket({ subject: "Masih terbuka" });
    await t.db
      .insertInto("csat_surveys")
      .values({
        ticket_id: solved.id,
        requester_id: t.people.customer.id,
        solved_at: new Date(),
        solved_tier: 1,
        escalated: false,
        expires_at: new Date(Date.now() + 86_400_000),
        rating: 4,
        comment: "Cepat",
        rated_at: new Date(),
        created_at: new Date(),
      })
      .execute();

    const url = `/api/v1/users/${t.people.customer.id}/summary`;
    const res = await t.inject("GET", url, { token: t.people.agent1.token });
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe(t.people.customer.email);
    expect(res.body.organization).toMatchObject({ name: "Acme" });
    expect(res.body.tickets[0]).toMatchObject({ id: open.id, status: "new" });
    expect(res.body.tickets.at(-1)).toMatchObject({ id: solved.id, status: "solved" });
    expect(res.body).toMatchObject({ open_count: 1, total_count: 2, average_rating: 4 });
    expect(res.body.ratings).toEqual([
      expect.objectContaining({ ticket_number: solved.number, rating: 4, comment: "Cepat" }),
    ]);

    const asCustomer = await t.inject("GET", url, { token: t.people.customer.token });
    expect(asCustomer.status).toBe(403);
    expect(asCustomer.headers["content-type"]).toContain("application/problem+json");
    const unknown = await t.inject("GET", "/api/v1/users/00000000-0000-4000-8000-000000000000/summary");
    expect(unknown.status).toBe(404);
  });

  it("is in the OpenAPI document", async () => {
    const doc = await t.inject("GET", "/api/v1/openapi.json");
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/users/{id}/summary",
        "/api/v1/attachments/{id}",
        "/api/v1/tickets/{id}/presence",
      ]),
    );
  });
});

describe("attachments", () => {
  it("a customer downloads their ticket's public files only; internal notes' files are staff only", async () => {
    const ticket = await t.createTicket({
      attachments: [{ filename: "layar.txt", content_type: "text/plain", content_base64: b64("dari pelanggan") }],
    });
    const agent = t.people.agent1.token;
    const reply = await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, {
      token: agent,
      body: {
        body: "Ini panduannya",
        attachments: [
          { filename: "panduan ü.pdf", content_type: "application/pdf", content_base64: b64("%PDF-1 panduan") },
        ],
      },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.attachments).toHaveLength(1);
    const note = await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, {
      token: agent,
      body: {
        body: "Catatan",
        kind: "note",
        attachments: [{ filename: "log.txt", content_type: "text/plain", content_base64: b64("rahasia") }],
      },
    });
    expect(note.status).toBe(201);

    const staffList = await t.inject("GET", `/api/v1/tickets/${ticket.id}/attachments`, { token: agent });
    expect(staffList.body.items.map((a: { filename: string }) => a.filename)).toEqual([
      "layar.txt",
      "panduan ü.pdf",
      "log.txt",
    ]);
    const customerList = await t.inject("GET", `/api/v1/tickets/${ticket.id}/attachments`, {
      token: t.people.customer.token,
    });
    expect(customerList.body.items.map((a: { filename: string }) => a.filename)).toEqual([
      "layar.txt",
      "panduan ü.pdf",
    ]);
    const other = await t.inject("GET", `/api/v1/tickets/${ticket.id}/attachments`, {
      token: t.people.otherCustomer.token,
    });
    expect(other.status).toBe(404);

    const [fromCustomer, guide, log] = staffList.body.items as { id: string }[];
    const download = await t.inject("GET", `/api/v1/attachments/${guide!.id}`, { token: t.people.customer.token });
    expect(download.status).toBe(200);
    expect(download.text).toBe("%PDF-1 panduan");
    expect(download.headers["content-type"]).toBe("application/pdf");
    expect(download.headers["content-disposition"]).toContain("attachment;");
    expect(download.headers["content-disposition"]).toContain("filename*=UTF-8''panduan%20%C3%BC.pdf");
    expect(
      (await t.inject("GET", `/api/v1/attachments/${fromCustomer!.id}`, { token: t.people.customer.token })).status,
    ).toBe(200);
    // The internal note's file: staff yes, the customer not (404: no hint it exists).
    expect((await t.inject("GET", `/api/v1/attachments/${log!.id}`, { token: agent })).text).toBe("rahasia");
    const hidden = await t.inject("GET", `/api/v1/attachments/${log!.id}`, { token: t.people.customer.token });
    expect(hidden.status).toBe(404);
    expect(hidden.text).not.toContain("rahasia");
    // Another customer reads none of it.
    expect(
      (await t.inject("GET", `/api/v1/attachments/${guide!.id}`, { token: t.people.otherCustomer.token })).status,
    ).toBe(404);
    expect((await t.inject("GET", `/api/v1/attachments/${guide!.id}`, { token: null })).status).toBe(401);
  });

  it("a file over 5 MiB is refused with a problem naming it, and nothing is written", async () => {
    const ticket = await t.createTicket();
    const before = { messages: await t.count("messages"), attachments: await t.count("attachments") };
    const big = Buffer.alloc(5 * 1024 * 1024 + 10, 65).toString("base64");
    const res = await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, {
      token: t.people.agent1.token,
      body: { body: "Terlalu besar", attachments: [{ filename: "besar.bin", content_base64: big }] },
    });
    expect([413, 422]).toContain(res.status);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.body.errors[0].path).toEqual(["attachments", 0, "content_base64"]);
    expect({ messages: await t.count("messages"), attachments: await t.count("attachments") }).toEqual(before);
  });
});

describe("sorting the list", () => {
  it("sorts by priority and by the nearest deadline, and refuses an unknown sort with 422 on sort", async () => {
    const low = await t.createTicket({ subject: "urut rendah", priority: "low", tags: ["urut"] });
    const urgent = await t.createTicket({ subject: "urut mendesak", priority: "urgent", tags: ["urut"] });
    const normal = await t.createTicket({ subject: "urut sedang", priority: "medium", tags: ["urut"] });
    const list = async (sort: string, extra: Record<string, string> = {}) => {
      const res = await t.inject("GET", "/api/v1/tickets", { query: { tag: "urut", sort, ...extra } });
      expect(res.status).toBe(200);
      return res.body as { items: { id: string }[]; next_cursor: string | null };
    };
    const ids = (p: { items: { id: string }[] }) => p.items.map((i) => i.id);
    expect(ids(await list("-priority"))).toEqual([urgent.id, normal.id, low.id]);
    expect(ids(await list("priority"))).toEqual([low.id, normal.id, urgent.id]);

    const soon = new Date(Date.now() + 3_600_000);
    await t.db.updateTable("tickets").set({ next_due_at: soon }).where("id", "=", normal.id).execute();
    await t.db
      .updateTable("tickets")
      .set({ next_due_at: new Date(soon.getTime() + 60_000) })
      .where("id", "=", low.id)
      .execute();
    await t.db.updateTable("tickets").set({ next_due_at: null }).where("id", "=", urgent.id).execute();
    expect(ids(await list("due"))).toEqual([normal.id, low.id, urgent.id]);
    expect(ids(await list("-due"))).toEqual([low.id, normal.id, urgent.id]);
    // Page by page, across the tickets with a deadline and those without.
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list("due", { limit: "1", ...(cursor ? { cursor } : {}) });
      walked.push(...ids(page));
      cursor = page.next_cursor;
    } while (cursor && walked.length < 5);
    expect(walked).toEqual([normal.id, low.id, urgent.id]);

    const bad = await t.inject("GET", "/api/v1/tickets", { query: { sort: "subject" } });
    expect(bad.status).toBe(422);
    expect(bad.headers["content-type"]).toContain("application/problem+json");
    expect(bad.body.errors[0].path).toEqual(["sort"]);
  });
});

describe("collision detection (presence)", () => {
  it("an agent hears who else views and replies to a ticket; it clears when they leave; customers neither hear nor say it", async () => {
    const ticket = await t.createTicket();
    const url = `/api/v1/tickets/${ticket.id}/presence`;
    const agent2Stream = await openStream(base, t.people.agent2.token);
    const customerStream = await openStream(base, t.people.customer.token);
    try {
      const first = await t.inject("POST", url, { token: t.people.agent1.token, body: { state: "viewing" } });
      expect(first.status).toBe(200);
      expect(first.body.items).toEqual([]);
      const heard = await waitFor(() => agent2Stream.events.find((e) => e.event === "presence"));
      expect(JSON.parse(heard.data)).toMatchObject({
        ticket_id: ticket.id,
        user: { name: "agent1" },
        state: "viewing",
      });

      await t.inject("POST", url, { token: t.people.agent1.token, body: { state: "replying" } });
      const seen = await waitFor(async () => {
        const r = await t.inject("GET", url, { token: t.people.agent2.token });
        return r.body.items[0]?.state === "replying" ? r.body.items : undefined;
      });
      expect(seen).toEqual([expect.objectContaining({ user: { id: t.people.agent1.id, name: "agent1" } })]);
      // Agent 2 says they view it too: the answer names agent 1.
      const both = await t.inject("POST", url, { token: t.people.agent2.token, body: { state: "viewing" } });
      expect(both.body.items.map((p: { user: { name: string } }) => p.user.name)).toEqual(["agent1"]);

      await t.inject("POST", url, { token: t.people.agent1.token, body: { state: "left" } });
      await waitFor(async () =>
        (await t.inject("GET", url, { token: t.people.agent2.token })).body.items.length === 0 ? true : undefined,
      );

      const bad = await t.inject("POST", url, { token: t.people.agent1.token, body: { state: "typing" } });
      expect(bad.status).toBe(422);
      expect(bad.body.errors[0].path).toEqual(["state"]);
      expect((await t.inject("POST", url, { token: t.people.customer.token, body: { state: "viewing" } })).status).toBe(
        403,
      );
      expect((await t.inject("GET", url, { token: t.people.customer.token })).status).toBe(403);
      expect(
        (
          await t.inject("POST", "/api/v1/tickets/00000000-0000-4000-8000-000000000000/presence", {
            body: { state: "viewing" },
          })
        ).status,
      ).toBe(404);
      await new Promise((r) => setTimeout(r, 200));
      expect(customerStream.events.filter((e) => e.event === "presence")).toEqual([]);
    } finally {
      agent2Stream.close();
      customerStream.close();
    }
  });
});

describe("presence tracker", () => {
  it("forgets a report not repeated within 45 s (a closed laptop), and keeps one that is", () => {
    const clock = manualClock(new Date("2026-12-03T08:00:00Z"));
    const tracker = createPresenceTracker(clock);
    const ticket = "00000000-0000-4000-8000-000000000001";
    const report = (id: string, state: "viewing" | "replying" | "left") =>
      tracker.hear({
        t: "presence",
        item: { ticket_id: ticket, user: { id, name: id }, state, at: clock.now().toISOString() },
      });
    report("siti", "viewing");
    report("budi", "replying");
    expect(tracker.on(ticket, "budi").map((p) => p.user.name)).toEqual(["siti"]);
    clock.advance(PRESENCE_TTL_MS - 5_000);
    report("budi", "replying");
    clock.advance(10_000);
    expect(tracker.on(ticket, "agus").map((p) => `${p.user.name}:${p.state}`)).toEqual(["budi:replying"]);
    report("budi", "left");
    expect(tracker.on(ticket, "agus")).toEqual([]);
  });
});
