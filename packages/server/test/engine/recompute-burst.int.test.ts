import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../harness.ts";
import { killWorkers, startWorker, urgentPolicy, waitFor } from "./worker-processes.ts";

/**
 * One firing per deadline whatever runs beside it: three `eskala worker` processes fire a burst of
 * warnings and breaches while SLA recomputes of every open ticket (queued by creating policies, as
 * an admin would) run through the same workers. A recompute that read a ticket's ledger before a
 * worker's breach committed used to plan that breach again, and it fired a second time.
 */
let t: TestApp;
const SECONDS = 20;
const TICKETS = 200;

async function count(query: ReturnType<typeof sql>): Promise<number> {
  return ((await query.execute(t.db)).rows[0] as { n: number }).n;
}

async function duplicates(query: ReturnType<typeof sql>) {
  return (await query.execute(t.db)).rows as { n: number }[];
}

describe.skipIf(!process.env.DATABASE_URL)(
  "deadlines during an SLA recompute, three worker processes on PostgreSQL",
  () => {
    let ruleIds: string[] = [];
    beforeAll(async () => {
      t = await startTestApp();
      const policy = await t.inject("POST", "/api/v1/sla-policies", {
        body: urgentPolicy(SECONDS, [0.5]),
      });
      expect(policy.status, policy.text).toBe(201);
      const rules = [
        { name: "Breach → next tier", actions: [{ type: "escalate", to: { tier: "next" }, reason: "sla_breach" }] },
        { name: "Breach → tell the supervisor", actions: [{ type: "notify", channel: "supervisor" }] },
      ];
      ruleIds = [];
      for (const r of rules) {
        const res = await t.inject("POST", "/api/v1/escalation-rules", {
          body: {
            ...r,
            event: "sla.breached",
            conditions: { all: [{ field: "event.target", op: "is", value: "first_response" }] },
          },
        });
        expect(res.status, res.text).toBe(201);
        ruleIds.push(res.body.id);
      }
    }, 120_000);
    afterEach(killWorkers);
    afterAll(async () => t?.close());

    it("fires every warning and breach once while every open ticket is recomputed", async () => {
      // The workers first, listening, so that the warnings fire at their instants (a late worker fires
      // only a ticket's latest passed level: its breach).
      const listening = () =>
        count(
          sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike '%listen%eskala_timers%'`,
        );
      const before = await listening();
      for (let i = 0; i < 3; i++) startWorker(t.databaseUrl!);
      expect(await waitFor(listening, (n) => n >= before + 3, 60_000)).toBeGreaterThanOrEqual(before + 3);
      const started = Date.now();
      const ids: string[] = [];
      for (let i = 0; i < TICKETS; i += 20) {
        const batch = Array.from({ length: Math.min(20, TICKETS - i) }, (_, j) =>
          t.createTicket({ subject: `Recompute burst ${i + j}`, priority: "urgent", tags: ["burst"] }, t.people.agent1),
        );
        ids.push(...(await Promise.all(batch)).map((x) => x.id));
      }
      expect(Date.now() - started, "tickets were created before their warnings").toBeLessThan((SECONDS / 2) * 1000);

      // From just before the warnings until after the breaches, an admin keeps adding policies; each
      // queues a recompute of every open ticket, which the workers run beside the deadlines.
      const breachAt = started + SECONDS * 1000;
      let policies = 0;
      while (Date.now() < breachAt + 4000) {
        const res = await t.inject("POST", "/api/v1/sla-policies", {
          body: {
            name: `Low ${policies++}`,
            calendar_id: null,
            conditions: { priorities: ["low"] },
            pause_on_hold: false,
            targets: { low: { resolution: 600 } },
            tier_budgets: {},
            ladder: [],
          },
        });
        expect(res.status, res.text).toBe(201);
        await new Promise((r) => setTimeout(r, 150));
      }
      const escalated = () =>
        count(
          sql`select count(distinct ticket_id)::int as n from ticket_events where type = 'escalated' and ticket_id = any(${ids}::uuid[])`,
        );
      expect(await waitFor(escalated, (n) => n === ids.length, 60_000)).toBe(ids.length);
      const running = () =>
        count(sql`select count(*)::int as n from sla_recompute_jobs where status not in ('done', 'failed')`);
      await waitFor(running, (n) => n === 0, 60_000);
      const undelivered = () =>
        count(sql`select count(*)::int as n from outbox where status = 'pending' and kind = 'notification'`);
      await waitFor(undelivered, (n) => n === 0, 30_000);
      await new Promise((r) => setTimeout(r, 1500)); // let any late duplicate show itself

      const jobs = await sql<{
        n: number;
      }>`select count(*)::int as n from sla_recompute_jobs where status = 'done' and done > 0`.execute(t.db);
      expect(jobs.rows[0]!.n, "recomputes ran during the burst").toBeGreaterThan(3);
      const perTicket = (type: string) =>
        duplicates(sql`select ticket_id, count(*)::int as n from ticket_events where ticket_id = any(${ids}::uuid[]) and type = ${type}
        group by ticket_id, data->>'target' having count(*) > 1`);
      expect(await perTicket("sla.warning"), "duplicate warnings").toEqual([]);
      expect(await perTicket("sla.breached"), "duplicate breaches").toEqual([]);
      expect(await perTicket("escalated"), "duplicate escalations").toEqual([]);
      // Every breach fired and escalated once; a warning at most once (a worker that comes to a ticket
      // after its breach instant fires only the breach, the latest level passed).
      const events = await sql<{ type: string; n: number }>`select type, count(*)::int as n from ticket_events
      where ticket_id = any(${ids}::uuid[]) and type in ('sla.breached', 'escalated') group by type order by type`.execute(
        t.db,
      );
      expect(events.rows).toEqual([
        { type: "escalated", n: ids.length },
        { type: "sla.breached", n: ids.length },
      ]);
      const firings = await sql<{
        rule_id: string;
        n: number;
      }>`select rule_id::text, count(*)::int as n from rule_firings
      where ticket_id = any(${ids}::uuid[]) group by rule_id order by rule_id`.execute(t.db);
      expect(firings.rows).toEqual([...ruleIds].sort().map((rule_id) => ({ rule_id, n: ids.length })));
      const failed = await sql<{
        n: number;
      }>`select count(*)::int as n from ticket_events where ticket_id = any(${ids}::uuid[]) and type = 'rule.action_failed'`.execute(
        t.db,
      );
      expect(failed.rows[0]!.n, "rule actions that failed").toBe(0);
      const told = await duplicates(sql`select user_id, ticket_id, kind, count(*)::int as n from notifications
      where ticket_id = any(${ids}::uuid[]) group by user_id, ticket_id, kind having count(*) > 1`);
      expect(told, "someone told twice of one thing").toEqual([]);
      const breachNotices = await sql<{ n: number }>`select count(*)::int as n from notifications
      where ticket_id = any(${ids}::uuid[]) and kind = 'sla.breached'`.execute(t.db);
      expect(breachNotices.rows[0]!.n, "the supervisor rule told someone").toBeGreaterThan(0);
      // And no recompute wrote back a ledger read before the worker's firing: each keeps its warning and breach.
      const forgotten =
        await duplicates(sql`select ticket_id, 1 as n from ticket_sla where ticket_id = any(${ids}::uuid[])
      and ((ledger->'rec'->'first_response'->>'b') is null
        or ((ledger->'rec'->'first_response'->>'w')::float8 < 0.5
          and exists (select 1 from ticket_events e where e.ticket_id = ticket_sla.ticket_id and e.type = 'sla.warning')))`);
      expect(forgotten, "ledgers that lost a recorded warning or breach").toEqual([]);
      const fired =
        await duplicates(sql`select key, count(*)::int as n from timers where ticket_id = any(${ids}::uuid[]) and fired_at is not null
      group by key having count(*) > 1`);
      expect(fired, "a deadline fired twice").toEqual([]);
    }, 180_000);
  },
);
