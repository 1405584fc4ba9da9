import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { CompiledQuery } from "kysely";
import { manualClock, startTestApp, type TestApp } from "../harness.ts";
import {
  EXPORT_BATCH,
  escalationCsvChunks,
  escalationCsvChunksByCursor,
} from "../../src/reports/escalation-export.ts";
import { periodOf, type ReportScope } from "../../src/reports/report-query.ts";

/**
 * The reports on a generated dataset (seeded, so every run is the same): 400 tickets over three
 * months with random escalations up, across and back down, ratings and solves. Each report is held
 * against a plain recount (SQL, or JavaScript over the raw rows): grouped counts add up to the
 * total, a filter never raises a count and gives exactly its group's row, and a figure's tickets
 * (the drill-down) are as many as the figure says.
 */
let t: TestApp;
const PERIOD = "from=2026-04-01&to=2026-05-31";
// April and May 2026 in Asia/Jakarta (UTC+7), as instants.
const START = new Date("2026-03-31T17:00:00Z");
const END = new Date("2026-05-31T17:00:00Z");
const cats: string[] = [];
const agents: string[] = [];

/** A small seeded generator (mulberry32), so the dataset is the same on every run. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const get = async (url: string) => {
  const r = await t.inject("GET", url);
  if (r.status !== 200) throw new Error(`${url}: ${r.status} ${r.text}`);
  return r.body;
};

/** Every ticket id a drill-down lists, following its pages. */
async function drill(filter: Record<string, string>): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ ...filter, limit: "200", ...(cursor ? { cursor } : {}) });
    const page = await get(`/api/v1/reports/tickets?${q}`);
    out.push(...page.items.map((i: { id: string }) => i.id));
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

beforeAll(async () => {
  t = await startTestApp({ clock: manualClock(new Date("2026-06-10T03:00:00Z")) });
  const db = t.db;
  for (const name of ["Akun", "Pembayaran", "Pengiriman"])
    cats.push((await db.insertInto("categories").values({ name }).returning("id").executeTakeFirstOrThrow()).id);
  agents.push(t.people.agent1.id, t.people.agent2.id, t.people.agent3.id);
  const groupOf = (tier: number) =>
    tier === 1 ? t.groups.frontline : tier === 2 ? t.groups.technical : tier === 3 ? t.groups.engineering : null;
  const agentOf = (tier: number) => agents[tier - 1] ?? null;
  const random = rng(17);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const tickets = [];
  const moves = [];
  const surveys = [];
  // 400 tickets from mid-March to mid-June, so the period's edges cut through the data.
  const from = Date.parse("2026-03-15T00:00:00Z");
  const span = Date.parse("2026-06-08T00:00:00Z") - from;
  for (let i = 0; i < 400; i++) {
    const created = from + Math.floor(random() * span);
    let tier = random() < 0.1 ? 0 : 1;
    let at = created;
    let count = 0;
    let lastAt: number | null = null;
    const firstAgent = random() < 0.8 ? agentOf(Math.max(tier, 1)) : null;
    let agent = firstAgent;
    const id = crypto.randomUUID();
    const n = tier === 0 ? 0 : random() < 0.5 ? 0 : Math.floor(random() * 4) + 1;
    for (let k = 0; k < n; k++) {
      at += Math.floor(random() * 3 * 86_400_000) + 60_000;
      const r = random();
      const to = r < 0.55 ? Math.min(tier + 1, 3) : r < 0.8 ? Math.max(tier - 1, 1) : tier;
      const type = to > tier ? "hierarchical" : to < tier ? "de_escalation" : "functional";
      const next = agentOf(to);
      moves.push({
        id: crypto.randomUUID(),
        ticket_id: id,
        type,
        reason: pick(["missing_skill", "too_complex", "too_slow", "sla_breach", "other"]),
        trigger: pick(["agent", "rule", "sla_timer"]),
        actor_id: null,
        from_tier: tier,
        to_tier: to,
        from_group_id: groupOf(tier),
        to_group_id: groupOf(to),
        from_assignee_id: agent,
        to_assignee_id: next,
        note: random() < 0.5 ? "catatan" : null,
        created_at: new Date(at),
      });
      if (type !== "de_escalation") count++;
      lastAt = at;
      tier = to;
      agent = next;
    }
    const solved = random() < 0.6;
    const solvedAt = solved ? new Date(at + Math.floor(random() * 86_400_000) + 60_000) : null;
    tickets.push({
      id,
      subject: `Tiket ${i}`,
      description: "Deskripsi",
      requester_id: t.people.customer.id,
      organization_id: random() < 0.5 ? t.orgId : null,
      channel: pick(["email", "web", "chat", "phone"] as const),
      status: solved ? ("solved" as const) : ("open" as const),
      priority: pick(["low", "medium", "high", "urgent"] as const),
      priority_rank: 1,
      category_id: random() < 0.85 ? pick(cats) : null,
      tags: [],
      tier,
      group_id: groupOf(tier),
      assignee_id: agent,
      escalation_count: count,
      escalated_at: lastAt === null ? null : new Date(lastAt),
      solved_at: solvedAt,
      solved_tier: solved ? tier : null,
      created_at: new Date(created),
      updated_at: new Date(created),
    });
    if (solved && random() < 0.5)
      surveys.push({
        ticket_id: id,
        requester_id: t.people.customer.id,
        solved_at: solvedAt!,
        solved_tier: tier,
        escalated: count > 0,
        expires_at: new Date("2026-12-31T00:00:00Z"),
        rating: 1 + Math.floor(random() * 5),
        rated_at: solvedAt!,
        created_at: solvedAt!,
      });
  }
  await db.insertInto("tickets").values(tickets).execute();
  for (let i = 0; i < moves.length; i += 200)
    await db
      .insertInto("escalations")
      .values(moves.slice(i, i + 200))
      .execute();
  if (surveys.length) await db.insertInto("csat_surveys").values(surveys).execute();
});
afterAll(async () => t?.close());

