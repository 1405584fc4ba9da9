import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { manualClock, startTestApp, type TestApp } from "../harness.ts";

/**
 * Recurring problems and training needs on a fixture whose every figure was worked out by hand.
 * March 2026 (Asia/Jakarta): similar tickets in Indonesian and in English, two unrelated ones.
 * May 2026: the Frontline team's escalations for missing skill and too complex.
 */
let t: TestApp;
const cat: Record<"akun" | "bayar" | "kirim" | "refund", string> = {} as never;
const num: Record<string, number> = {};
let f2 = "";
let f3 = "";

async function ticket(o: {
  key: string;
  subject: string;
  description?: string;
  language?: "id" | "en";
  category: keyof typeof cat;
  tags?: string[];
  assignee?: string | null;
  created: string;
}) {
  const row = await t.db
    .insertInto("tickets")
    .values({
      subject: o.subject,
      description: o.description ?? o.subject,
      requester_id: t.people.customer.id,
      channel: "web",
      status: "open",
      priority: "medium",
      priority_rank: 1,
      language: o.language ?? "id",
      category_id: cat[o.category],
      tags: o.tags ?? [],
      tier: 1,
      group_id: t.groups.frontline,
      assignee_id: o.assignee ?? null,
      created_at: new Date(o.created),
      updated_at: new Date(o.created),
    })
    .returning(["id", "number"])
    .executeTakeFirstOrThrow();
  num[o.key] = Number(row.number);
  return row.id;
}

async function escalate(
  ticketId: string,
  o: { at: string; reason?: string; type?: string; from?: string | null; actor?: string | null },
) {
  await t.db
    .insertInto("escalations")
    .values({
      ticket_id: ticketId,
      type: o.type ?? "hierarchical",
      reason: o.reason ?? "other",
      trigger: "agent",
      actor_id: o.actor === undefined ? (o.from ?? null) : o.actor,
      from_tier: 1,
      to_tier: 2,
      from_group_id: t.groups.frontline,
      to_group_id: t.groups.technical,
      from_assignee_id: o.from ?? null,
      to_assignee_id: t.people.agent2.id,
      created_at: new Date(o.at),
    })
    .execute();
}

