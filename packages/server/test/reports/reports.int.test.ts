import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { manualClock, startTestApp, type TestApp } from "../harness.ts";

/**
 * The escalation review's reports on a fixture whose every figure was worked out by hand.
 * Period: October 2026 in Asia/Jakarta (WIB = UTC+7), under a Mon-Fri 08:00-17:00 calendar.
 *
 * T1  Mon 05 Oct 09:00 WIB  Pembayaran, email, high    1→2 at 10:00 (missing_skill, agent); solved at 2, 12:00; rated 5
 * T2  Fri 09 Oct 16:00 WIB  Pembayaran, web, medium    1→2 Mon 12 09:00 (too_complex); 2→1 11:00 (de-escalation);
 *                                                       1→2 15:00 (missing_skill, rule); solved at 2 Tue 13 09:00;
 *                                                       rated 1 then 2 (the latest counts) — it bounced
 * T3  Wed 14 Oct 10:00 WIB  Akun, chat, low            never moved; solved at 1, 11:00; rated 4
 * T4  Thu 15 Oct 10:00 WIB  no category, web, medium  deflected: solved at tier 0
 * T5  Sat 31 Oct 23:30 WIB  Akun, email, urgent        1→2 Sun 1 Nov 01:30 WIB (sla_breach, sla_timer): an October
 *                                                       ticket whose escalation is November's; open
 * T6  Sun 1 Nov 00:30 WIB   Akun (November's ticket, although 31 Oct in UTC); 1→2 Mon 2 Nov 09:00
 * T7  Wed 30 Sep 23:30 WIB  Pembayaran (September's); 1→2 Thu 1 Oct 09:00 (too_complex): October's escalation
 */
let t: TestApp;
const cat = { bayar: "", akun: "" };
const tk: Record<string, { id: string; number: number }> = {};
const wib = (local: string) => new Date(`${local}:00+07:00`);
const OCT = "from=2026-10-01&to=2026-10-31";

async function ticket(
  key: string,
  o: {
    subject?: string;
    created: string;
    category: string | null;
    channel: "email" | "web" | "chat";
    priority: "low" | "medium" | "high" | "urgent";
    tier: number;
    status: "open" | "solved";
    solved?: string;
    solvedTier?: number;
    escalations?: number;
    escalatedAt?: string;
    assignee?: string | null;
  },
) {
  const row = await t.db
    .insertInto("tickets")
    .values({
      subject: o.subject ?? `Tiket ${key}`,
      description: `Deskripsi ${key}`,
      requester_id: t.people.customer.id,
      channel: o.channel,
      status: o.status,
      priority: o.priority,
      priority_rank: { low: 0, medium: 1, high: 2, urgent: 3 }[o.priority],
      category_id: o.category,
      tags: [],
      tier: o.tier,
      group_id: o.tier === 2 ? t.groups.technical : o.tier === 1 ? t.groups.frontline : null,
      assignee_id: o.assignee === undefined ? t.people.agent1.id : o.assignee,
      escalation_count: o.escalations ?? 0,
      escalated_at: o.escalatedAt ? wib(o.escalatedAt) : null,
      solved_at: o.solved ? wib(o.solved) : null,
      solved_tier: o.solvedTier ?? null,
      created_at: wib(o.created),
      updated_at: wib(o.created),
    })
    .returning(["id", "number"])
    .executeTakeFirstOrThrow();
  tk[key] = { id: row.id, number: Number(row.number) };
  return row.id;
}

async function move(
  key: string,
  o: {
    at: string;
    from: number;
    to: number;
    reason: string;
    type?: string;
    trigger?: string;
    fromAgent?: string | null;
    toAgent?: string | null;
    note?: string | null;
    reasonText?: string;
  },
) {
  const group = (tier: number) => (tier === 2 ? t.groups.technical : t.groups.frontline);
  await t.db
    .insertInto("escalations")
    .values({
      ticket_id: tk[key]!.id,
      type: o.type ?? "hierarchical",
      reason: o.reason,
      reason_text: o.reasonText ?? null,
      trigger: o.trigger ?? "agent",
      actor_id: (o.trigger ?? "agent") === "agent" ? (o.fromAgent ?? null) : null,
      from_tier: o.from,
      to_tier: o.to,
      from_group_id: group(o.from),
      to_group_id: group(o.to),
      from_assignee_id: o.fromAgent === undefined ? t.people.agent1.id : o.fromAgent,
      to_assignee_id: o.toAgent === undefined ? t.people.agent2.id : o.toAgent,
      note: o.note === undefined ? "Catatan serah terima" : o.note,
      created_at: wib(o.at),
    })
    .execute();
}

