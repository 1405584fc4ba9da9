import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { SYSTEM_ACTOR } from "../../src/auth/actor.ts";
import { recomputeOpenTickets } from "../../src/sla/compose-sla.ts";
import { manualClock, startTestApp, type TestApp } from "../harness.ts";
import { createPolicy, fireAll, wib } from "../sla/helpers.ts";
import { SLA_COLUMNS } from "../../src/reports/reports.service.ts";

/**
 * The data the reports read that PostgreSQL keeps beside the rows (migration 031): the SLA
 * ledgers' outcome per target, stored generated columns of ticket_sla. After creations, replies,
 * an escalation, solves, breaches fired by the timer worker, a recompute after a policy edit and
 * a ledger with a record besides the columns' (a tier 4 budget), every row's columns equal the ledger read afresh,
 * and the SLA report equals a plain recount over the ledgers' jsonb. And the ticket's category,
 * channel, priority, organisation and tags that escalation records carry (migration 032) equal a
 * join to the ticket after the ticket changes.
 */
const clock = manualClock(wib(2, "09:00"));
let t: TestApp;
let policyId: string;
const PERIOD = "from=2026-03-01&to=2026-03-31";

const reply = (ticketId: string) =>
  t.inject("POST", `/api/v1/tickets/${ticketId}/messages`, {
    token: t.people.agent1.token,
    body: { kind: "reply", body: "Sudah kami cek" },
  });

beforeAll(async () => {
  t = await startTestApp({ clock });
  policyId = (
    await createPolicy(t, {
      name: "Always",
      calendar_id: null,
      targets: {
        medium: { first_response: 60, next_response: 120, periodic_update: 120, resolution: 480 },
        high: { first_response: 30, resolution: 240 },
      },
      tier_budgets: { "1": 90, "2": 240 },
    })
  ).id;
  await fireAll(t);
});
afterAll(async () => t?.close());

/** A ledger record's outcome as the SLA report defines it, from the jsonb (the columns' meaning). */
function outcome(rec: { f?: { state?: string } | null; b?: unknown } | undefined): string {
  const breachedAt = rec?.b ?? null;
  if (rec?.f?.state === "achieved" && breachedAt === null) return "a";
  if (rec?.f?.state === "breached" || breachedAt !== null) return "b";
  if (!rec?.f) return "o";
  return "x";
}

async function expectColumnsMatchLedgers() {
  const { rows } = await sql<
    Record<string, unknown> & { ledger: { rec?: Record<string, { f?: { state?: string } | null; b?: unknown }> } }
  >`
    select * from ticket_sla`.execute(t.db);
  expect(rows.length).toBeGreaterThan(0);
  const known: string[] = SLA_COLUMNS.map(([key]) => key);
  for (const r of rows) {
    const rec = r.ledger.rec ?? {};
    for (const [key, column] of SLA_COLUMNS) expect(r[column] ?? null).toBe(key in rec ? outcome(rec[key]) : null);
    expect(r.sla_other_targets).toBe(Object.keys(rec).some((k) => !known.includes(k)));
  }
  return rows;
}

/** The SLA report's rows recounted from the ledgers' jsonb (as the report read them before 031). */
async function recount() {
  const { rows } = await sql<{ target: string; priority: string; achieved: number; breached: number; open: number }>`
    select r.key as target, t.priority,
      (count(*) filter (where r.value->'f'->>'state' = 'achieved' and (r.value->>'b') is null))::int as achieved,
      (count(*) filter (where r.value->'f'->>'state' = 'breached' or (r.value->>'b') is not null))::int as breached,
      (count(*) filter (where r.value->'f' is null and (r.value->>'b') is null))::int as open
    from tickets t join ticket_sla s on s.ticket_id = t.id cross join lateral jsonb_each(s.ledger->'rec') r
    where t.created_at >= '2026-02-28T17:00:00Z' and t.created_at < '2026-03-31T17:00:00Z'
    group by 1, 2`.execute(t.db);
  return rows.map((r) => `${r.target}/${r.priority}: ${r.achieved} ${r.breached} ${r.open}`).sort();
}

