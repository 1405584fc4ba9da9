import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../../src/auth/actor.ts";
import { startTestApp, type TestApp } from "../harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const escalate = (id: string, body: unknown, token = t.people.agent1.token) =>
  t.inject("POST", `/api/v1/tickets/${id}/escalations`, { token, body });
const eventsOf = async (id: string) =>
  (await t.inject("GET", `/api/v1/tickets/${id}/events`)).body.items as { type: string; data: any; actor: any }[];

describe("manual escalation", () => {
  it("moves the ticket to tier 2 with a pinned handoff note, routes it, and records who, why and from where", async () => {
    const ticket = await t.createTicket();
    await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, { body: { assignee_id: t.people.agent1.id } });
    const res = await escalate(ticket.id, {
      to: { tier: 2 },
      reason: "too_complex",
      note: "Sudah reset password dan cek log; error 500 dari layanan OTP.",
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      type: "hierarchical",
      reason: "too_complex",
      trigger: "agent",
      from: { tier: 1, group_id: t.groups.frontline, assignee_id: t.people.agent1.id },
      to: { tier: 2, group_id: t.groups.technical },
      actor: { id: t.people.agent1.id },
    });
    const after = (await t.inject("GET", `/api/v1/tickets/${ticket.id}`)).body;
    expect(after).toMatchObject({ tier: 2, group: { id: t.groups.technical }, escalation_count: 1 });
    expect(after.handoff_note).toMatchObject({
      body: expect.stringContaining("error 500"),
      from_tier: 1,
      to_tier: 2,
      author_name: "agent1",
    });
    expect([t.people.agent2.id, t.people.supervisor.id]).toContain(after.assignee.id);
    const escalated = (await eventsOf(ticket.id)).filter((e) => e.type === "escalated");
    expect(escalated).toHaveLength(1);
    expect(escalated[0]!.data).toMatchObject({ reason: "too_complex", from_tier: 1, to_tier: 2, trigger: "agent" });

    // The next level finds it under "escalated to me" (or in the group queue if it waits).
    const queue = await t.inject("GET", "/api/v1/queues/escalated-to-me", { token: t.people.agent2.token });
    expect(queue.status).toBe(200);
    if (after.assignee.id === t.people.agent2.id) expect(queue.body.items.map((i: any) => i.id)).toContain(ticket.id);

    // The customer sees that it moved, without the internal note or reason.
    const customerView = await t.inject("GET", `/api/v1/tickets/${ticket.id}/events`, {
      token: t.people.customer.token,
    });
    const seen = customerView.body.items.find((e: any) => e.type === "escalated");
    expect(seen.data).toEqual({
      to_tier: 2,
      text: {
        en: "Your request has been passed to our level 2 team.",
        id: "Permintaan Anda telah diteruskan ke tim tingkat 2 kami.",
      },
    });
    expect(JSON.stringify(customerView.body)).not.toContain("error 500");
    expect(JSON.stringify(customerView.body)).not.toContain("too_complex");
  });

  it("escalates functionally to a department, keeping the tier", async () => {
    const ticket = await t.createTicket();
    const res = await escalate(ticket.id, {
      to: { department_id: t.groups.billing },
      reason: "missing_skill",
      note: "Butuh akses refund",
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: "functional", to: { tier: 1, group_id: t.groups.billing } });
  });

  it("refuses an agent escalating beyond their powers (a tier-1 agent moving a tier-2 ticket), writing nothing", async () => {
    const ticket = await t.createTicket();
    await escalate(ticket.id, { to: { tier: 2 }, reason: "too_complex", note: "naik" }, t.people.supervisor.token);
    const before = await t.count("ticket_events");
    const res = await escalate(ticket.id, { to: { tier: 3 }, reason: "too_complex", note: "lebih tinggi" });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("forbidden");
    expect(await t.count("ticket_events")).toBe(before);
    expect((await t.inject("GET", `/api/v1/tickets/${ticket.id}`)).body.tier).toBe(2);
  });

  it("lets a supervisor de-escalate", async () => {
    const ticket = await t.createTicket();
    await escalate(ticket.id, { to: { tier: 2 }, reason: "too_complex", note: "naik" });
    const down = await escalate(
      ticket.id,
      { to: { tier: 1 }, reason: "other", reason_text: "Ternyata masalah sederhana", note: "Cukup reset cache" },
      t.people.supervisor.token,
    );
    expect(down.status).toBe(201);
    expect(down.body.type).toBe("de_escalation");
    expect((await t.inject("GET", `/api/v1/tickets/${ticket.id}`)).body.tier).toBe(1);
  });

  describe("bad input: a clear 4xx and nothing written", () => {
    const cases: [string, () => unknown, string | undefined, number, (string | number)[]][] = [
      ["no handoff note", () => ({ to: { tier: 2 }, reason: "too_complex" }), undefined, 422, ["note"]],
      [
        "a blank handoff note",
        () => ({ to: { tier: 2 }, reason: "too_complex", note: "   " }),
        undefined,
        422,
        ["note"],
      ],
      [
        "an unknown group",
        () => ({ to: { group_id: "7d9f4a8e-0000-4000-8000-000000000000" }, reason: "too_complex", note: "x" }),
        undefined,
        422,
        ["to", "group_id"],
      ],
      [
        "a tier that does not exist",
        () => ({ to: { tier: 9 }, reason: "too_complex", note: "x" }),
        undefined,
        422,
        ["to", "tier"],
      ],
      ["an unknown reason", () => ({ to: { tier: 2 }, reason: "bored", note: "x" }), undefined, 422, ["reason"]],
      [
        "other without its text",
        () => ({ to: { tier: 2 }, reason: "other", note: "x" }),
        undefined,
        422,
        ["reason_text"],
      ],
      [
        "two targets at once",
        () => ({
          to: { tier: 2, department_id: "7d9f4a8e-0000-4000-8000-000000000000" },
          reason: "too_complex",
          note: "x",
        }),
        undefined,
        422,
        ["to"],
      ],
      [
        "a customer using the agents' endpoint",
        () => ({ to: { tier: 2 }, reason: "too_complex", note: "x" }),
        "customer",
        403,
        [],
      ],
    ];
    it.each(cases)("%s", async (_n, body, who, status, path) => {
      const ticket = await t.createTicket();
      const before = await Promise.all([t.count("ticket_events"), t.count("escalations")]);
      const token = who === "customer" ? t.people.customer.token : t.people.agent1.token;
      const res = await escalate(ticket.id, body(), token);
      expect(res.status, res.text).toBe(status);
      expect(res.headers["content-type"]).toMatch(/problem\+json/);
      if (path.length) expect(res.body.errors.map((e: any) => e.path.slice(0, path.length))).toContainEqual(path);
      const after = await Promise.all([t.count("ticket_events"), t.count("escalations")]);
      expect(after).toEqual(before);
      expect((await t.inject("GET", `/api/v1/tickets/${ticket.id}`)).body.tier).toBe(1);
    });
  });
});