beforeAll(async () => {
  t = await startTestApp({ clock: manualClock(new Date("2026-06-15T03:00:00Z")) });
  for (const [key, name] of [
    ["akun", "Akun & Login"],
    ["bayar", "Pembayaran"],
    ["kirim", "Pengiriman"],
    ["refund", "Refund"],
  ] as const)
    cat[key] = (await t.db.insertInto("categories").values({ name }).returning("id").executeTakeFirstOrThrow()).id;
  const agent = async (email: string) => {
    const u = await t.db
      .insertInto("users")
      .values({ email, name: email.split("@")[0]!, role: "agent" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await t.db.insertInto("agent_profiles").values({ user_id: u.id, tier: 1 }).execute();
    await t.db.insertInto("group_members").values({ group_id: t.groups.frontline, user_id: u.id }).execute();
    return u.id;
  };
  f2 = await agent("fitri@test.local");
  f3 = await agent("gilang@test.local");
  const a3 = t.people.agent3.id;

  // --- March 2026: recurring problems (escalated by agent3, alone in Engineering: no team, no training row).
  const id0 = await ticket({
    key: "id0",
    subject: "Tidak bisa login ke aplikasi",
    description: "Setiap kali saya masuk, aplikasi menampilkan kode OTP salah. Sudah coba 3 kali.",
    category: "akun",
    tags: ["login"],
    created: "2026-03-02T02:00:00Z",
  });
  const id1 = await ticket({
    key: "id1",
    subject: "Gagal login aplikasi, OTP salah",
    description: "Kode OTP yang dikirim selalu dianggap salah saat login di aplikasi.",
    category: "akun",
    tags: ["login"],
    created: "2026-03-05T02:00:00Z",
  });
  const id2 = await ticket({
    key: "id2",
    subject: "Login ke aplikasi gagal terus",
    description: "OTP ditolak, tidak bisa masuk ke akun saya sejak kemarin.",
    category: "akun",
    tags: ["login"],
    created: "2026-03-09T02:00:00Z",
  });
  const en0 = await ticket({
    key: "en0",
    language: "en",
    subject: "Cannot log in to the app",
    description: "The app says my OTP code is wrong every time I try to log in.",
    category: "akun",
    tags: ["mobile"],
    created: "2026-03-03T02:00:00Z",
  });
  const en1 = await ticket({
    key: "en1",
    language: "en",
    subject: "Login failed in the app, wrong OTP",
    description: "Every OTP code I receive is rejected when I log in to the app.",
    category: "akun",
    tags: ["mobile"],
    created: "2026-03-04T02:00:00Z",
  });
  const en2 = await ticket({
    key: "en2",
    language: "en",
    subject: "App login keeps failing",
    description: "My OTP is rejected, I cannot sign in to my account since yesterday.",
    category: "akun",
    tags: ["mobile"],
    created: "2026-03-06T02:00:00Z",
  });
  const paket = await ticket({
    key: "paket",
    subject: "Paket belum sampai",
    description: "Pesanan INV-2291 sudah 10 hari belum diterima, kurir tidak bisa dihubungi.",
    category: "kirim",
    created: "2026-03-10T02:00:00Z",
  });
  const refund = await ticket({
    key: "refund",
    language: "en",
    subject: "Refund not received",
    description: "I returned the item two weeks ago and the money is not back.",
    category: "refund",
    created: "2026-03-11T02:00:00Z",
  });
  // Similar to the Indonesian group, but escalated only before the period (and once de-escalated in it).
  const feb = await ticket({
    key: "feb",
    subject: "Tidak bisa login ke aplikasi lagi",
    category: "akun",
    tags: ["login"],
    created: "2026-02-10T02:00:00Z",
  });
  for (const [id, at] of [
    [id0, "2026-03-02T05:00:00Z"],
    [id0, "2026-03-20T05:00:00Z"],
    [id1, "2026-03-05T05:00:00Z"],
    // 23:30 WIB on 31 March: still March in Asia/Jakarta.
    [id2, "2026-03-31T16:30:00Z"],
    [en0, "2026-03-03T05:00:00Z"],
    [en1, "2026-03-04T05:00:00Z"],
    [en2, "2026-03-06T05:00:00Z"],
    [paket, "2026-03-10T05:00:00Z"],
    [refund, "2026-03-11T05:00:00Z"],
    [feb, "2026-02-10T05:00:00Z"],
  ] as const)
    await escalate(id, { at, from: a3, reason: "too_slow" });
  await escalate(feb, { at: "2026-03-15T05:00:00Z", from: a3, type: "de_escalation" });
  // Shipping escalated more before (3 in February) than in March (1): not rising.
  for (const day of ["03", "04", "05"]) {
    const old = await ticket({
      key: `kirim${day}`,
      subject: `Kurir salah alamat ${day}`,
      category: "kirim",
      created: `2026-02-${day}T02:00:00Z`,
    });
    await escalate(old, { at: `2026-02-${day}T05:00:00Z`, from: a3 });
  }
  // 00:30 WIB on 1 April: April, outside March.
  await escalate(id1, { at: "2026-03-31T17:30:00Z", from: a3 });

  // --- April 2026: subjects of two words say too little; the start of the description joins them.
  const short1 = await ticket({
    key: "short1",
    subject: "Tolong dibantu",
    description: "Dana refund pesanan saya belum masuk ke rekening sampai sekarang.",
    category: "refund",
    created: "2026-04-06T02:00:00Z",
  });
  const short2 = await ticket({
    key: "short2",
    subject: "Mohon bantuan",
    description: "Dana refund pesanan belum masuk ke rekening saya sampai sekarang.",
    category: "refund",
    created: "2026-04-07T02:00:00Z",
  });
  const short3 = await ticket({
    key: "short3",
    language: "en",
    subject: "Help please",
    description: "The app will not open on my phone after the update.",
    category: "akun",
    created: "2026-04-08T02:00:00Z",
  });
  for (const id of [short1, short2, short3]) await escalate(id, { at: "2026-04-09T05:00:00Z", from: a3 });

  // --- May 2026: training needs in the Frontline team (agent1, f2, f3 and the supervisor).
  const a1 = t.people.agent1.id;
  const may = (d: number) => `2026-05-${String(d).padStart(2, "0")}T03:00:00Z`;
  let n = 0;
  /** `held` tickets of a category for an agent, `escalated` of them moved away for `reason`. */
  const holds = async (
    agentId: string,
    category: keyof typeof cat,
    held: number,
    escalated: number,
    reason = "missing_skill",
  ) => {
    for (let i = 0; i < held; i++) {
      const moved = i < escalated;
      const id = await ticket({
        key: `m${n++}`,
        subject: `Kasus ${category} ${n}`,
        category,
        assignee: moved ? t.people.agent2.id : agentId,
        created: may(1 + (n % 20)),
      });
      if (moved) await escalate(id, { at: may(2 + (n % 20)), from: agentId, reason });
    }
  };
  await holds(a1, "bayar", 10, 6); // 6 of 10
  await holds(f2, "bayar", 10, 1); // 1 of 10
  await holds(f3, "bayar", 10, 2, "too_complex"); // 2 of 10
  await holds(a1, "refund", 5, 1);
  await holds(f2, "refund", 5, 2);
  await holds(f3, "refund", 5, 0);
  await holds(a1, "akun", 6, 0);
  await holds(f3, "akun", 3, 3); // all 3, but only 3 held: too few to say
}, 180_000);

afterAll(async () => {
  await t?.close();
});

const numbers = (items: { number: number }[]) => items.map((i) => i.number).sort((a, b) => a - b);
const of = (...keys: string[]) => keys.map((k) => num[k]!).sort((a, b) => a - b);

describe("GET /api/v1/reports/recurring-problems", () => {
  const march = { from: "2026-03-01", to: "2026-03-31" };

  it("groups similar tickets in Indonesian and in English, leaves the unrelated ones out", async () => {
    const res = await t.inject("GET", "/api/v1/reports/recurring-problems", {
      token: t.people.supervisor.token,
      query: march,
    });
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r.period).toMatchObject({
      from: "2026-03-01",
      to: "2026-03-31",
      time_zone: "Asia/Jakarta",
      starts_at: "2026-02-28T17:00:00.000Z",
    });
    // 8 tickets escalated upward in March: 6 about login, the parcel, the refund.
    expect(r.method).toMatchObject({ similarity: "pg_trgm", escalated_tickets: 8, compared_tickets: 8 });
    expect(r.groups).toHaveLength(2);
    const [idGroup, enGroup] = r.groups;
    expect(numbers(idGroup.items)).toEqual(of("id0", "id1", "id2"));
    expect(idGroup).toMatchObject({
      tickets: 3,
      escalations: 4,
      languages: ["id"],
      categories: [{ id: cat.akun, name: "Akun & Login", tickets: 3 }],
    });
    expect(idGroup.first_escalated_at).toBe("2026-03-02T05:00:00.000Z");
    expect(idGroup.last_escalated_at).toBe("2026-03-31T16:30:00.000Z");
    expect(idGroup.items[0]).toMatchObject({ number: num.id0, escalations: 2 });
    expect(numbers(enGroup.items)).toEqual(of("en0", "en1", "en2"));
    expect(enGroup).toMatchObject({ tickets: 3, escalations: 3, languages: ["en"] });
    const grouped = r.groups.flatMap((g: { items: { number: number }[] }) => numbers(g.items));
    expect(grouped).not.toContain(num.paket);
    expect(grouped).not.toContain(num.refund);
    expect(grouped).not.toContain(num.feb);
  });

  it("with min_tickets=2 still keeps the parcel and the refund apart", async () => {
    const r = (await t.inject("GET", "/api/v1/reports/recurring-problems", { query: { ...march, min_tickets: "2" } }))
      .body;
    expect(r.groups.map((g: { tickets: number }) => g.tickets)).toEqual([3, 3]);
  });

  it("compares a subject of one or two words with the start of the description", async () => {
    const r = (
      await t.inject("GET", "/api/v1/reports/recurring-problems", {
        query: { from: "2026-04-01", to: "2026-04-30", min_tickets: "2" },
      })
    ).body;
    // short1, short2, short3 and id1 (escalated at 00:30 WIB on 1 April) were escalated in April.
    expect(r.method.escalated_tickets).toBe(4);
    expect(r.groups.map((g: { items: { number: number }[] }) => numbers(g.items))).toEqual([of("short1", "short2")]);
  });

  it("names the categories and tags whose escalations rose against February, with a binomial test", async () => {
    const r = (await t.inject("GET", "/api/v1/reports/recurring-problems", { query: march })).body;
    expect(r.previous_period).toMatchObject({ from: "2026-01-29", to: "2026-02-28" });
    // Akun: 7 in March (id0 twice), 1 in February (feb); P(X ≥ 7 | 8, ½) = 9/256.
    // Refund: 1 against 0, too few to test. Shipping fell from 3 to 1: not listed.
    expect(r.rising.categories.map((c: { label: string }) => c.label)).toEqual(["Akun & Login", "Refund"]);
    const [akun, refund] = r.rising.categories;
    expect(akun).toMatchObject({
      kind: "category",
      key: cat.akun,
      escalations: 7,
      previous: 1,
      ratio: 7,
      tickets: 6,
      confidence: "likely",
    });
    expect(akun.p_value).toBeCloseTo(9 / 256, 12);
    expect(akun.ticket_filter).toMatchObject({
      set: "escalations",
      category_id: cat.akun,
      from: "2026-03-01",
      to: "2026-03-31",
    });
    expect(akun.items[0]).toMatchObject({ number: num.id0, escalations: 2 });
    expect(numbers(akun.items)).toEqual(of("id0", "id1", "id2", "en0", "en1", "en2"));
    expect(refund).toMatchObject({ escalations: 1, previous: 0, ratio: null, p_value: null, confidence: "too_few" });
    // Tag login: 4 against 1, P(X ≥ 4 | 5, ½) = 6/32; mobile: 3 against 0 (too few).
    const tags = Object.fromEntries(r.rising.tags.map((x: { key: string }) => [x.key, x]));
    expect(Object.keys(tags).sort()).toEqual(["login", "mobile"]);
    expect(tags.login).toMatchObject({
      escalations: 4,
      previous: 1,
      tickets: 3,
      confidence: "unlikely",
      ticket_filter: null,
    });
    expect(tags.login.p_value).toBeCloseTo(6 / 32, 12);
    expect(tags.mobile).toMatchObject({ escalations: 3, previous: 0, p_value: null, confidence: "too_few" });
  });

  it("as CSV: a row per grouped ticket and per rising category and tag", async () => {
    const json = (await t.inject("GET", "/api/v1/reports/recurring-problems", { query: march })).body;
    const res = await t.inject("GET", "/api/v1/reports/recurring-problems", {
      query: march,
      headers: { accept: "text/csv" },
    });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/csv/);
    const rows = parse(res.text, { columns: true, bom: true }) as Record<string, string>[];
    expect(
      rows
        .filter((x) => x.Section === "similar tickets")
        .map((x) => Number(x["Ticket number"]))
        .sort((a, b) => a - b),
    ).toEqual(of("id0", "id1", "id2", "en0", "en1", "en2"));
    expect(rows.filter((x) => x.Section === "rising category")).toHaveLength(json.rising.categories.length);
    expect(rows.find((x) => x.Section === "rising category" && x.Label === "Akun & Login")).toMatchObject({
      Escalations: "7",
      "Previous escalations": "1",
      "p-value": String(Math.round((9 / 256) * 1e6) / 1e6),
      Confidence: "likely",
    });
    const viaFormat = await t.inject("GET", "/api/v1/reports/recurring-problems", {
      query: { ...march, format: "csv" },
    });
    expect(viaFormat.text).toBe(res.text);
  });

  it("an agent sees the groups of their own escalations only", async () => {
    const mine = (
      await t.inject("GET", "/api/v1/reports/recurring-problems", { token: t.people.agent3.token, query: march })
    ).body;
    expect(mine.filters).toEqual({ agent_id: t.people.agent3.id });
    expect(mine.groups).toHaveLength(2);
    const other = (
      await t.inject("GET", "/api/v1/reports/recurring-problems", { token: t.people.agent1.token, query: march })
    ).body;
    expect(other.groups).toEqual([]);
    expect(other.method.escalated_tickets).toBe(0);
    const asked = await t.inject("GET", "/api/v1/reports/recurring-problems", {
      token: t.people.agent1.token,
      query: { ...march, agent_id: t.people.agent3.id },
    });
    expect(asked.status).toBe(403);
  });
});