/** A plain SQL query with $n parameters. */
async function query(text: string, params: unknown[] = []): Promise<{ rows: any[] }> {
  return t.db.executeQuery(CompiledQuery.raw(text, params));
}
async function recount(text: string, params: unknown[] = []): Promise<number> {
  return Number((await query(text, params)).rows[0].n);
}

describe("against a plain recount", () => {
  const TICKET_DIMS = ["category", "channel", "agent", "tier", "group", "priority", "organization"] as const;
  const FILTER: Record<string, string> = {
    category: "category_id",
    channel: "channel",
    agent: "agent_id",
    tier: "tier",
    group: "group_id",
    priority: "priority",
    organization: "organization_id",
    reason: "reason",
    trigger: "trigger",
    type: "type",
  };

  it("escalation rate: totals as SQL counts them; each grouping adds up; each filter gives its row", async () => {
    const created = await recount("select count(*) n from tickets where created_at >= $1 and created_at < $2", [
      START,
      END,
    ]);
    const escalated = await recount(
      "select count(*) n from tickets where created_at >= $1 and created_at < $2 and escalation_count > 0",
      [START, END],
    );
    expect(created).toBeGreaterThan(200);
    const all = await get(`/api/v1/reports/escalation-rate?${PERIOD}`);
    expect(all.total).toMatchObject({ created, escalated });
    for (const dim of TICKET_DIMS) {
      const r = await get(`/api/v1/reports/escalation-rate?${PERIOD}&group_by=${dim}`);
      expect(
        r.rows.reduce((a: number, x: any) => a + x.created, 0),
        dim,
      ).toBe(created);
      expect(
        r.rows.reduce((a: number, x: any) => a + x.escalated, 0),
        dim,
      ).toBe(escalated);
      for (const row of r.rows) {
        const value = row.key === null ? "none" : String(row.key);
        const filtered = await get(`/api/v1/reports/escalation-rate?${PERIOD}&${FILTER[dim]}=${value}`);
        expect(filtered.total.created, `${dim}=${value}`).toBe(row.created);
        expect(filtered.total.escalated, `${dim}=${value}`).toBeLessThanOrEqual(escalated);
        expect(filtered.total.escalated, `${dim}=${value}`).toBe(row.escalated);
      }
    }
    // The figures' tickets: as many as the figures.
    expect((await drill(all.total.escalated_filter)).length).toBe(escalated);
    const byCat = await get(`/api/v1/reports/escalation-rate?${PERIOD}&group_by=category`);
    for (const row of byCat.rows) expect((await drill(row.escalated_filter)).length).toBe(row.escalated);
  });

  it("escalation counts: total as SQL counts it; each grouping adds up; each filter gives its row", async () => {
    const total = await recount("select count(*) n from escalations where created_at >= $1 and created_at < $2", [
      START,
      END,
    ]);
    const tickets = await recount(
      "select count(distinct ticket_id) n from escalations where created_at >= $1 and created_at < $2",
      [START, END],
    );
    for (const dim of ["reason", "trigger", "type", "category", "channel", "agent", "tier", "group", "priority"]) {
      const r = await get(`/api/v1/reports/escalations?${PERIOD}&group_by=${dim}`);
      expect(r.total, dim).toMatchObject({ escalations: total, tickets });
      expect(
        r.rows.reduce((a: number, x: any) => a + x.escalations, 0),
        dim,
      ).toBe(total);
      for (const row of r.rows) {
        if (["reason", "trigger", "type"].includes(dim)) {
          expect((await drill(row.ticket_filter)).length, `${dim}=${row.key}`).toBe(row.tickets);
          continue;
        }
        const value = row.key === null ? "none" : String(row.key);
        const filtered = await get(`/api/v1/reports/escalations?${PERIOD}&${FILTER[dim]}=${value}&group_by=reason`);
        expect(filtered.total.escalations, `${dim}=${value}`).toBe(row.escalations);
        expect(filtered.total.tickets, `${dim}=${value}`).toBe(row.tickets);
      }
    }
    const two = await get(`/api/v1/reports/escalations?${PERIOD}&group_by=reason,category`);
    expect(two.rows.reduce((a: number, x: any) => a + x.escalations, 0)).toBe(total);
  });

  it("solved level, satisfaction and bouncing match a recount over the raw rows", async () => {
    const { rows: tks } = await query(
      "select id, tier, solved_tier, escalation_count from tickets where created_at >= $1 and created_at < $2",
      [START, END],
    );
    const ids = new Set(tks.map((x: any) => x.id));
    const solved = await get(`/api/v1/reports/solved-tiers?${PERIOD}`);
    for (const row of solved.rows) expect(row.solved).toBe(tks.filter((x: any) => x.solved_tier === row.tier).length);
    expect(solved.total.solved).toBe(tks.filter((x: any) => x.solved_tier !== null).length);

    const { rows: moves } = await query(
      "select ticket_id, from_tier, to_tier from escalations order by created_at, id",
    );
    const byTicket = new Map<string, { from_tier: number; to_tier: number }[]>();
    for (const m of moves as { ticket_id: string; from_tier: number; to_tier: number }[])
      if (ids.has(m.ticket_id)) byTicket.set(m.ticket_id, [...(byTicket.get(m.ticket_id) ?? []), m]);
    let down = 0;
    let back = 0;
    let many = 0;
    let bounced = 0;
    for (const list of byTicket.values()) {
      const d = list.some((m) => m.to_tier < m.from_tier);
      const left = new Set<number>();
      let b = false;
      for (const m of list) {
        if (m.from_tier !== m.to_tier && left.has(m.to_tier)) b = true;
        if (m.from_tier !== m.to_tier) left.add(m.from_tier);
      }
      const k = list.length >= 3;
      down += d ? 1 : 0;
      back += b ? 1 : 0;
      many += k ? 1 : 0;
      bounced += d || b || k ? 1 : 0;
    }
    const bouncing = await get(`/api/v1/reports/bouncing?${PERIOD}`);
    expect(bouncing.moved).toBe(byTicket.size);
    expect(bouncing.bounced).toBe(bounced);
    expect(bouncing.kinds.map((k: any) => k.tickets)).toEqual([down, back, many]);
    expect((await drill(bouncing.ticket_filter)).length).toBe(bounced);

    const sat = await get(`/api/v1/reports/satisfaction?${PERIOD}`);
    const rated = await recount(
      `select count(distinct s.ticket_id) n from csat_surveys s join tickets t on t.id = s.ticket_id
       where t.created_at >= $1 and t.created_at < $2 and s.rating is not null`,
      [START, END],
    );
    expect(sat.escalated.count + sat.not_escalated.count).toBe(rated);
    expect(sat.paths.reduce((a: number, p: any) => a + p.count, 0)).toBe(rated);
    for (const p of sat.paths.slice(0, 5)) expect((await drill(p.ticket_filter)).length, p.path).toBe(p.count);

    const times = await get(`/api/v1/reports/escalation-times?${PERIOD}`);
    expect(times.first_escalation.count).toBe(tks.filter((x: any) => x.escalation_count > 0).length);
    // Time to first escalation recounted from the raw rows (no SLA calendar: business time is wall time).
    const { rows: firsts } = await query(
      `select extract(epoch from min(e.created_at) - t.created_at) / 60 as m from tickets t join escalations e on e.ticket_id = t.id
       where t.created_at >= $1 and t.created_at < $2 and e.type in ('hierarchical', 'functional', 'supervisor') group by t.id, t.created_at`,
      [START, END],
    );
    const minutes = firsts.map((x: any) => Number(x.m)).sort((a: number, b: number) => a - b);
    const at = (q: number) => {
      const i = (minutes.length - 1) * q;
      const lo = Math.floor(i);
      return minutes[lo]! + (minutes[Math.ceil(i)]! - minutes[lo]!) * (i - lo);
    };
    expect(times.first_escalation.wall_minutes.median).toBeCloseTo(at(0.5), 1);
    expect(times.first_escalation.wall_minutes.p90).toBeCloseTo(at(0.9), 1);
    expect(times.first_escalation.business_minutes).toEqual(times.first_escalation.wall_minutes);
  });

  it("the escalation export's minutes in the previous tier match a recount per record (moves before the period too)", async () => {
    const { rows: expected } = await t.db.executeQuery<{ number: number; at: string; m: number }>(
      CompiledQuery.raw(
        `select t.number, to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') at,
           round((extract(epoch from e.created_at - coalesce(
             (select max(p.created_at) from escalations p where p.ticket_id = e.ticket_id and p.created_at < e.created_at
               and p.to_tier is not distinct from e.from_tier and p.from_tier is distinct from p.to_tier),
             t.created_at)) / 6)::numeric)::float8 / 10 m
         from escalations e join tickets t on t.id = e.ticket_id
         where e.created_at >= $1 and e.created_at < $2 order by e.created_at, e.id`,
        [START, END],
      ),
    );
    expect(expected.length).toBeGreaterThan(50);
    const r = await t.inject("GET", `/api/v1/reports/escalations.csv?${PERIOD}`);
    const rows = parse(r.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(
      rows.map((x) => [Number(x["Ticket number"]), x["Escalated at"], Number(x["Minutes in previous tier"])]),
    ).toEqual(expected.map((x) => [Number(x.number), x.at, Number(x.m)]));
  });

  it("the escalation export streams every record of the period once, in order, across batches", async () => {
    // Records sharing one instant across a batch boundary: the keyset must neither skip nor repeat them.
    const ticket = (await t.db.selectFrom("tickets").select("id").limit(1).executeTakeFirstOrThrow()).id;
    const at = new Date("2026-05-20T05:00:00.123Z");
    const extra = Array.from({ length: EXPORT_BATCH + 50 }, () => ({
      ticket_id: ticket,
      type: "functional",
      reason: "other",
      trigger: "rule",
      from_tier: 1,
      to_tier: 1,
      created_at: at,
    }));
    for (let i = 0; i < extra.length; i += 500)
      await t.db
        .insertInto("escalations")
        .values(extra.slice(i, i + 500))
        .execute();
    const total = await recount("select count(*) n from escalations where created_at >= $1 and created_at < $2", [
      START,
      END,
    ]);
    const r = await t.inject("GET", `/api/v1/reports/escalations.csv?${PERIOD}`);
    expect(r.status).toBe(200);
    const rows = parse(r.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(total);
    const times = rows.map((x) => x["Escalated at"]!);
    expect([...times].sort()).toEqual(times);
  });
});

describe("the escalation export written by PostgreSQL", () => {
  it("is byte for byte what csv-stringify writes: quotes, commas, newlines, formulas, names and ids", async () => {
    const db = t.db;
    const some = await db
      .selectFrom("escalations")
      .select(["id", "ticket_id"])
      .where("created_at", ">=", START)
      .where("created_at", "<", END)
      .orderBy("created_at")
      .limit(8)
      .execute();
    const tricky = [
      'Gagal bayar, "kartu" ditolak\r\nlagi',
      "=HYPERLINK(\"http://x\")",
      "-1 saldo",
      "+62 812",
      "@admin tolong",
      "\ttab di depan",
      "\uFF1Dfull-width",
      "",
    ];
    for (const [i, e] of some.entries()) {
      await db.updateTable("tickets").set({ subject: tricky[i]! }).where("id", "=", e.ticket_id).execute();
      await db
        .updateTable("escalations")
        .set({ reason_text: tricky[(i + 3) % tricky.length]!, note: i % 2 ? "  " : "ada" })
        .where("id", "=", e.id)
        .execute();
    }
    // A group name that needs quoting.
    await db.updateTable("groups").set({ name: 'Tim "Teknis", L2' }).where("id", "=", t.groups.technical).execute();
    const scope = { period: periodOf("2026-04-01", "2026-05-31", "Asia/Jakarta"), filters: {} } as ReportScope;
    const read = async (chunks: AsyncGenerator<string>) => {
      let out = "";
      for await (const c of chunks) out += c;
      return out;
    };
    const byLibrary = await read(escalationCsvChunks(db, scope));
    const byPostgres = await read(escalationCsvChunksByCursor(db, scope));
    expect(byLibrary).toContain('"Tim ""Teknis"", L2"');
    expect(byLibrary).toContain("'=HYPERLINK");
    expect(parse(byLibrary, { bom: true, columns: true }).length).toBeGreaterThan(50);
    expect(byPostgres).toBe(byLibrary);
  });
});