describe("customer escalation request", () => {
  it("escalates to the group's supervisor, acknowledges it to the customer, and allows one open request", async () => {
    const ticket = await t.createTicket();
    await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, { body: { assignee_id: t.people.agent1.id } });
    const res = await t.inject("POST", `/api/v1/tickets/${ticket.id}/escalation-requests`, {
      token: t.people.customer.token,
      body: { reason: "too_slow", text: "Sudah 3 hari belum ada kabar" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: "acknowledged",
      reason: "too_slow",
      due_at: expect.any(String),
      acknowledged_at: expect.any(String),
    });
    const after = (await t.inject("GET", `/api/v1/tickets/${ticket.id}`)).body;
    expect(after.assignee.id).toBe(t.people.supervisor.id);
    const mine = await t.inject("GET", `/api/v1/tickets/${ticket.id}/escalation-requests`, {
      token: t.people.customer.token,
    });
    expect(mine.body.items[0]).toMatchObject({ status: "acknowledged" });
    const types = (await eventsOf(ticket.id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["escalated", "escalation.requested"]));

    const second = await t.inject("POST", `/api/v1/tickets/${ticket.id}/escalation-requests`, {
      token: t.people.customer.token,
      body: { reason: "wants_supervisor" },
    });
    expect(second.status).toBe(409);

    // The supervisor's public answer resolves it; then a new request may be made.
    await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, {
      token: t.people.supervisor.token,
      body: { body: "Mohon maaf, kami tangani sekarang." },
    });
    expect(
      (await t.inject("GET", `/api/v1/tickets/${ticket.id}/escalation-requests`, { token: t.people.customer.token }))
        .body.items[0].status,
    ).toBe("resolved");
    const board = await t.inject("GET", "/api/v1/escalation-requests?status=open", {
      token: t.people.supervisor.token,
    });
    expect(board.body.items.map((i: any) => i.ticket_id)).not.toContain(ticket.id);
  });

  // An admin-created tier group has no supervisor until one is named (issue 20 §3: this was 422 "to.supervisor: unknown target").
  const leaderless = async (tier: number) => {
    const group = await t.inject("POST", "/api/v1/groups", {
      body: { name: `Night shift ${tier}-${Math.random().toString(36).slice(2, 8)}`, kind: "tier", tier },
    });
    expect(group.status).toBe(201);
    const ticket = await t.createTicket();
    await t.db
      .updateTable("tickets")
      .set({ tier, group_id: group.body.id, assignee_id: null })
      .where("id", "=", ticket.id)
      .execute();
    return { ticket, groupId: group.body.id as string, groupName: group.body.name as string };
  };
  const toldOf = async (ticketId: string) =>
    (
      await t.db
        .selectFrom("outbox")
        .select(["kind", "payload"])
        .where("ticket_id", "=", ticketId)
        .where("idempotency_key", "like", "%escreq:%")
        .execute()
    ).map((r) => ({ ...(r.payload as Record<string, unknown>), outbox: r.kind }));

  it.each([
    ["tier 1: the tier's lead", 1, () => [t.people.supervisor.id]],
    ["tier 3 (no lead above): the admins", 3, () => [t.people.admin.id]],
  ])(
    "records and acknowledges a request on a ticket whose group has no supervisor, and tells %s",
    async (_name, tier, expected) => {
      const { ticket, groupId, groupName } = await leaderless(tier);
      const res = await t.inject("POST", `/api/v1/tickets/${ticket.id}/escalation-requests`, {
        token: t.people.customer.token,
        body: { reason: "too_slow" },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: "acknowledged",
        reason: "too_slow",
        due_at: expect.any(String),
        acknowledged_at: expect.any(String),
      });
      expect(JSON.stringify(res.body)).not.toContain(groupName);

      // The ticket stays with its team; the request is open on it for the supervisors' board.
      const after = (await t.inject("GET", `/api/v1/tickets/${ticket.id}`)).body;
      expect(after).toMatchObject({ tier, group: { id: groupId } });
      const board = await t.inject("GET", "/api/v1/escalation-requests?status=open", {
        token: t.people.supervisor.token,
      });
      expect(board.body.items.find((i: any) => i.ticket_id === ticket.id)).toMatchObject({ status: "acknowledged" });
      expect((await eventsOf(ticket.id)).map((e) => e.type)).toContain("escalation.requested");

      const told = await toldOf(ticket.id);
      expect(told.filter((r) => r.outbox === "email")).toEqual([
        expect.objectContaining({ template: "escalation_request.acknowledged" }),
      ]);
      const notified = told.filter((r) => r.outbox === "notification");
      expect(notified.map((r) => String((r as { user_id?: string }).user_id)).sort()).toEqual(expected().sort());
      expect(notified[0]).toMatchObject({
        kind: "escalation.requested",
        params: { number: ticket.number, reason: "too_slow" },
      });

      // A second request is refused with a sentence, not a field path.
      const again = await t.inject("POST", `/api/v1/tickets/${ticket.id}/escalation-requests`, {
        token: t.people.customer.token,
        body: { reason: "wants_supervisor" },
      });
      expect(again.status).toBe(409);
      expect(again.body.detail).toBe(
        "You have already asked for escalation on this ticket. A supervisor will reply to you.",
      );
    },
  );

  it("answers a customer's refused request with a sentence that names no field path, target or group", async () => {
    const { ticket, groupName } = await leaderless(1);
    const before = await t.count("ticket_events");
    const long = await t.inject("POST", `/api/v1/tickets/${ticket.id}/escalation-requests`, {
      token: t.people.customer.token,
      body: { reason: "too_slow", text: "a".repeat(2001) },
    });
    const other = await t.inject("POST", `/api/v1/tickets/${ticket.id}/escalation-requests`, {
      token: t.people.customer.token,
      body: { reason: "other", text: " " },
    });
    for (const res of [long, other]) {
      expect(res.status).toBe(422);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(JSON.stringify(res.body)).not.toMatch(new RegExp(`to\\.|supervisor:|unknown target|${groupName}`));
    }
    expect(other.body.detail).toBe("Please tell us why you are asking.");
    expect(other.body.errors).toEqual([{ path: ["text"], message: "Please tell us why you are asking." }]);
    expect(await t.count("ticket_events")).toBe(before);
  });

  it("refuses another customer's ticket with 404 and a reason outside the list with 422, writing nothing", async () => {
    const ticket = await t.createTicket();
    const before = await t.count("ticket_events");
    const other = await t.inject("POST", `/api/v1/tickets/${ticket.id}/escalation-requests`, {
      token: t.people.otherCustomer.token,
      body: { reason: "too_slow" },
    });
    expect(other.status).toBe(404);
    const bad = await t.inject("POST", `/api/v1/tickets/${ticket.id}/escalation-requests`, {
      token: t.people.customer.token,
      body: { reason: "angry" },
    });
    expect(bad.status).toBe(422);
    const other2 = await t.inject("POST", `/api/v1/tickets/${ticket.id}/escalation-requests`, {
      token: t.people.customer.token,
      body: { reason: "other" },
    });
    expect(other2.status).toBe(422);
    expect(await t.count("ticket_events")).toBe(before);
  });
});

