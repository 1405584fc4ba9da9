import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock, startTestApp, type TestApp } from "../harness.ts";

const clock = manualClock(new Date("2026-03-02T03:00:00Z"));
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ clock });
});
afterAll(async () => t?.close());

const problemBody = (title = "Gagal login setelah pembaruan aplikasi") => ({ title });

async function emailsOf(ticketId: string) {
  const rows = await t.db
    .selectFrom("outbox")
    .select(["payload"])
    .where("kind", "=", "email")
    .where("ticket_id", "=", ticketId)
    .orderBy("id")
    .execute();
  return rows.map((r) => r.payload as { to: string; subject: string; text: string; language?: string });
}
const publicReplies = async (ticketId: string) =>
  (await t.inject("GET", `/api/v1/tickets/${ticketId}/messages`, { token: t.people.customer.token })).body.items as {
    body: string;
  }[];

describe("problems", () => {
  it("an agent proposes a problem with tickets linked at once; staff see it on the ticket, the customer does not", async () => {
    const a = await t.createTicket({ subject: "Tidak bisa login 1" });
    const b = await t.createTicket({ subject: "Tidak bisa login 2" });
    const res = await t.inject("POST", "/api/v1/problems", {
      token: t.people.agent1.token,
      body: { ...problemBody(), ticket_ids: [a.id, b.id] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: "investigating",
      ticket_count: 2,
      open_ticket_count: 2,
      workaround: null,
    });
    expect(res.body.tickets.map((x: { id: string }) => x.id).sort()).toEqual([a.id, b.id].sort());

    const staff = await t.inject("GET", `/api/v1/tickets/${a.id}`, { token: t.people.agent2.token });
    expect(staff.body.problem).toEqual({
      id: res.body.id,
      number: res.body.number,
      title: "Gagal login setelah pembaruan aplikasi",
      status: "investigating",
      workaround: null,
    });
    const customer = await t.inject("GET", `/api/v1/tickets/${a.id}`, { token: t.people.customer.token });
    expect(customer.status).toBe(200);
    expect(customer.body).not.toHaveProperty("problem");
    const events = await t.inject("GET", `/api/v1/tickets/${a.id}/events`, { token: t.people.agent1.token });
    expect(events.body.items.map((e: { type: string }) => e.type)).toContain("problem.linked");
    const customerEvents = await t.inject("GET", `/api/v1/tickets/${a.id}/events`, { token: t.people.customer.token });
    expect(JSON.stringify(customerEvents.body)).not.toContain("problem");

    // Agents link and propose; the status is the supervisors'.
    const agentPatch = await t.inject("PATCH", `/api/v1/problems/${res.body.id}`, {
      token: t.people.agent1.token,
      body: { status: "fixed" },
    });
    expect(agentPatch.status).toBe(403);
    expect(
      (await t.db.selectFrom("problems").select("status").where("id", "=", res.body.id).executeTakeFirstOrThrow())
        .status,
    ).toBe("investigating");
  });

  it("customers get 403 on every problem route", async () => {
    const as = { token: t.people.customer.token };
    expect((await t.inject("GET", "/api/v1/problems", as)).status).toBe(403);
    expect((await t.inject("POST", "/api/v1/problems", { ...as, body: problemBody() })).status).toBe(403);
  });

  it("known_error needs a workaround, which linked tickets then show their agents", async () => {
    const ticket = await t.createTicket();
    const p = (
      await t.inject("POST", "/api/v1/problems", { body: { title: "Sinkronisasi lambat", ticket_ids: [ticket.id] } })
    ).body;
    const without = await t.inject("PATCH", `/api/v1/problems/${p.id}`, {
      token: t.people.supervisor.token,
      body: { status: "known_error" },
    });
    expect(without.status).toBe(422);
    expect(without.headers["content-type"]).toContain("application/problem+json");
    expect(without.body.errors).toEqual([expect.objectContaining({ path: ["workaround"] })]);
    const ok = await t.inject("PATCH", `/api/v1/problems/${p.id}`, {
      token: t.people.supervisor.token,
      body: { status: "known_error", workaround: "Hapus cache aplikasi lalu masuk lagi." },
    });
    expect(ok.status).toBe(200);
    const view = await t.inject("GET", `/api/v1/tickets/${ticket.id}`, { token: t.people.agent1.token });
    expect(view.body.problem).toMatchObject({
      status: "known_error",
      workaround: "Hapus cache aplikasi lalu masuk lagi.",
    });
    const events = await t.inject("GET", `/api/v1/tickets/${ticket.id}/events`, { token: t.people.agent1.token });
    expect(events.body.items.map((e: { type: string }) => e.type)).toContain("problem.known_error");
  });

  it("fixed: each linked open ticket's customer is told once, in their language, and the ticket is solved when asked", async () => {
    const id = await t.createTicket({ subject: "Aplikasi keluar sendiri" });
    const en = await t.createTicket({ subject: "App logs me out", language: "en" });
    const solved = await t.createTicket({ subject: "Sudah selesai" });
    await t.inject("PATCH", `/api/v1/tickets/${solved.id}`, {
      body: { status: "solved", resolution_code: "answered" },
    });
    const p = (
      await t.inject("POST", "/api/v1/problems", {
        body: {
          title: "Sesi kedaluwarsa terlalu cepat",
          ticket_ids: [id.id, en.id, solved.id],
          owner_id: t.people.supervisor.id,
        },
      })
    ).body;
    await t.db.deleteFrom("outbox").execute();

    const fixed = await t.inject("PATCH", `/api/v1/problems/${p.id}`, {
      token: t.people.supervisor.token,
      body: {
        status: "fixed",
        resolution_message_id: "Masalah sesi sudah kami perbaiki. Silakan masuk kembali.",
        resolution_message_en: "We fixed the session problem. Please sign in again.",
        solve_linked: true,
        resolution_code: "fixed",
      },
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body.status).toBe("fixed");
    expect(fixed.body.tickets.filter((x: { notified: boolean }) => x.notified)).toHaveLength(2);

    expect((await publicReplies(id.id)).at(-1)!.body).toBe("Masalah sesi sudah kami perbaiki. Silakan masuk kembali.");
    expect((await publicReplies(en.id)).at(-1)!.body).toBe("We fixed the session problem. Please sign in again.");
    const mailsId = await emailsOf(id.id);
    const mailsEn = await emailsOf(en.id);
    expect(mailsId).toHaveLength(1);
    expect(mailsEn).toHaveLength(1);
    expect(mailsId[0]!.text).toContain("Masalah sesi sudah kami perbaiki.");
    expect(mailsEn[0]!.text).toContain("We fixed the session problem.");
    expect(mailsId[0]!.to).toBe(t.people.customer.email);
    expect(await emailsOf(solved.id)).toHaveLength(0);
    const after = await t.inject("GET", `/api/v1/tickets/${id.id}`, { token: t.people.agent1.token });
    expect(after.body).toMatchObject({ status: "solved", resolution_code: "fixed" });
    const reply = (await t.inject("GET", `/api/v1/tickets/${id.id}/messages`)).body.items.at(-1);
    expect(reply.author).toMatchObject({ id: t.people.supervisor.id });

    // Again: fixed twice, and reopened then fixed, tell nobody a second time.
    await t.inject("PATCH", `/api/v1/problems/${p.id}`, {
      token: t.people.supervisor.token,
      body: { status: "fixed" },
    });
    await t.inject("PATCH", `/api/v1/tickets/${id.id}`, { body: { status: "open" } });
    await t.inject("PATCH", `/api/v1/problems/${p.id}`, {
      token: t.people.supervisor.token,
      body: { status: "investigating" },
    });
    const again = await t.inject("PATCH", `/api/v1/problems/${p.id}`, {
      token: t.people.supervisor.token,
      body: { status: "fixed" },
    });
    expect(again.status).toBe(200);
    expect(await emailsOf(id.id)).toHaveLength(1);
    expect(await emailsOf(en.id)).toHaveLength(1);
    expect(await t.count("problem_notices")).toBe(2);
  });

  it("two concurrent PATCHes to fixed tell each customer once", async () => {
    const tickets = await Promise.all([1, 2, 3].map((i) => t.createTicket({ subject: `Pembayaran gagal ${i}` })));
    const p = (
      await t.inject("POST", "/api/v1/problems", {
        body: { title: "Gerbang pembayaran", ticket_ids: tickets.map((x) => x.id) },
      })
    ).body;
    await t.db.deleteFrom("outbox").execute();
    const results = await Promise.all(
      [t.people.supervisor, t.people.admin].map((who) =>
        t.inject("PATCH", `/api/v1/problems/${p.id}`, { token: who.token, body: { status: "fixed" } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    for (const x of tickets) {
      const mails = await emailsOf(x.id);
      expect(mails).toHaveLength(1);
      // Nobody wrote a message for the customer: the default update in the ticket's language.
      expect(mails[0]!.text).toContain("masalah yang menyebabkan permintaan Anda sudah kami perbaiki");
      expect((await publicReplies(x.id)).filter((m) => m.body.startsWith("Kabar baik"))).toHaveLength(1);
    }
  });

  describe("bad input: a 4xx problem+json naming the field, nothing written", () => {
    const counts = async () => ({
      problems: await t.count("problems"),
      links: await t.count("problem_tickets"),
      events: await t.count("ticket_events"),
    });

    it.each([
      ["an empty title", { title: "  " }, "title"],
      ["a title too long", { title: "x".repeat(201) }, "title"],
      ["no title", {}, "title"],
      ["an unknown ticket", { title: "Ok", ticket_ids: ["00000000-0000-4000-8000-000000000001"] }, "ticket_ids"],
      ["an unknown field", { title: "Ok", status: "fixed" }, ""],
    ])("creating with %s", async (_name, body, field) => {
      const before = await counts();
      const res = await t.inject("POST", "/api/v1/problems", { body });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      if (field) expect(res.body.errors.map((e: { path: string[] }) => e.path[0])).toContain(field);
      expect(await counts()).toEqual(before);
    });

    it("an unknown status, known_error without workaround, linking twice, an unknown ticket", async () => {
      const ticket = await t.createTicket();
      const other = (await t.inject("POST", "/api/v1/problems", { body: { title: "Lain", ticket_ids: [ticket.id] } }))
        .body;
      const p = (await t.inject("POST", "/api/v1/problems", { body: { title: "Utama" } })).body;
      const before = await counts();
      const bad = [
        [await t.inject("PATCH", `/api/v1/problems/${p.id}`, { body: { status: "resolved" } }), 422, "status"],
        [await t.inject("PATCH", `/api/v1/problems/${p.id}`, { body: { status: "known_error" } }), 422, "workaround"],
        [await t.inject("PATCH", `/api/v1/problems/${p.id}`, { body: { title: "" } }), 422, "title"],
        [
          await t.inject("POST", `/api/v1/problems/${p.id}/tickets`, { body: { ticket_id: ticket.id } }),
          409,
          "ticket_id",
        ],
        [
          await t.inject("POST", `/api/v1/problems/${other.id}/tickets`, { body: { ticket_id: ticket.id } }),
          409,
          "ticket_id",
        ],
        [
          await t.inject("POST", `/api/v1/problems/${p.id}/tickets`, {
            body: { ticket_id: "00000000-0000-4000-8000-000000000002" },
          }),
          422,
          "ticket_id",
        ],
        [await t.inject("POST", `/api/v1/problems/${p.id}/tickets`, { body: { ticket_id: "nope" } }), 422, "ticket_id"],
      ] as const;
      for (const [res, status, field] of bad) {
        expect(res.status, JSON.stringify(res.body)).toBe(status);
        expect(res.headers["content-type"]).toContain("application/problem+json");
        expect(res.body.errors.map((e: { path: string[] }) => e.path[0])).toContain(field);
      }
      expect(await counts()).toEqual(before);
      const row = await t.db.selectFrom("problems").selectAll().where("id", "=", p.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: "investigating", title: "Utama", version: 0 });
    });

    it("unlinking a ticket that is not linked is a 404; unlinking a linked one records it", async () => {
      const ticket = await t.createTicket();
      const p = (await t.inject("POST", "/api/v1/problems", { body: { title: "Lepas" } })).body;
      expect((await t.inject("DELETE", `/api/v1/problems/${p.id}/tickets/${ticket.id}`)).status).toBe(404);
      expect(
        (
          await t.inject("POST", `/api/v1/problems/${p.id}/tickets`, {
            token: t.people.agent1.token,
            body: { ticket_id: ticket.id },
          })
        ).status,
      ).toBe(200);
      const res = await t.inject("DELETE", `/api/v1/problems/${p.id}/tickets/${ticket.id}`, {
        token: t.people.agent1.token,
      });
      expect(res.status).toBe(200);
      expect(res.body.ticket_count).toBe(0);
      const view = await t.inject("GET", `/api/v1/tickets/${ticket.id}`, { token: t.people.agent1.token });
      expect(view.body.problem).toBeNull();
    });
  });

  it("lists by status and title words", async () => {
    const res = await t.inject("GET", "/api/v1/problems", { token: t.people.agent1.token, query: { status: "fixed" } });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items.every((p: { status: string }) => p.status === "fixed")).toBe(true);
    const q = await t.inject("GET", "/api/v1/problems", { token: t.people.agent1.token, query: { q: "pembayaran" } });
    expect(q.body.items.map((p: { title: string }) => p.title)).toEqual(["Gerbang pembayaran"]);
  });
});

describe("report: tickets and escalations per problem", () => {
  it("counts linked tickets created and escalations made in the period, in Jakarta days", async () => {
    // Clock: 2026-03-02 10:00 WIB. Tickets made now belong to 2026-03-02.
    const a = await t.createTicket({ subject: "Laporan 1" });
    const b = await t.createTicket({ subject: "Laporan 2" });
    const p = (
      await t.inject("POST", "/api/v1/problems", { body: { title: "Laporan ganda", ticket_ids: [a.id, b.id] } })
    ).body;
    // 23:30 WIB on March 1st is 16:30 UTC: the day before the period.
    await t.db
      .updateTable("tickets")
      .set({ created_at: new Date("2026-03-01T16:30:00Z") })
      .where("id", "=", b.id)
      .execute();
    const esc = (ticketId: string, at: string, type = "hierarchical") => ({
      ticket_id: ticketId,
      type,
      reason: "too_complex",
      trigger: "manual",
      from_tier: 1,
      to_tier: 2,
      created_at: new Date(at),
    });
    await t.db
      .insertInto("escalations")
      .values([
        esc(a.id, "2026-03-02T03:30:00Z"),
        esc(b.id, "2026-03-01T17:00:00Z"), // 00:00 WIB March 2nd: in
        esc(b.id, "2026-03-01T16:59:00Z"), // 23:59 WIB March 1st: out
        esc(a.id, "2026-03-02T03:40:00Z", "reassignment"), // not an escalation up or across
      ])
      .execute();
    const res = await t.inject("GET", "/api/v1/reports/problems", {
      token: t.people.supervisor.token,
      query: { from: "2026-03-02", to: "2026-03-02" },
    });
    expect(res.status).toBe(200);
    expect(res.body.time_zone).toBe("Asia/Jakarta");
    const row = res.body.items.find((r: { problem: { id: string } }) => r.problem.id === p.id);
    expect(row).toEqual({
      problem: { id: p.id, number: p.number, title: "Laporan ganda", status: "investigating" },
      tickets: 1,
      escalations: 2,
      tickets_total: 2,
    });
    expect((await t.inject("GET", "/api/v1/reports/problems", { token: t.people.agent1.token })).status).toBe(403);
    const bad = await t.inject("GET", "/api/v1/reports/problems", { query: { from: "2026-03-05", to: "2026-03-01" } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string[] }) => e.path[0])).toContain("from");
  });
});
