import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe("tickets", () => {
  it("creates a ticket through the contract and shows it with its timeline", async () => {
    const res = await t.inject("POST", "/api/v1/tickets", {
      body: { subject: "Paket belum sampai", description: "Sudah 7 hari", requester: { email: "Rani@Example.com", name: "Rani" }, priority: "high", channel: "email" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ number: expect.any(Number), status: "new", priority: "high", tier: 1, channel: "email", group: { id: t.groups.frontline } });
    expect(res.body.requester).toMatchObject({ email: "Rani@Example.com", name: "Rani" });

    const got = await t.inject("GET", `/api/v1/tickets/${res.body.id}`);
    expect(got.body.id).toBe(res.body.id);
    const events = await t.inject("GET", `/api/v1/tickets/${res.body.id}/events`);
    // Routing gives the new ticket to the online frontline agent in the same transaction.
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(["ticket.created", "assigned"]);
    expect([t.people.agent1.id, t.people.supervisor.id]).toContain(got.body.assignee.id);
    expect(events.body.items[0].actor).toMatchObject({ kind: "user", id: t.people.admin.id });
  });

  it("gives tickets increasing human numbers", async () => {
    const a = await t.createTicket();
    const b = await t.createTicket();
    expect(b.number).toBe(a.number + 1);
  });

  it("finds the requester again by email, case-insensitively, and puts them in the organization of their domain", async () => {
    const a = await t.createTicket({ requester: { email: "new.person@acme.test" } }, t.people.agent1);
    const b = await t.createTicket({ requester: { email: "NEW.PERSON@acme.test" } }, t.people.agent1);
    expect(b.requester).toEqual(a.requester);
    expect(a.organization).toMatchObject({ id: t.orgId });
  });

  it("creates one customer when several tickets from a new address arrive at once", async () => {
    const body = { subject: "Bersamaan", description: "Dikirim bersamaan", requester: { email: "serentak@example.com" } };
    const results = await Promise.all(Array.from({ length: 8 }, () => t.inject("POST", "/api/v1/tickets", { body })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(results.map((r) => r.body.requester.id)).size).toBe(1);
  });

  it("moves through the state machine and records each change with who and what", async () => {
    const ticket = await t.createTicket();
    const agent = t.people.agent1;
    const open = await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, { token: agent.token, body: { status: "open", assignee_id: agent.id } });
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ status: "open", assignee: { id: agent.id }, version: 1 });
    const solved = await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, { token: agent.token, body: { status: "solved", resolution_code: "fixed" } });
    expect(solved.body).toMatchObject({ status: "solved", resolution_code: "fixed", solved_tier: 1 });
    expect(solved.body.solved_at).not.toBeNull();

    // A customer reply re-opens a solved ticket.
    const reply = await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, { token: t.people.customer.token, body: { body: "Masih error" } });
    expect(reply.status).toBe(201);
    const after = await t.inject("GET", `/api/v1/tickets/${ticket.id}`);
    expect(after.body).toMatchObject({ status: "open", solved_at: null, resolution_code: null });

    const events = (await t.inject("GET", `/api/v1/tickets/${ticket.id}/events`)).body.items;
    const statusChanges = events.filter((e: any) => e.data.changes?.status).map((e: any) => e.data.changes.status);
    expect(statusChanges).toEqual([
      ["new", "open"],
      ["open", "solved"],
      ["solved", "open"],
    ]);
  });

  it("refuses an invalid transition with 409 and changes nothing", async () => {
    const ticket = await t.createTicket();
    await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, { body: { status: "solved", resolution_code: "answered" } });
    await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, { body: { status: "closed" } });
    const eventsBefore = await t.count("ticket_events");
    const res = await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, { body: { status: "open" } });
    expect(res.status).toBe(409);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: "invalid_transition", errors: [{ path: ["status"] }] });
    expect((await t.inject("GET", `/api/v1/tickets/${ticket.id}`)).body.status).toBe("closed");
    expect(await t.count("ticket_events")).toBe(eventsBefore);
    // and a reply on a closed ticket is refused too
    const msg = await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, { token: t.people.customer.token, body: { body: "halo?" } });
    expect(msg.status).toBe(409);
  });

  it("solving needs a resolution code", async () => {
    const ticket = await t.createTicket();
    const res = await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, { body: { status: "solved" } });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toEqual(["resolution_code"]);
  });

  it("rejects a stale expected_version with 409", async () => {
    const ticket = await t.createTicket();
    await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, { body: { priority: "urgent" } });
    const res = await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, { body: { priority: "low", expected_version: 0 } });
    expect(res.status).toBe(409);
    expect((await t.inject("GET", `/api/v1/tickets/${ticket.id}`)).body.priority).toBe("urgent");
  });

  it("keeps internal notes from customers and records first response", async () => {
    const ticket = await t.createTicket();
    await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, { token: t.people.agent1.token, body: { kind: "note", body: "cek log dulu @agent2" } });
    const reply = await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, { token: t.people.agent1.token, body: { body: "Sedang kami cek" } });
    expect(reply.body).toMatchObject({ kind: "reply", author: { id: t.people.agent1.id } });
    const staffView = (await t.inject("GET", `/api/v1/tickets/${ticket.id}/messages`, { token: t.people.agent2.token })).body.items;
    expect(staffView.map((m: any) => m.kind)).toEqual(["note", "reply"]);
    expect(staffView[0].mentions).toEqual([t.people.agent2.id]);
    const customerView = (await t.inject("GET", `/api/v1/tickets/${ticket.id}/messages`, { token: t.people.customer.token })).body.items;
    expect(customerView.map((m: any) => m.body)).toEqual(["Sedang kami cek"]);
    const after = (await t.inject("GET", `/api/v1/tickets/${ticket.id}`)).body;
    expect(after.status).toBe("open");
    expect(after.first_response_at).toBe(reply.body.created_at);
  });

  it("keeps attachments with their message", async () => {
    const ticket = await t.createTicket();
    const res = await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, {
      token: t.people.customer.token,
      body: { body: "Screenshot terlampir", attachments: [{ filename: "error.png", content_type: "image/png", content_base64: Buffer.from("PNGDATA").toString("base64") }] },
    });
    expect(res.status).toBe(201);
    expect(res.body.attachments).toEqual([{ id: expect.any(String), filename: "error.png", content_type: "image/png", size: 7 }]);
  });

  it("imports a ticket with its original created_at and solved_at (admins only) and records the import", async () => {
    const created = "2025-03-01T09:00:00+07:00";
    const res = await t.inject("POST", "/api/v1/tickets", {
      body: { subject: "Lama", description: "Dari sistem lama", requester: { email: "old@example.com" }, created_at: created, solved_at: "2025-03-02T10:00:00+07:00", resolution_code: "refund" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ created_at: "2025-03-01T02:00:00.000Z", status: "solved", resolution_code: "refund", solved_at: "2025-03-02T03:00:00.000Z" });
    const events = (await t.inject("GET", `/api/v1/tickets/${res.body.id}/events`)).body.items;
    expect(events[0]).toMatchObject({ type: "ticket.imported", at: "2025-03-01T02:00:00.000Z", data: { imported_at: expect.any(String) } });
    const agentTry = await t.inject("POST", "/api/v1/tickets", {
      token: t.people.agent1.token,
      body: { subject: "x", description: "y", requester: { email: "x@example.com" }, created_at: created },
    });
    expect(agentTry.status).toBe(403);
    expect(agentTry.body.errors[0].path).toEqual(["created_at"]);
  });
});