describe("routing", () => {
  it("moves a ticket up with missing_skill when nobody in the tier has the category's skill", async () => {
    const cat = await t.inject("POST", "/api/v1/categories", {
      body: { name: "Kriptografi", skill: "crypto", skill_level: 3 },
    });
    await t.inject("PATCH", `/api/v1/users/${t.people.agent2.id}`, {
      body: { agent: { skills: [{ skill: "crypto", level: 4 }] } },
    });
    const ticket = await t.createTicket({ category: cat.body.id });
    const after = (await t.inject("GET", `/api/v1/tickets/${ticket.id}`)).body;
    expect(after).toMatchObject({ tier: 2, assignee: { id: t.people.agent2.id } });
    const esc = (await eventsOf(ticket.id)).find((e) => e.type === "escalated")!;
    expect(esc.data).toMatchObject({ reason: "missing_skill", from_tier: 1, to_tier: 2 });
  });

  it("leaves a ticket in the group queue when nobody fits, and shows it there", async () => {
    for (const p of [t.people.agent1, t.people.supervisor])
      await t.inject("PATCH", `/api/v1/users/${p.id}`, { body: { agent: { presence: "offline" } } });
    try {
      const ticket = await t.createTicket();
      expect((await t.inject("GET", `/api/v1/tickets/${ticket.id}`)).body.assignee).toBeNull();
      const queue = await t.inject("GET", "/api/v1/queues/group", { token: t.people.agent1.token });
      expect(queue.body.items.map((i: any) => i.id)).toContain(ticket.id);
    } finally {
      for (const p of [t.people.agent1, t.people.supervisor])
        await t.inject("PATCH", `/api/v1/users/${p.id}`, { body: { agent: { presence: "online" } } });
    }
  });
});

