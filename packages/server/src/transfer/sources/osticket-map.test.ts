import { describe, expect, it } from "vitest";
import { entryText, languageOf, mapEntry, mapSlaPlan, mapTicket, type Known, type TicketRow } from "./osticket-map.ts";

const known: Known = {
  orgs: new Set([1]),
  departments: new Set([1]),
  topics: new Set([2]),
  slas: new Set([3]),
  staff: new Set([4]),
};
const row = (over: Partial<TicketRow> = {}): TicketRow => ({
  ticket_id: 7,
  number: "123456",
  user_id: 5,
  user_exists: 5,
  org_id: 1,
  status_name: "Open",
  state: "open",
  dept_id: 1,
  sla_id: 3,
  topic_id: 2,
  staff_id: 4,
  source: "Email",
  isoverdue: 0,
  subject: "Tagihan ganda",
  priority_name: "normal",
  created: new Date("2026-01-05T02:00:00Z"),
  updated: new Date("2026-01-05T03:00:00Z"),
  closed: null,
  ...over,
});

describe("osTicket rows → transfer records", () => {
  it.each([
    ["open", "Open", "open"],
    ["closed", "Resolved", "solved"],
    ["closed", "Closed", "closed"],
    ["archived", "Archived", "closed"],
  ])("state %s (%s) becomes %s", (state, name, status) => {
    const m = mapTicket(row({ state, status_name: name, closed: new Date("2026-01-06T00:00:00Z") }), known);
    expect(m.ok && m.record.status).toBe(status);
    if (m.ok && status !== "open") expect(m.record.solved_at).toBe("2026-01-06T00:00:00.000Z");
  });

  it("leaves out deleted tickets and tickets whose user is gone, saying why", () => {
    expect(mapTicket(row({ state: "deleted" }), known)).toEqual({ ok: false, reason: "it was deleted in osTicket" });
    expect(mapTicket(row({ user_exists: null, user_id: 99 }), known)).toEqual({
      ok: false,
      reason: "its user 99 does not exist",
    });
  });

  it.each([
    ["low", "low"],
    ["normal", "medium"],
    ["high", "high"],
    ["emergency", "urgent"],
    [null, "medium"],
  ])("priority %s becomes %s", (name, priority) => {
    const m = mapTicket(row({ priority_name: name }), known);
    expect(m.ok && m.record.priority).toBe(priority);
  });

  it("keeps only references to records it yields, and the overdue flag of open tickets as a tag", () => {
    const m = mapTicket(row({ dept_id: 9, staff_id: 8, isoverdue: 1 }), known);
    expect(m.ok && m.record).toMatchObject({
      group_key: null,
      assignee_key: null,
      category_key: "osticket:topic:2",
      sla_policy_key: "osticket:sla:3",
      org_key: "osticket:org:1",
      channel: "email",
      tags: ["osticket-overdue"],
    });
  });

  it("maps M to the customer's message, R to a public reply, N to an internal note, and other types are skipped", () => {
    const e = {
      id: 1,
      ticket_id: 7,
      staff_id: 4,
      user_id: 0,
      body: "<p>a &amp; b</p>",
      format: "html",
      created: new Date("2026-01-05T02:00:00Z"),
    };
    const m = mapEntry({ ...e, type: "M" }, 5, known, []);
    expect(m.ok && m.record).toMatchObject({ author_key: "osticket:user:5", public: true, body_text: "a & b" });
    expect(mapEntry({ ...e, type: "R" }, 5, known, [])).toMatchObject({
      record: { author_key: "osticket:staff:4", public: true },
    });
    expect(mapEntry({ ...e, type: "N" }, 5, known, [])).toMatchObject({ record: { public: false } });
    expect(mapEntry({ ...e, type: "X" }, 5, known, []).ok).toBe(false);
  });

  it("turns an SLA plan's grace period into a resolution target and skips a plan of 0 hours", () => {
    const plan = { id: 3, name: "Default SLA", grace_period: 18, flags: 1, schedule_id: 0 };
    const m = mapSlaPlan(plan, { departmentKeys: ["osticket:department:1"], topicKeys: [] }, 0);
    expect(m.ok && m.record).toMatchObject({
      enabled: true,
      business_hours: false,
      targets: { high: { resolution: 1080 } },
      conditions: { group_keys: ["osticket:department:1"] },
    });
    expect(mapSlaPlan({ ...plan, grace_period: 0 }, { departmentKeys: [], topicKeys: [] }, 0).ok).toBe(false);
  });

  it("reads languages and text bodies", () => {
    expect([languageOf("id"), languageOf("id_ID"), languageOf("en_US"), languageOf(null)]).toEqual([
      "id",
      "id",
      "en",
      undefined,
    ]);
    expect(entryText("plain <b>kept</b>", "text")).toBe("plain <b>kept</b>");
    expect(entryText("<p>Halo</p><p>Terima kasih</p>", "html")).toBe("Halo\n\nTerima kasih");
  });
});