describe("listing", () => {
  let ids: string[] = [];
  beforeAll(async () => {
    const tag = "list-test";
    ids = [];
    for (const priority of ["low", "medium", "high", "urgent", "high"]) {
      ids.push((await t.createTicket({ subject: `Pembayaran gagal ${priority}`, priority, tags: [tag] }, t.people.agent1)).id);
    }
  });

  it("filters by tag, priority and text, newest first", async () => {
    const res = await t.inject("GET", "/api/v1/tickets", { query: { tag: "list-test", priority: "high,urgent" } });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => i.id)).toEqual([ids[4], ids[3], ids[2]]);
    const text = await t.inject("GET", "/api/v1/tickets", { query: { q: "pembayaran urgent" } });
    expect(text.body.items.map((i: any) => i.id)).toEqual([ids[3]]);
  });

  it("searches a ticket by its new words once its subject is changed, and no longer by the old ones", async () => {
    const before = await t.inject("GET", "/api/v1/tickets", { query: { q: "pembayaran low" } });
    expect(before.body.items.map((i: any) => i.id)).toEqual([ids[0]]);
    const ticket = (await t.inject("GET", `/api/v1/tickets/${ids[0]}`)).body;
    const patched = await t.inject("PATCH", `/api/v1/tickets/${ids[0]}`, {
      token: t.people.agent1.token,
      body: { subject: "Refund kartu kredit", expected_version: ticket.version },
    });
    expect(patched.status, patched.text).toBe(200);
    const renamed = await t.inject("GET", "/api/v1/tickets", { query: { q: "refund kartu" } });
    expect(renamed.body.items.map((i: any) => i.id)).toEqual([ids[0]]);
    const old = await t.inject("GET", "/api/v1/tickets", { query: { q: "pembayaran low" } });
    expect(old.body.items).toEqual([]);
  });

  it("finds a ticket by its #number", async () => {
    const ticket = (await t.inject("GET", `/api/v1/tickets/${ids[0]}`)).body;
    const res = await t.inject("GET", "/api/v1/tickets", { query: { q: `#${ticket.number}` } });
    expect(res.body.items.map((i: any) => i.id)).toEqual([ids[0]]);
  });

  it("pages by keyset without gaps or repeats, in any sort", async () => {
    for (const sort of ["-created_at", "priority", "-number"]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: any = await t.inject("GET", "/api/v1/tickets", { query: { tag: "list-test", limit: "2", sort, ...(cursor ? { cursor } : {}) } });
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((i: any) => i.id));
        cursor = res.body.next_cursor;
      } while (cursor);
      expect(seen.sort()).toEqual([...ids].sort());
    }
  });

  it("shows a customer only their own tickets", async () => {
    const mine = await t.createTicket({ subject: "punya saya" });
    const other = await t.createTicket({ subject: "punya orang lain" }, t.people.otherCustomer);
    const res = await t.inject("GET", "/api/v1/tickets", { token: t.people.customer.token, query: { limit: "200" } });
    const seen = res.body.items.map((i: any) => i.id);
    expect(seen).toContain(mine.id);
    expect(seen).not.toContain(other.id);
    expect(res.body.items.every((i: any) => i.requester.id === t.people.customer.id)).toBe(true);
  });
});