async function rate(key: string, rating: number, escalated: boolean, at: string) {
  await t.db
    .insertInto("csat_surveys")
    .values({
      ticket_id: tk[key]!.id,
      requester_id: t.people.customer.id,
      solved_at: wib(at),
      solved_tier: 1,
      escalated,
      expires_at: wib("2026-12-31 00:00"),
      rating,
      rated_at: wib(at),
      created_at: wib(at),
    })
    .execute();
}

const rec = (state: "achieved" | "breached" | null, breachedAt: number | null = null) => ({
  s: 1,
  w: 0,
  b: breachedAt,
  ...(state ? { f: { state, due: 2, stop: 3 } } : {}),
});
async function ledger(key: string, pri: string, records: Record<string, unknown>) {
  await t.db
    .insertInto("ticket_sla" as never)
    .values({
      ticket_id: tk[key]!.id,
      policy_id: null,
      policy_version: null,
      ledger: JSON.stringify({
        v: 1,
        created: 0,
        tier0: 1,
        pri,
        st: [],
        msg: [],
        tiers: [],
        esc: null,
        upd: null,
        rec: records,
        idle: null,
      }),
    } as never)
    .execute();
}

const get = (url: string, token?: string, headers?: Record<string, string>) =>
  t.inject("GET", url, { ...(token ? { token } : {}), ...(headers ? { headers } : {}) });