describe("GET /api/v1/reports/training-needs", () => {
  const mayQ = { from: "2026-05-01", to: "2026-05-31" };

  it("names the agent who stands out from the team, with the category to train on and Fisher's p", async () => {
    const res = await t.inject("GET", "/api/v1/reports/training-needs", {
      token: t.people.supervisor.token,
      query: mayQ,
    });
    expect(res.status).toBe(200);
    expect(res.body.min_sample).toBe(5);
    expect(res.body.rows).toHaveLength(1);
    const [row] = res.body.rows;
    expect(row).toMatchObject({
      agent: { id: t.people.agent1.id, name: "agent1" },
      category: { id: cat.bayar, name: "Pembayaran" },
      team: [{ id: t.groups.frontline, name: "Frontline" }],
      tickets: 10,
      escalations: 6,
      reasons: { missing_skill: 6, too_complex: 0 },
      rate: 0.6,
      // f2 1 of 10, f3 2 of 10, the supervisor none.
      team_tickets: 20,
      team_escalations: 3,
      team_rate: 0.15,
      confidence: "likely",
      stands_out: true,
    });
    // Hypergeometric tail: Σ_{x=6..9} C(9,x)·C(21,10−x) / C(30,10) = (502740 + 47880 + 1890 + 21) / 30045015
    expect(row.p_value).toBeCloseTo(552531 / 30045015, 12);
    expect(row.items).toHaveLength(6);
    expect(
      row.items.every(
        (i: { reason: string; category_id: string }) => i.reason === "missing_skill" && i.category_id === cat.bayar,
      ),
    ).toBe(true);
  });

  it("show=all adds the agent above the team who does not stand out; fewer than 5 tickets are never listed", async () => {
    const rows = (await t.inject("GET", "/api/v1/reports/training-needs", { query: { ...mayQ, show: "all" } })).body
      .rows;
    expect(
      rows.map((r: { agent: { id: string }; category: { name: string } }) => [r.agent.id, r.category.name]),
    ).toEqual([
      [t.people.agent1.id, "Pembayaran"],
      [f2, "Refund"],
    ]);
    // f2 in Refund: 2 of 5 against the team's 1 of 10; P = (C(3,2)·C(12,3) + C(12,2)) / C(15,5) = 726/3003.
    expect(rows[1]).toMatchObject({
      tickets: 5,
      escalations: 2,
      team_tickets: 10,
      team_escalations: 1,
      confidence: "unlikely",
      stands_out: false,
    });
    expect(rows[1].p_value).toBeCloseTo(726 / 3003, 12);
    // f3 escalated all 3 of their Akun tickets: 3 < 5, so no row at all.
    expect(rows.some((r: { agent: { id: string } }) => r.agent.id === f3)).toBe(false);
  });

  it("as CSV", async () => {
    const res = await t.inject("GET", "/api/v1/reports/training-needs", { query: { ...mayQ, format: "csv" } });
    expect(res.headers["content-type"]).toMatch(/^text\/csv/);
    const rows = parse(res.text, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).toEqual([
      expect.objectContaining({
        Agent: "agent1",
        Category: "Pembayaran",
        Team: "Frontline",
        Tickets: "10",
        Escalations: "6",
        "Missing skill": "6",
        "Too complex": "0",
        Rate: "0.6",
        "Team rate": "0.15",
        Confidence: "likely",
        "Stands out": "yes",
      }),
    ]);
  });

  it("an agent sees their own rows only; another agent's are a 403", async () => {
    const own = await t.inject("GET", "/api/v1/reports/training-needs", {
      token: t.people.agent1.token,
      query: { ...mayQ, show: "all" },
    });
    expect(own.status).toBe(200);
    expect(own.body.rows.map((r: { agent: { id: string } }) => r.agent.id)).toEqual([t.people.agent1.id]);
    const none = await t.inject("GET", "/api/v1/reports/training-needs", { token: t.people.agent2.token, query: mayQ });
    expect(none.body.rows).toEqual([]);
    const other = await t.inject("GET", "/api/v1/reports/training-needs", {
      token: t.people.agent1.token,
      query: { ...mayQ, agent_id: f2 },
    });
    expect(other.status).toBe(403);
  });

  it("a group filter lists that group's agents against that group", async () => {
    const rows = (
      await t.inject("GET", "/api/v1/reports/training-needs", { query: { ...mayQ, group_id: t.groups.technical } })
    ).body.rows;
    expect(rows).toEqual([]);
  });
});