describe("rules", () => {
  it("refuses a rule with unknown fields or operators with 422 naming the path, and a looping rule set", async () => {
    const before = await t.db
      .selectFrom("escalation_rules")
      .select((e) => e.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    const unknownOp = await t.inject("POST", "/api/v1/escalation-rules", {
      body: {
        name: "x",
        event: "ticket.created",
        conditions: { all: [{ field: "priority", op: "approximately", value: "high" }] },
        actions: [{ type: "add_tag", tag: "x" }],
      },
    });
    expect(unknownOp.status).toBe(422);
    expect(unknownOp.body.errors[0].path).toEqual(["conditions", "all", 0, "op"]);
    const unknownField = await t.inject("POST", "/api/v1/escalation-rules", {
      body: {
        name: "x",
        event: "ticket.created",
        conditions: { all: [{ field: "mood", op: "is", value: "bad" }] },
        actions: [{ type: "add_tag", tag: "x" }],
      },
    });
    expect(unknownField.status).toBe(422);
    expect(unknownField.body.errors[0].path).toEqual(["conditions", "all", 0, "field"]);
    const loop = await t.inject("POST", "/api/v1/escalation-rules", {
      body: { name: "loop", event: "ticket.updated", actions: [{ type: "set_priority", priority: "high" }] },
    });
    expect(loop.status).toBe(422);
    const agent = await t.inject("POST", "/api/v1/escalation-rules", {
      token: t.people.agent1.token,
      body: { name: "x", event: "ticket.created", actions: [{ type: "add_tag", tag: "x" }] },
    });
    expect(agent.status).toBe(403);
    expect(
      await t.db
        .selectFrom("escalation_rules")
        .select((e) => e.fn.countAll().as("n"))
        .executeTakeFirstOrThrow(),
    ).toEqual(before);
  });

  it("fires once per occurrence: an SLA breach escalates to the next tier once, recorded with the rule's name", async () => {
    const rule = await t.inject("POST", "/api/v1/escalation-rules", {
      body: {
        name: "Breach → next tier",
        event: "sla.breached",
        conditions: { all: [{ field: "event.target", op: "is", value: "first_response" }] },
        actions: [
          { type: "escalate", to: { tier: "next" }, reason: "sla_breach" },
          { type: "notify", channel: "supervisor" },
        ],
      },
    });
    expect(rule.status).toBe(201);
    const ticket = await t.createTicket();
    const now = new Date();
    // With agent2 away, the supervisor takes the ticket or it waits for them: "escalated to you" goes to the supervisor.
    await t.inject("PATCH", `/api/v1/users/${t.people.agent2.id}`, { body: { agent: { presence: "offline" } } });
    try {
      await t.services.events.record(
        SYSTEM_ACTOR,
        ticket.id,
        [{ type: "sla.breached", at: now, actorKind: "sla_timer", data: { target: "first_response" } }],
        now,
      );
    } finally {
      await t.inject("PATCH", `/api/v1/users/${t.people.agent2.id}`, { body: { agent: { presence: "online" } } });
    }
    const after = (await t.inject("GET", `/api/v1/tickets/${ticket.id}`)).body;
    expect(after.tier).toBe(2);
    const events = await eventsOf(ticket.id);
    const fired = events.filter((e) => e.type === "rule.fired");
    expect(fired).toHaveLength(1);
    expect(fired[0]!.data).toMatchObject({ rule_name: "Breach → next tier", event: "sla.breached" });
    expect(fired[0]!.actor).toMatchObject({ kind: "rule", name: "Breach → next tier" });
    expect(events.filter((e) => e.type === "escalated")[0]!.data).toMatchObject({
      reason: "sla_breach",
      trigger: "sla_timer",
      rule_name: "Breach → next tier",
    });
    // One notice per person for the firing: the new group's supervisors hear of it ("escalated to
    // you", as the ticket waits for them or is theirs; the rule's notify would tell them again), nobody twice.
    const notices = await t.db
      .selectFrom("outbox")
      .select("payload")
      .where("ticket_id", "=", ticket.id)
      .where("kind", "=", "notification")
      .execute();
    const told = notices
      .map((n) => n.payload as { user_id: string; kind: string })
      .filter((p) => p.kind === "escalated" || p.kind === "sla.breached");
    const supervisors = await t.db
      .selectFrom("tickets as tk")
      .innerJoin("group_supervisors as gs", "gs.group_id", "tk.group_id")
      .select("gs.user_id")
      .where("tk.id", "=", ticket.id)
      .execute();
    expect(supervisors.length).toBeGreaterThan(0);
    for (const s of supervisors) expect(told.map((p) => p.user_id)).toContain(s.user_id);
    expect(told.map((p) => p.user_id).sort()).toEqual([...new Set(told.map((p) => p.user_id))].sort());
    expect(told.some((p) => p.kind === "escalated")).toBe(true);
    // A different target's breach does not match the condition.
    await t.services.events.record(
      SYSTEM_ACTOR,
      ticket.id,
      [{ type: "sla.breached", at: now, actorKind: "sla_timer", data: { target: "resolution" } }],
      now,
    );
    expect((await t.inject("GET", `/api/v1/tickets/${ticket.id}`)).body.tier).toBe(2);
    await t.inject("PATCH", `/api/v1/escalation-rules/${rule.body.id}`, { body: { enabled: false } });
  });

  it("does not refire while a condition merely stays true", async () => {
    const rule = await t.inject("POST", "/api/v1/escalation-rules", {
      body: {
        name: "Urgent → tag",
        event: "ticket.updated",
        conditions: { all: [{ field: "priority", op: "is", value: "urgent" }] },
        actions: [
          { type: "add_tag", tag: "hot" },
          { type: "internal_note", body: "Urgent: cek dalam 15 menit" },
        ],
      },
    });
    expect(rule.status).toBe(201);
    const ticket = await t.createTicket();
    await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, { body: { priority: "urgent" } });
    await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, { body: { subject: "Still urgent" } });
    await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, { body: { tags: [] } });
    const events = await eventsOf(ticket.id);
    expect(events.filter((e) => e.type === "rule.fired")).toHaveLength(1);
    const notes = (await t.inject("GET", `/api/v1/tickets/${ticket.id}/messages`)).body.items.filter(
      (m: any) => m.kind === "note",
    );
    expect(notes.map((n: any) => n.body)).toEqual(["Urgent: cek dalam 15 menit"]);
    await t.inject("DELETE", `/api/v1/escalation-rules/${rule.body.id}`);
  });

  it("raises sentiment.negative on a strongly negative customer message (Indonesian) and raises the priority", async () => {
    const rule = await t.inject("POST", "/api/v1/escalation-rules", {
      body: {
        name: "Negatif → high",
        event: "sentiment.negative",
        actions: [{ type: "set_priority", priority: "high" }],
      },
    });
    expect(rule.status, rule.text).toBe(201);
    const ticket = await t.createTicket({ priority: "low" });
    await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, {
      token: t.people.customer.token,
      body: { body: "Saya sudah tidak tahan, sangat kecewa! Pelayanan terburuk, mau bicara dengan atasan!!!" },
    });
    expect((await t.inject("GET", `/api/v1/tickets/${ticket.id}`)).body.priority).toBe("high");
    const calm = await t.createTicket({ priority: "low" });
    await t.inject("POST", `/api/v1/tickets/${calm.id}/messages`, {
      token: t.people.customer.token,
      body: { body: "Terima kasih, saya tidak kecewa kok, cuma mau tanya status." },
    });
    expect((await t.inject("GET", `/api/v1/tickets/${calm.id}`)).body.priority).toBe("low");
    await t.inject("DELETE", `/api/v1/escalation-rules/${rule.body.id}`);
  });

  it("dry-runs a rule over current open tickets without changing them", async () => {
    const rule = await t.inject("POST", "/api/v1/escalation-rules", {
      body: {
        name: "VIP high",
        enabled: false,
        event: "ticket.created",
        conditions: { all: [{ field: "priority", op: "is", value: "high" }] },
        actions: [{ type: "escalate", to: { supervisor: true }, reason: "other", reason_text: "VIP" }],
      },
    });
    const target = await t.createTicket({ priority: "high", subject: "Dry run target" });
    const before = await t.count("ticket_events");
    const res = await t.inject("POST", `/api/v1/escalation-rules/${rule.body.id}/dry-run`, {
      token: t.people.supervisor.token,
    });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => i.ticket.id)).toContain(target.id);
    expect(res.body.items[0].actions[0]).toMatchObject({ type: "escalate" });
    expect(await t.count("ticket_events")).toBe(before);
  });
});