beforeAll(async () => {
  t = await startTestApp({ clock: manualClock(new Date("2026-11-20T03:00:00Z")) });
  for (const [key, name] of [
    ["bayar", "Pembayaran"],
    ["akun", "Akun & Login"],
  ] as const)
    cat[key] = (await t.db.insertInto("categories").values({ name }).returning("id").executeTakeFirstOrThrow()).id;
  const calendar = await t.db
    .insertInto("calendars")
    .values({
      name: "Kantor Jakarta",
      definition: JSON.stringify({
        timezone: "Asia/Jakarta",
        weekly: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [["08:00", "17:00"]]])),
      }),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto("sla_policies")
    .values({
      name: "Standar",
      position: 1,
      calendar_id: calendar.id,
      definition: JSON.stringify({ conditions: {}, pause_on_hold: false, targets: {}, tier_budgets: {}, ladder: [] }),
    })
    .execute();

  const a2 = t.people.agent2.id;
  await ticket("T1", {
    created: "2026-10-05 09:00",
    category: cat.bayar,
    channel: "email",
    priority: "high",
    tier: 2,
    status: "solved",
    solved: "2026-10-05 12:00",
    solvedTier: 2,
    escalations: 1,
    escalatedAt: "2026-10-05 10:00",
    assignee: a2,
  });
  await move("T1", { at: "2026-10-05 10:00", from: 1, to: 2, reason: "missing_skill" });
  await ticket("T2", {
    subject: 'Gagal bayar, "kartu" ditolak\nlagi',
    created: "2026-10-09 16:00",
    category: cat.bayar,
    channel: "web",
    priority: "medium",
    tier: 2,
    status: "solved",
    solved: "2026-10-13 09:00",
    solvedTier: 2,
    escalations: 2,
    escalatedAt: "2026-10-12 15:00",
    assignee: a2,
  });
  await move("T2", {
    at: "2026-10-12 09:00",
    from: 1,
    to: 2,
    reason: "too_complex",
    reasonText: 'Butuh akses, "admin"\nsistem',
  });
  await move("T2", {
    at: "2026-10-12 11:00",
    from: 2,
    to: 1,
    reason: "other",
    type: "de_escalation",
    fromAgent: a2,
    toAgent: t.people.agent1.id,
  });
  await move("T2", { at: "2026-10-12 15:00", from: 1, to: 2, reason: "missing_skill", trigger: "rule", note: null });
  await ticket("T3", {
    created: "2026-10-14 10:00",
    category: cat.akun,
    channel: "chat",
    priority: "low",
    tier: 1,
    status: "solved",
    solved: "2026-10-14 11:00",
    solvedTier: 1,
  });
  await ticket("T4", {
    created: "2026-10-15 10:00",
    category: null,
    channel: "web",
    priority: "medium",
    tier: 0,
    status: "solved",
    solved: "2026-10-15 10:05",
    solvedTier: 0,
    assignee: null,
  });
  await ticket("T5", {
    created: "2026-10-31 23:30",
    category: cat.akun,
    channel: "email",
    priority: "urgent",
    tier: 2,
    status: "open",
    escalations: 1,
    escalatedAt: "2026-11-01 01:30",
    assignee: null,
  });
  await move("T5", {
    at: "2026-11-01 01:30",
    from: 1,
    to: 2,
    reason: "sla_breach",
    trigger: "sla_timer",
    toAgent: null,
    note: null,
  });
  await ticket("T6", {
    created: "2026-11-01 00:30",
    category: cat.akun,
    channel: "web",
    priority: "medium",
    tier: 2,
    status: "open",
    escalations: 1,
    escalatedAt: "2026-11-02 09:00",
    assignee: a2,
  });
  await move("T6", { at: "2026-11-02 09:00", from: 1, to: 2, reason: "missing_skill" });
  await ticket("T7", {
    created: "2026-09-30 23:30",
    category: cat.bayar,
    channel: "email",
    priority: "medium",
    tier: 2,
    status: "open",
    escalations: 1,
    escalatedAt: "2026-10-01 09:00",
    assignee: a2,
  });
  await move("T7", { at: "2026-10-01 09:00", from: 1, to: 2, reason: "too_complex" });

  await rate("T1", 5, true, "2026-10-05 13:00");
  await rate("T2", 1, true, "2026-10-13 10:00");
  await rate("T2", 2, true, "2026-10-14 10:00");
  await rate("T3", 4, false, "2026-10-14 12:00");

  await ledger("T1", "high", { first_response: rec("achieved"), resolution: rec("achieved") });
  await ledger("T2", "medium", { first_response: rec("achieved"), resolution: rec("breached", 5) });
  await ledger("T5", "urgent", { first_response: rec(null, 7), resolution: rec(null) });
});
afterAll(async () => t?.close());

const ids = (page: { items: { id: string }[] }) => page.items.map((i) => i.id).sort();
const idsOf = (...keys: string[]) => keys.map((k) => tk[k]!.id).sort();

describe("escalation rate", () => {
  it("counts October's tickets (23:30 WIB on the 31st in, 00:30 WIB on the 1st out) and their escalations", async () => {
    const r = await get(`/api/v1/reports/escalation-rate?${OCT}&group_by=category`, t.people.supervisor.token);
    expect(r.status).toBe(200);
    expect(r.body.period).toMatchObject({
      from: "2026-10-01",
      to: "2026-10-31",
      time_zone: "Asia/Jakarta",
      starts_at: "2026-09-30T17:00:00.000Z",
      ends_at: "2026-10-31T17:00:00.000Z",
    });
    expect(r.body.total).toMatchObject({ created: 5, escalated: 3, rate: 0.6 });
    const rows = Object.fromEntries(r.body.rows.map((x: any) => [x.label ?? "none", [x.created, x.escalated, x.rate]]));
    expect(rows).toEqual({ Pembayaran: [2, 2, 1], "Akun & Login": [2, 1, 0.5], none: [1, 0, 0] });
    const bayar = r.body.rows.find((x: any) => x.key === cat.bayar);
    expect(bayar.keys).toEqual({ category: cat.bayar });
    const drill = await get(`/api/v1/reports/tickets?${new URLSearchParams(bayar.escalated_filter)}`);
    expect(ids(drill.body)).toEqual(idsOf("T1", "T2"));
    const none = r.body.rows.find((x: any) => x.key === null);
    expect(ids((await get(`/api/v1/reports/tickets?${new URLSearchParams(none.ticket_filter)}`)).body)).toEqual(
      idsOf("T4"),
    );
  });

  it("November has the ticket of 00:30 WIB on the 1st; compare=previous gives September", async () => {
    const nov = await get(`/api/v1/reports/escalation-rate?from=2026-11-01&to=2026-11-30`);
    expect(nov.body.total).toMatchObject({ created: 1, escalated: 1, rate: 1 });
    const r = await get(`/api/v1/reports/escalation-rate?${OCT}&compare=previous`);
    expect(r.body.previous.period).toMatchObject({ from: "2026-08-31", to: "2026-09-30" });
    expect(r.body.previous.total).toMatchObject({ created: 1, escalated: 1 });
  });
});