describe("who may ask and what is refused", () => {
  it.each(["recurring-problems", "training-needs"])("%s: customers 403, no token 401", async (report) => {
    expect((await t.inject("GET", `/api/v1/reports/${report}`, { token: t.people.customer.token })).status).toBe(403);
    expect((await t.inject("GET", `/api/v1/reports/${report}`, { token: null })).status).toBe(401);
  });

  it.each([
    ["recurring-problems", { from: "2026-03-31", to: "2026-03-01" }, ["from", "to"]],
    ["training-needs", { from: "2026-03-31", to: "2026-03-01" }, ["from", "to"]],
    ["recurring-problems", { from: "2023-01-01", to: "2026-03-01" }, ["from", "to"]],
    ["recurring-problems", { min_tickets: "1" }, ["min_tickets"]],
    ["recurring-problems", { limit: "0" }, ["limit"]],
    ["training-needs", { show: "everyone" }, ["show"]],
    ["training-needs", { group_id: "8b0c1c50-7a1e-4c55-9d1a-2f4b6e9a0c11" }, ["group_id"]],
    ["recurring-problems", { category_id: "not-an-id" }, ["category_id"]],
    ["recurring-problems", { from: "2026-02-30" }, ["from"]],
  ] as const)("%s with %j: 422 naming %j, nothing written", async (report, query, fields) => {
    const before = await Promise.all([t.count("tickets"), t.count("escalations"), t.count("outbox")]);
    const res = await t.inject("GET", `/api/v1/reports/${report}`, { query: query as Record<string, string> });
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toMatch(/problem\+json/);
    const paths = (res.body.errors as { path: (string | number)[] }[]).map((e) => e.path.join("."));
    for (const f of fields) expect(paths.some((p) => p === f || p.endsWith(`.${f}`) || p.startsWith(f))).toBe(true);
    expect(await Promise.all([t.count("tickets"), t.count("escalations"), t.count("outbox")])).toEqual(before);
  });
});