async function reportRows() {
  const r = await t.inject("GET", `/api/v1/reports/sla?${PERIOD}`, { token: t.people.supervisor.token });
  expect(r.status).toBe(200);
  return (r.body.rows as { target: string; priority: string; achieved: number; breached: number; open: number }[])
    .map((x) => `${x.target}/${x.priority}: ${x.achieved} ${x.breached} ${x.open}`)
    .sort();
}

describe("SLA outcomes kept beside the ledger", () => {
  it("follow every ledger write and give the same report as a recount of the jsonb", async () => {
    const quiet = await t.createTicket();
    const answered = await t.createTicket();
    const solved = await t.createTicket();
    const urgent = await t.createTicket({ priority: "high" });
    const moved = await t.createTicket();
    clock.set(wib(2, "09:20"));
    await reply(answered.id);
    await reply(urgent.id);
    expect(
      (
        await t.inject("PATCH", `/api/v1/tickets/${solved.id}`, {
          body: { status: "solved", resolution_code: "answered" },
        })
      ).status,
    ).toBe(200);
    await t.services.events.record(
      SYSTEM_ACTOR,
      moved.id,
      [{ type: "escalated", at: clock.now(), data: { from_tier: 1, to_tier: 2 } }],
      clock.now(),
      { set: { tier: 2, group_id: t.groups.technical, escalated_at: clock.now() } },
    );
    await expectColumnsMatchLedgers();
    expect(await reportRows()).toEqual(await recount());

    // Deadlines pass: the timer worker breaches first responses, updates and tier budgets.
    clock.set(wib(2, "13:00"));
    await fireAll(t);
    const rows = await expectColumnsMatchLedgers();
    const states = new Set(rows.flatMap((r) => SLA_COLUMNS.map(([, column]) => r[column])));
    expect(rows.some((r) => r.sla_tier_budget_1 === "b")).toBe(true);
    expect(states).toEqual(new Set(["a", "b", "o", null]));
    expect(await reportRows()).toEqual(await recount());
    // Medium: two answered or solved in time, two never answered; the tier 1 budget ran out for two.
    expect(await reportRows()).toEqual(
      expect.arrayContaining(["first_response/medium: 2 2 0", "tier_budget:1/medium: 1 2 0"]),
    );

    // The policy changes: open tickets' ledgers are recomputed.
    const edited = await t.inject("PATCH", `/api/v1/sla-policies/${policyId}`, {
      body: { targets: { medium: { first_response: 600, resolution: 960 }, high: { first_response: 30 } } },
    });
    expect(edited.status).toBe(200);
    await recomputeOpenTickets(t.services);
    await fireAll(t);
    await reply(quiet.id);
    await expectColumnsMatchLedgers();
    expect(await reportRows()).toEqual(await recount());
  });

  it("reads a ledger with another record (a tier 4 budget) from its jsonb", async () => {
    const odd = await t.createTicket();
    await sql`update ticket_sla set ledger = jsonb_set(ledger, '{rec,tier_budget:4}',
      '{"s": 1, "w": 0, "b": null, "f": {"state": "achieved"}}'::jsonb) where ticket_id = ${odd.id}`.execute(t.db);
    const rows = await expectColumnsMatchLedgers();
    expect(rows.filter((r) => r.sla_other_targets)).toHaveLength(1);
    const report = await reportRows();
    expect(report).toContain("tier_budget:4/medium: 1 0 0");
    expect(report).toEqual(await recount());
  });

  it("counts a ledger under its ticket's priority and created_at as they are now (migration 044)", async () => {
    const changed = await t.createTicket();
    const before = await reportRows();
    const patched = await t.inject("PATCH", `/api/v1/tickets/${changed.id}`, { body: { priority: "urgent" } });
    expect(patched.status).toBe(200);
    const after = await reportRows();
    expect(after).not.toEqual(before);
    expect(after.some((r) => r.includes("/urgent: "))).toBe(true);
    expect(after).toEqual(await recount());
    // A ticket moved out of the period (an import correcting its date) leaves the period's counts.
    await sql`update tickets set created_at = '2026-02-01T00:00:00Z' where id = ${changed.id}`.execute(t.db);
    expect(await reportRows()).toEqual(await recount());
    const { rows } = await sql<{ n: number }>`select count(*)::int n from ticket_sla s join tickets t on t.id = s.ticket_id
      where s.ticket_created_at is distinct from t.created_at or s.ticket_priority is distinct from t.priority`.execute(t.db);
    expect(rows[0]!.n).toBe(0);
  });
});

