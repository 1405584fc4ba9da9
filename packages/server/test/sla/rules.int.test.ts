import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KyselyPlugin } from "kysely";
import { slaOf } from "../../src/sla/compose-sla.ts";
import { manualClock, startTestApp, type TestApp } from "../harness.ts";
import { clockOf, createCalendar, createPolicy, eventsOf, fireAll, slaBlock, wib } from "./helpers.ts";

// The SLA timers feed the escalation rules: a breach recorded once, the rule's escalation starting
// the next tier's budget clock, all in the timer's transaction.
const clock = manualClock(wib(2, "09:00"));
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ clock });
  const cal = await createCalendar(t);
  await createPolicy(t, { name: "Standar", calendar_id: cal.id });
  const rule = await t.inject("POST", "/api/v1/escalation-rules", {
    body: {
      name: "Breach: next tier",
      event: "sla.breached",
      conditions: { all: [{ field: "event.target", op: "is", value: "first_response" }] },
      actions: [{ type: "escalate", to: { tier: "next" }, reason: "sla_breach" }],
    },
  });
  expect(rule.status).toBe(201);
  await fireAll(t);
});
afterAll(async () => t?.close());

describe("a breach and the rules", () => {
  it("escalates once at the deadline; the new tier's budget clock starts; the hook plans once", async () => {
    clock.set(wib(2, "09:00"));
    const ticket = await t.createTicket();
    clock.set(wib(2, "09:45"));
    await fireAll(t);

    const sla = slaOf(t.services);
    const index = t.services.hooks.indexOf(sla.hook);
    let queries = 0;
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    // One counting view per transaction, as the hooks of one transaction share one object.
    const views = new WeakMap<object, Parameters<typeof sla.hook>[0]>();
    t.services.hooks[index] = (trx, change) => {
      if (!views.has(trx)) views.set(trx, trx.withPlugin(counter));
      return sla.hook(views.get(trx)!, change);
    };
    try {
      clock.set(wib(2, "10:00"));
      await fireAll(t);
      await fireAll(t);
    } finally {
      t.services.hooks[index] = sla.hook;
    }
    console.log(JSON.stringify({ sla_hook_queries_on_breach_with_escalation: queries }));
    // The escalation's change is planned from the ledger the breach left (no read) and written once,
    // breach and escalation together; the breach's own change adds nothing.
    expect(queries).toBe(1);

    expect((await eventsOf(t, ticket.id, ["sla.breached"])).map((e) => e.data.target)).toEqual(["first_response"]);
    const escalated = await eventsOf(t, ticket.id, ["escalated"]);
    expect(escalated).toHaveLength(1);
    const view = await t.inject("GET", `/api/v1/tickets/${ticket.id}`);
    expect(view.body.tier).toBe(2);
    expect(clockOf(await slaBlock(t, ticket.id), "tier_budget")).toMatchObject({
      tier: 2,
      started_at: wib(2, "10:00").toISOString(),
      state: "active",
    });
  });
});