describe("escalation counts", () => {
  it("names the reason code and the category of each count, October's records only", async () => {
    const r = await get(`/api/v1/reports/escalations?${OCT}`);
    expect(r.status).toBe(200);
    expect(r.body.group_by).toEqual(["reason", "category"]);
    expect(r.body.total).toMatchObject({ escalations: 5, tickets: 3 });
    const rows = r.body.rows.map((x: any) => [x.keys.reason, x.labels.category, x.escalations, x.tickets]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ["missing_skill", "Pembayaran", 2, 2],
        ["too_complex", "Pembayaran", 2, 2],
        ["other", "Pembayaran", 1, 1],
      ]),
    );
    expect(rows).toHaveLength(3);
    const ms = r.body.rows.find((x: any) => x.keys.reason === "missing_skill");
    expect(ms.keys.category).toBe(cat.bayar);
    expect(ids((await get(`/api/v1/reports/tickets?${new URLSearchParams(ms.ticket_filter)}`)).body)).toEqual(
      idsOf("T1", "T2"),
    );
  });

  it("by trigger and by type", async () => {
    const tr = await get(`/api/v1/reports/escalations?${OCT}&group_by=trigger`);
    expect(tr.body.rows.map((x: any) => [x.key, x.escalations])).toEqual([
      ["agent", 4],
      ["rule", 1],
    ]);
    const ty = await get(`/api/v1/reports/escalations?${OCT}&group_by=type`);
    expect(ty.body.rows.map((x: any) => [x.key, x.escalations])).toEqual([
      ["hierarchical", 4],
      ["de_escalation", 1],
    ]);
    const nov = await get(`/api/v1/reports/escalations?from=2026-11-01&to=2026-11-30&group_by=reason`);
    expect(nov.body.rows.map((x: any) => [x.key, x.escalations]).sort()).toEqual([
      ["missing_skill", 1],
      ["sla_breach", 1],
    ]);
  });
});