describe("the ticket's facts on its escalation records", () => {
  /** Escalation records of March by the ticket's category, channel, priority, organisation and tags, joined afresh. */
  async function recountByTicket() {
    const { rows } = await sql<{ k: string }>`
      select concat_ws('/', t.category_id, t.channel, t.priority, t.organization_id, array_to_string(t.tags, ','), count(*)) k
      from escalations e join tickets t on t.id = e.ticket_id group by t.id order by 1`.execute(t.db);
    const carried = await sql<{ k: string }>`
      select concat_ws('/', ticket_category_id, ticket_channel, ticket_priority, ticket_organization_id,
        array_to_string(ticket_tags, ','), count(*)) k
      from escalations group by ticket_id, ticket_category_id, ticket_channel, ticket_priority,
        ticket_organization_id, ticket_tags order by 1`.execute(t.db);
    return { joined: rows.map((r) => r.k), carried: carried.rows.map((r) => r.k) };
  }
  const counts = async (q: string) => {
    const r = await t.inject("GET", `/api/v1/reports/escalations?${PERIOD}&${q}`, { token: t.people.supervisor.token });
    expect(r.status).toBe(200);
    return r.body;
  };

  it("are copied at the escalation and follow the ticket's changes, so the counts equal a join", async () => {
    const category = (
      await t.db.insertInto("categories").values({ name: "Tagihan" }).returning("id").executeTakeFirstOrThrow()
    ).id;
    const other = (
      await t.db.insertInto("categories").values({ name: "Akun" }).returning("id").executeTakeFirstOrThrow()
    ).id;
    const ticket = await t.createTicket({ priority: "high", tags: ["vip"] });
    expect((await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, { body: { category_id: category } })).status).toBe(
      200,
    );
    const escalate = await t.inject("POST", `/api/v1/tickets/${ticket.id}/escalations`, {
      token: t.people.agent1.token,
      body: { to: { tier: 2 }, reason: "missing_skill", note: "Sudah dicek dasar-dasarnya" },
    });
    expect(escalate.status).toBe(201);
    let byCategory = await counts(`category_id=${category}&group_by=category,priority`);
    expect(byCategory.total.escalations).toBe(1);
    expect(byCategory.rows.map((r: { keys: object }) => r.keys)).toEqual([{ category, priority: "high" }]);

    // The ticket moves to another category, priority and tags after its escalation.
    const changed = await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, {
      body: { category_id: other, priority: "urgent", tags: ["vip", "bug"] },
    });
    expect(changed.status).toBe(200);
    byCategory = await counts(`category_id=${category}`);
    expect(byCategory.total.escalations).toBe(0);
    const moved = await counts(`category_id=${other}&priority=urgent&group_by=category`);
    expect(moved.total.escalations).toBe(1);
    expect(moved.rows[0].keys).toEqual({ category: other });
    const { joined, carried } = await recountByTicket();
    expect(carried).toEqual(joined);
    expect(carried.length).toBeGreaterThan(0);
  });
});
