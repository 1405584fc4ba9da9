import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock, startTestApp, type TestApp } from "../harness.ts";
import { createCalendar, createPolicy, fireAll, wib } from "../sla/helpers.ts";

const clock = manualClock(wib(2, "09:00"));
let t: TestApp;
let ruleId = "";
beforeAll(async () => {
  t = await startTestApp({ clock });
  const cal = await createCalendar(t);
  await createPolicy(t, {
    calendar_id: cal.id,
    targets: { medium: { first_response: 600, next_response: 30, resolution: 60 } },
    tier_budgets: {},
    ladder: [],
  });
  const rule = await t.inject("POST", "/api/v1/escalation-rules", {
    body: {
      name: "Penyelesaian terlewati: naik tier",
      event: "sla.breached",
      conditions: { all: [{ field: "event.target", op: "is", value: "resolution" }] },
      actions: [{ type: "escalate", to: { tier: "next" }, reason: "sla_breach" }],
    },
  });
  expect(rule.status).toBe(201);
  ruleId = rule.body.id;
});
afterAll(async () => t?.close());

const say = async (ticketId: string, token: string, body: string, kind: "reply" | "note" = "reply") => {
  const res = await t.inject("POST", `/api/v1/tickets/${ticketId}/messages`, { token, body: { kind, body } });
  expect(res.status).toBe(201);
};

describe("a deadline's escalation carries a handoff composed from the ticket", () => {
  it("says what the customer asked, what was done, the SLA state and why; the customer never sees it", async () => {
    clock.set(wib(2, "09:00"));
    const { customer, agent1 } = t.people;
    const long = `Kartu saya ditolak saat membayar tagihan Maret. ${"Sudah saya coba berkali-kali dengan kartu lain juga. ".repeat(8)}`;
    const a = await t.createTicket({ subject: "Pembayaran gagal", description: long });
    const b = await t.createTicket({ subject: "Faktur ganda", description: "Faktur April tertagih dua kali" });
    clock.set(wib(2, "09:10"));
    await say(a.id, agent1.token, "Kami sedang memeriksa transaksi Anda.");
    await say(a.id, agent1.token, "Gateway returns 502 for BIN 4111", "note");
    clock.set(wib(2, "09:15"));
    await say(a.id, agent1.token, "Asked payments team in #pay-ops", "note");
    clock.set(wib(2, "09:20"));
    await say(a.id, customer.token, "Masih gagal. Tolong segera dibantu!");

    clock.set(wib(2, "10:30"));
    expect(await fireAll(t)).toBeGreaterThan(0);

    const staff = (await t.inject("GET", `/api/v1/tickets/${a.id}`)).body;
    expect(staff.tier).toBe(2);
    const h = staff.handoff_note.handoff;
    expect(h.asked.first.text).toMatch(/^Kartu saya ditolak saat membayar tagihan Maret\. .*…$/);
    expect(h.asked.first.shortened).toBe(true);
    expect(h.asked.first.text.length).toBeLessThanOrEqual(241);
    expect(h.asked.latest).toMatchObject({
      text: "Masih gagal. Tolong segera dibantu!",
      at: wib(2, "09:20").toISOString(),
    });
    expect(h.done.last_reply).toMatchObject({ text: "Kami sedang memeriksa transaksi Anda.", author: "agent1" });
    expect(h.done.notes_count).toBe(2);
    expect(h.done.latest_note).toMatchObject({ text: "Asked payments team in #pay-ops", author: "agent1" });
    // 09:00 → 10:30 WIB, open all the way: 90 minutes both ways.
    expect(h.done.in_tier).toEqual({ since: wib(2, "09:00").toISOString(), wall_minutes: 90, business_minutes: 90 });
    expect(h.sla).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ target: "resolution", state: "breached" }),
        expect.objectContaining({ target: "next_response", state: "breached" }),
      ]),
    );
    expect(h.why).toEqual({
      kind: "deadline",
      rule: "Penyelesaian terlewati: naik tier",
      event: "sla.breached",
      target: "resolution",
      threshold: null,
      minutes: null,
    });
    expect(h).toMatchObject({ from_tier: 1, to_tier: 2 });

    // The escalation record holds the same handoff; the other ticket of the batch has its own.
    const records = (await t.inject("GET", `/api/v1/tickets/${a.id}/escalations`)).body.items;
    expect(records.at(-1).handoff).toEqual(h);
    const other = (await t.inject("GET", `/api/v1/tickets/${b.id}`)).body.handoff_note.handoff;
    expect(other.asked.first.text).toBe("Faktur April tertagih dua kali");
    expect(other.done).toMatchObject({ last_reply: null, notes_count: 0, latest_note: null });

    // Whoever now has the ticket is told why, with the customer's words.
    const notice = (
      await t.db
        .selectFrom("outbox")
        .select("payload")
        .where("ticket_id", "=", a.id)
        .where("kind", "=", "notification")
        .execute()
    )
      .map((r) => r.payload as unknown as { kind: string; params: Record<string, unknown> })
      .find((n) => n.kind === "escalated");
    expect(notice?.params).toMatchObject({
      why: "deadline",
      rule: "Penyelesaian terlewati: naik tier",
      event: "sla.breached",
      target: "resolution",
      asked: "Masih gagal. Tolong segera dibantu!",
    });

    // The customer's view has none of it: no handoff, no internal note, no rule.
    for (const url of [`/api/v1/tickets/${a.id}`, `/api/v1/tickets/${a.id}/events`]) {
      const res = await t.inject("GET", url, { token: customer.token });
      expect(res.status).toBe(200);
      expect(res.text).not.toMatch(/handoff|Gateway returns|pay-ops|Penyelesaian terlewati/);
    }
  });

  it("a customer's request carries their reason and words; a person's escalation keeps their own note only", async () => {
    clock.set(wib(3, "09:00"));
    const { customer, agent1 } = t.people;
    await t.inject("PATCH", `/api/v1/escalation-rules/${ruleId}`, { body: { enabled: false } });
    const c = await t.createTicket({ subject: "Akun terkunci", description: "Akun saya terkunci" });
    const req = await t.inject("POST", `/api/v1/tickets/${c.id}/escalation-requests`, {
      token: customer.token,
      body: { reason: "too_slow", text: "Sudah dua hari   tidak ada jawaban" },
    });
    expect(req.status).toBe(201);
    const after = (await t.inject("GET", `/api/v1/tickets/${c.id}`)).body;
    expect(after.handoff_note.handoff.why).toEqual({
      kind: "customer",
      reason: "too_slow",
      words: "Sudah dua hari tidak ada jawaban",
    });
    expect(after.handoff_note.body).toBe("Pelanggan meminta eskalasi.");
    const mine = await t.inject("GET", `/api/v1/tickets/${c.id}`, { token: customer.token });
    expect(mine.text).not.toMatch(/handoff/);

    const d = await t.createTicket({ subject: "Lupa sandi", description: "Tidak bisa reset sandi" });
    const esc = await t.inject("POST", `/api/v1/tickets/${d.id}/escalations`, {
      token: agent1.token,
      body: { to: { tier: "next" }, reason: "too_complex", note: "Reset link expired twice; needs tier 2 access" },
    });
    expect(esc.status).toBe(201);
    expect(esc.body.handoff ?? null).toBeNull();
    const note = (await t.inject("GET", `/api/v1/tickets/${d.id}`)).body.handoff_note;
    expect(note.body).toBe("Reset link expired twice; needs tier 2 access");
    expect(note.handoff).toBeUndefined();
  });
});