describe("times, solved level, SLA, satisfaction, bouncing", () => {
  it("time to first escalation and in each tier, wall and business minutes", async () => {
    const r = await get(`/api/v1/reports/escalation-times?${OCT}`);
    expect(r.status).toBe(200);
    expect(r.body.calendar).toMatchObject({ name: "Kantor Jakarta", time_zone: "Asia/Jakarta" });
    // T1 60/60, T2 3900/120 (Fri 16:00 → Mon 09:00), T5 120/0 (a weekend night).
    expect(r.body.first_escalation).toMatchObject({
      count: 3,
      wall_minutes: { median: 120, p90: 3144 },
      business_minutes: { median: 60, p90: 108 },
    });
    const tiers = Object.fromEntries(r.body.tiers.map((x: any) => [x.tier, x]));
    // Tier 1: T1 60/60, T2 3900/120 and 240/240, T5 120/0.
    expect(tiers[1]).toMatchObject({
      count: 4,
      wall_minutes: { median: 180, p90: 2802 },
      business_minutes: { median: 90, p90: 204 },
    });
    // Tier 2: T1 120/120, T2 120/120 and 1080/180 (Mon 15:00 → Tue 09:00); T5 is still there (not counted).
    expect(tiers[2]).toMatchObject({
      count: 3,
      wall_minutes: { median: 120, p90: 888 },
      business_minutes: { median: 120, p90: 168 },
    });
  });

  it("the level tickets are solved at", async () => {
    const r = await get(`/api/v1/reports/solved-tiers?${OCT}`);
    expect(r.body.total).toMatchObject({ created: 5, solved: 4, unsolved: 1 });
    expect(r.body.rows.map((x: any) => [x.tier, x.solved, x.share])).toEqual([
      [0, 1, 0.25],
      [1, 1, 0.25],
      [2, 2, 0.5],
      [3, 0, 0],
    ]);
    const deflected = r.body.rows[0];
    expect(ids((await get(`/api/v1/reports/tickets?${new URLSearchParams(deflected.ticket_filter)}`)).body)).toEqual(
      idsOf("T4"),
    );
  });

  it("SLA attainment per target and priority", async () => {
    const r = await get(`/api/v1/reports/sla?${OCT}`);
    expect(r.body.rows.map((x: any) => [x.target, x.priority, x.achieved, x.breached, x.open, x.attainment])).toEqual([
      ["first_response", "urgent", 0, 1, 0, 0],
      ["first_response", "high", 1, 0, 0, 1],
      ["first_response", "medium", 1, 0, 0, 1],
      ["resolution", "urgent", 0, 0, 1, null],
      ["resolution", "high", 1, 0, 0, 1],
      ["resolution", "medium", 0, 1, 0, 0],
    ]);
    const breached = r.body.rows[0].ticket_filters.breached;
    expect(ids((await get(`/api/v1/reports/tickets?${new URLSearchParams(breached)}`)).body)).toEqual(idsOf("T5"));
  });

  it("satisfaction of escalated and not escalated tickets, and by path (a ticket's latest rating)", async () => {
    const r = await get(`/api/v1/reports/satisfaction?${OCT}`);
    expect(r.body.escalated).toMatchObject({ count: 2, mean: 3.5, share_4_5: 0.5 });
    expect(r.body.not_escalated).toMatchObject({ count: 1, mean: 4, share_4_5: 1 });
    expect(r.body.paths.map((p: any) => [p.path, p.count, p.mean]).sort()).toEqual([
      ["1", 1, 4],
      ["1-2", 1, 5],
      ["1-2-1-2", 1, 2],
    ]);
    const path = r.body.paths.find((p: any) => p.path === "1-2-1-2");
    expect(ids((await get(`/api/v1/reports/tickets?${new URLSearchParams(path.ticket_filter)}`)).body)).toEqual(
      idsOf("T2"),
    );
    expect(
      ids((await get(`/api/v1/reports/tickets?${new URLSearchParams(r.body.escalated.ticket_filter)}`)).body),
    ).toEqual(idsOf("T1", "T2"));
  });

  it("the ticket that bounced", async () => {
    const r = await get(`/api/v1/reports/bouncing?${OCT}`);
    expect(r.body).toMatchObject({ moved: 3, bounced: 1 });
    expect(r.body.kinds.map((k: any) => [k.kind, k.tickets])).toEqual([
      ["moved_down", 1],
      ["returned", 1],
      ["many_moves", 1],
    ]);
    expect(r.body.tickets).toEqual([
      expect.objectContaining({
        number: tk.T2!.number,
        moves: 3,
        path: [1, 2, 1, 2],
        kinds: ["moved_down", "returned", "many_moves"],
      }),
    ]);
    expect(ids((await get(`/api/v1/reports/tickets?${new URLSearchParams(r.body.ticket_filter)}`)).body)).toEqual(
      idsOf("T2"),
    );
  });
});

describe("who sees what", () => {
  it("an agent sees their own figures; another agent's are a 403; a customer gets 403", async () => {
    const own = await get(`/api/v1/reports/escalation-rate?${OCT}`, t.people.agent1.token);
    expect(own.status).toBe(200);
    expect(own.body.filters).toEqual({ agent_id: t.people.agent1.id });
    // T1, T2 (escalated by agent1), T3 (theirs), T5 (moved from them by the deadline); not T4.
    expect(own.body.total).toMatchObject({ created: 4, escalated: 3 });
    const counts = await get(`/api/v1/reports/escalations?${OCT}&group_by=reason`, t.people.agent1.token);
    // Records that moved tickets away from agent1: T1, T2 twice, T7 (not T2's de-escalation by agent2).
    expect(counts.body.total.escalations).toBe(4);
    const other = await get(`/api/v1/reports/escalations?${OCT}&agent_id=${t.people.agent1.id}`, t.people.agent2.token);
    expect(other.status).toBe(403);
    for (const path of ["escalation-rate", "escalations", "bouncing", "tickets", "escalations.csv"]) {
      const c = await get(`/api/v1/reports/${path}?${OCT}`, t.people.customer.token);
      expect(c.status, path).toBe(403);
    }
    expect((await t.inject("GET", `/api/v1/reports/escalations?${OCT}`, { token: null })).status).toBe(401);
  });
});

describe("bad input", () => {
  const cases: [string, string][] = [
    ["from=2026-11-01&to=2026-10-01", "from"],
    ["from=2024-01-01&to=2026-01-02", "to"],
    ["from=2026-02-30&to=2026-03-01", "from"],
    [`${OCT}&group_by=colour`, "group_by"],
    [`${OCT}&group_id=00000000-0000-4000-8000-000000000001`, "group_id"],
    [`${OCT}&category_id=00000000-0000-4000-8000-000000000001`, "category_id"],
    [`${OCT}&organization_id=00000000-0000-4000-8000-000000000001`, "organization_id"],
    [`${OCT}&agent_id=00000000-0000-4000-8000-000000000001`, "agent_id"],
    [`${OCT}&priority=sangat_tinggi`, "priority"],
    [`${OCT}&channel=pigeon`, "channel"],
    [`${OCT}&tier=7`, "tier"],
  ];
  it.each(cases)("%s → 422 naming %s, nothing written", async (query, field) => {
    const before = [await t.count("tickets"), await t.count("escalations")];
    const r = await get(`/api/v1/reports/escalations?${query}`);
    expect(r.status).toBe(422);
    expect(r.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(r.body.errors.map((e: any) => e.path[0])).toContain(field);
    expect([await t.count("tickets"), await t.count("escalations")]).toEqual(before);
  });
  it("the edges of the calendar answer; a drill-down's bad set or cursor is a 422", async () => {
    for (const q of [
      "from=9999-12-30&to=9999-12-30",
      "from=1970-01-01&to=1970-01-31&compare=previous",
      "from=2026-10-01&to=2026-10-01",
    ]) {
      for (const path of ["escalation-rate", "escalations", "escalation-times", "sla", "satisfaction", "bouncing"])
        expect((await get(`/api/v1/reports/${path}?${q}`)).status, `${path}?${q}`).toBe(200);
      expect((await get(`/api/v1/reports/escalations.csv?${q}`)).status, q).toBe(200);
    }
    expect((await get(`/api/v1/reports/escalations?from=9999-12-31&to=9999-12-31`)).body.errors[0].path).toEqual([
      "from",
    ]);
    const badSet = await get(`/api/v1/reports/tickets?${OCT}&set=everything`);
    expect([badSet.status, badSet.body.errors[0].path]).toEqual([422, ["set"]]);
    const badCursor = await get(`/api/v1/reports/tickets?${OCT}&cursor=bm90LWEtY3Vyc29y`);
    expect([badCursor.status, badCursor.body.errors[0].path]).toEqual([422, ["cursor"]]);
  });
  it("an unknown group_by on the rate report too", async () => {
    const r = await get(`/api/v1/reports/escalation-rate?${OCT}&group_by=reason`);
    expect(r.status).toBe(422);
    expect(r.body.errors[0].path).toEqual(["group_by"]);
  });
});

describe("CSV", () => {
  it("every report as CSV (format=csv or Accept: text/csv) parses back to the JSON rows", async () => {
    const json = await get(`/api/v1/reports/escalations?${OCT}`);
    const csv = await get(`/api/v1/reports/escalations?${OCT}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    const records = parse(csv.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual(["Reason", "Category id", "Category", "Escalations", "Tickets"]);
    expect(records.slice(0, -1)).toEqual(
      json.body.rows.map((r: any) => ({
        Reason: r.keys.reason,
        "Category id": r.keys.category ?? "",
        Category: r.labels.category ?? "",
        Escalations: String(r.escalations),
        Tickets: String(r.tickets),
      })),
    );
    expect(records.at(-1)).toMatchObject({ Reason: "Total", Escalations: "5", Tickets: "3" });
    const viaAccept = await get(`/api/v1/reports/escalation-rate?${OCT}&group_by=channel`, undefined, {
      accept: "text/csv",
    });
    expect(viaAccept.headers["content-type"]).toBe("text/csv; charset=utf-8");
    const rate = parse(viaAccept.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rate.at(-1)).toEqual({ Channel: "Total", Created: "5", Escalated: "3", "Escalation rate": "0.6" });
    for (const path of ["escalation-times", "solved-tiers", "sla", "satisfaction", "bouncing"]) {
      const r = await get(`/api/v1/reports/${path}?${OCT}&format=csv`);
      expect(r.status, path).toBe(200);
      expect(parse(r.text, { bom: true, columns: true }).length, path).toBeGreaterThan(0);
    }
    const bounced = parse((await get(`/api/v1/reports/bouncing?${OCT}&format=csv`)).text, { bom: true, columns: true });
    expect(bounced).toEqual([
      expect.objectContaining({ Subject: 'Gagal bayar, "kartu" ditolak\nlagi', Path: "1-2-1-2", "Moved down": "yes" }),
    ]);
  });

  it("the escalation records export: one row per record, a comma, quote and newline survive", async () => {
    const r = await get(`/api/v1/reports/escalations.csv?${OCT}`);
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(r.headers["content-disposition"]).toBe('attachment; filename="escalations-2026-10-01-2026-10-31.csv"');
    const rows = parse(r.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(
      rows.map((x) => [
        Number(x["Ticket number"]),
        x["Escalated at (local)"],
        x.Type,
        x.Reason,
        x["Note written"],
        x["Minutes in previous tier"],
      ]),
    ).toEqual([
      [tk.T7!.number, "2026-10-01 09:00", "hierarchical", "too_complex", "yes", "570"],
      [tk.T1!.number, "2026-10-05 10:00", "hierarchical", "missing_skill", "yes", "60"],
      [tk.T2!.number, "2026-10-12 09:00", "hierarchical", "too_complex", "yes", "3900"],
      [tk.T2!.number, "2026-10-12 11:00", "de_escalation", "other", "yes", "120"],
      [tk.T2!.number, "2026-10-12 15:00", "hierarchical", "missing_skill", "no", "240"],
    ]);
    const t2 = rows[2]!;
    expect(t2).toMatchObject({
      Subject: 'Gagal bayar, "kartu" ditolak\nlagi',
      "Reason text": 'Butuh akses, "admin"\nsistem',
      "From tier": "1",
      "To tier": "2",
      "From group": "Frontline",
      "To group": "Technical",
      "From agent": "agent1",
      "To agent": "agent2",
      Trigger: "agent",
    });
    expect(rows[4]).toMatchObject({ Trigger: "rule", "Escalated by": "" });
  });

  it("the OpenAPI document lists the reports and declares text/csv", async () => {
    const doc = (await t.inject("GET", "/api/v1/openapi.json", { token: null })).body;
    for (const p of [
      "escalation-rate",
      "escalations",
      "escalation-times",
      "solved-tiers",
      "sla",
      "satisfaction",
      "bouncing",
    ]) {
      const op = doc.paths[`/api/v1/reports/${p}`]?.get;
      expect(op, p).toBeDefined();
      expect(Object.keys(op.responses["200"].content), p).toEqual(["application/json", "text/csv"]);
    }
    expect(Object.keys(doc.paths["/api/v1/reports/escalations.csv"].get.responses["200"].content)).toEqual([
      "text/csv",
    ]);
    expect(doc.paths["/api/v1/reports/tickets"].get).toBeDefined();
  });
});
