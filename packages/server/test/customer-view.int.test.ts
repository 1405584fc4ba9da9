import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CUSTOMER_EVENT_TYPES } from "@eskala/core/escalation";
import { SYSTEM_ACTOR } from "../src/auth/actor.ts";
import { startTestApp, type TestApp } from "./harness.ts";
import { openStream, waitFor } from "./outbox/helpers.ts";
import { createCalendar, createPolicy } from "./sla/helpers.ts";

/**
 * One ticket with a sentinel in every internal field (handoff note, internal notes, rule name,
 * tier and group names, tag, calendar and policy names, agent-only event data): no customer
 * response, stream event or email may contain it, while the agents' views do.
 */
const S = "SENTINEL-INTERNAL-7f3a";
const leaks = (value: unknown) =>
  JSON.stringify(value ?? "")
    .toLowerCase()
    .includes(S.toLowerCase());

let t: TestApp;
let base: string;
let ticketId = "";
let customerStream: Awaited<ReturnType<typeof openStream>>;
let staffStream: Awaited<ReturnType<typeof openStream>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  base = await t.http.listen({ port: 0, host: "127.0.0.1" });
  const ok = async (res: Promise<{ status: number; text: string; body: any }>, status = 200) => {
    const r = await res;
    if (r.status !== status) throw new Error(`${r.status} ${r.text}`);
    return r.body;
  };
  for (const level of [0, 1, 2, 3])
    await ok(t.inject("PATCH", `/api/v1/tiers/${level}`, { body: { name: `Tier ${level} · ${S}` } }));
  for (const [key, id] of Object.entries(t.groups))
    await ok(
      t.inject("PATCH", `/api/v1/groups/${id}`, {
        body: { name: `${key} ${S}`, supervisor_ids: [t.people.supervisor.id] },
      }),
    );
  const calendar = await createCalendar(t, undefined, `Calendar ${S}`);
  const policy = await createPolicy(t, { name: `Policy ${S}`, calendar_id: calendar.id });
  const rule = await ok(
    t.inject("POST", "/api/v1/escalation-rules", {
      body: {
        name: `Rule ${S}`,
        event: "sla.breached",
        actions: [
          { type: "escalate", to: { tier: "next" }, reason: "sla_breach" },
          { type: "add_tag", tag: `${S}-rule` },
          { type: "internal_note", body: `Rule note ${S}` },
          { type: "notify", channel: "customer" },
        ],
      },
    }),
    201,
  );
  Object.assign(ids, { calendar: calendar.id, policy: policy.id, rule: rule.id, group: t.groups.technical });

  customerStream = await openStream(base, t.people.customer.token);
  staffStream = await openStream(base, t.people.agent1.token);
  await waitFor(() => customerStream.preamble && staffStream.preamble);

  const { agent1, agent3, customer } = t.people;
  const ticket = await t.createTicket({ subject: "Tidak bisa bayar", description: "Kartu saya ditolak" }, customer);
  ticketId = ticket.id;
  const at = `/api/v1/tickets/${ticketId}`;
  await ok(
    t.inject("PATCH", at, { token: agent1.token, body: { tags: [S], priority: "urgent", assignee_id: agent1.id } }),
  );
  await ok(
    t.inject("POST", `${at}/messages`, { token: agent1.token, body: { body: `Internal ${S}`, kind: "note" } }),
    201,
  );
  await ok(t.inject("POST", `${at}/messages`, { token: agent1.token, body: { body: "Sedang kami periksa." } }), 201);
  await ok(
    t.inject("POST", `${at}/escalations`, {
      token: agent1.token,
      body: { to: { tier: 2 }, reason: "too_complex", note: `Handoff ${S}` },
    }),
    201,
  );
  await ok(
    t.inject("POST", `${at}/links`, {
      token: agent3.token,
      body: { url: "https://jira.example.com/browse/ENG-7", key: "ENG-7", title: `Link ${S}` },
    }),
    201,
  );
  const now = new Date();
  await t.services.events.record(
    SYSTEM_ACTOR,
    ticketId,
    [{ type: "sla.breached", at: now, actorKind: "sla_timer", data: { target: "first_response", policy_name: S } }],
    now,
  );
  await t.services.events.record(
    SYSTEM_ACTOR,
    ticketId,
    [{ type: "tier.budget_exceeded", at: now, actorKind: "sla_timer", data: { tier: 3, policy_name: S, budget: S } }],
    now,
  );
  await ok(t.inject("POST", `${at}/escalation-requests`, { token: customer.token, body: { reason: "too_slow" } }), 201);
  await ok(t.inject("POST", `${at}/messages`, { token: customer.token, body: { body: "Terima kasih" } }), 201);
  // Everything above was committed; let the last signals arrive.
  await waitFor(() => staffStream.parsed("ticket").some((e) => e.type === "message.added" && e.version !== undefined));
  await new Promise((r) => setTimeout(r, 300));
});

afterAll(async () => {
  await customerStream?.close();
  await staffStream?.close();
  t?.http.server.closeAllConnections();
  await t?.close();
});

describe("the fixture is internal where it should be", () => {
  it("shows every sentinel to agents: handoff note, notes, tags, tier, group, policy, rule, link, event data", async () => {
    const ticket = (await t.inject("GET", `/api/v1/tickets/${ticketId}`, { token: t.people.agent1.token })).body;
    // The customer's request moved it last: its automatic handoff quotes the internal notes.
    expect(JSON.stringify(ticket.handoff_note.handoff)).toContain(S);
    expect(ticket.tags).toContain(S);
    expect(ticket.tier_name).toContain(S);
    expect(ticket.group.name).toContain(S);
    expect(ticket.sla.policy.name).toContain(S);
    const events = (await t.inject("GET", `/api/v1/tickets/${ticketId}/events`, { token: t.people.agent1.token })).body
      .items;
    expect(events.some((e: any) => e.type === "escalated" && e.actor.name === `Rule ${S}`)).toBe(true);
    expect(events.some((e: any) => e.type === "ticket.linked" && leaks(e.data))).toBe(true);
    expect(events.some((e: any) => e.type === "tier.budget_exceeded" && leaks(e.data))).toBe(true);
    const messages = (await t.inject("GET", `/api/v1/tickets/${ticketId}/messages`, { token: t.people.agent1.token }))
      .body;
    expect(messages.items.filter((m: any) => m.kind === "note" && leaks(m.body))).toHaveLength(2);
    expect(staffStream.parsed("ticket").map((e) => e.type)).toEqual(
      expect.arrayContaining(["sla.breached", "ticket.linked"]),
    );
  });
});

describe("the customer sees only what is theirs", () => {
  it("gets no sentinel from any GET route of the API", async () => {
    const routes = (t.http as unknown as { apiRoutes: string[] }).apiRoutes.filter(
      (r) => r.startsWith("GET ") && r !== "GET /api/v1/stream",
    );
    expect(routes.length).toBeGreaterThan(20);
    const idFor = (path: string) =>
      path.startsWith("/api/v1/groups")
        ? ids.group!
        : path.startsWith("/api/v1/calendars")
          ? ids.calendar!
          : path.startsWith("/api/v1/sla-policies")
            ? ids.policy!
            : path.startsWith("/api/v1/escalation-rules")
              ? ids.rule!
              : path.startsWith("/api/v1/users")
                ? t.people.agent1.id
                : ticketId;
    const statuses: Record<string, number> = {};
    for (const route of routes) {
      const path = route
        .slice(4)
        .replace("{id}", idFor(route.slice(4)))
        .replace("{level}", "3")
        .replace("{name}", "mine")
        .replace(/\{\w+\}/g, "x");
      const res = await t.inject("GET", path, { token: t.people.customer.token });
      statuses[path] = res.status;
      expect(leaks(res.text), `${path} (${res.status}): ${res.text.slice(0, 300)}`).toBe(false);
    }
    expect(statuses[`/api/v1/tickets/${ticketId}`]).toBe(200);
    expect(statuses[`/api/v1/tickets/${ticketId}/events`]).toBe(200);
    expect(statuses["/api/v1/tickets"]).toBe(200);
  });

  it("gets the ticket with allowed fields only: the tier as a level, no group, tags, priority or handoff note", async () => {
    const res = await t.inject("GET", `/api/v1/tickets/${ticketId}`, { token: t.people.customer.token });
    expect(Object.keys(res.body).sort()).toEqual(
      [
        "category",
        "channel",
        "closed_at",
        "created_at",
        "description",
        "first_response_at",
        "id",
        "language",
        "number",
        "organization",
        "requester",
        "sla",
        "solved_at",
        "status",
        "subject",
        "tier",
        "updated_at",
        "version",
      ].sort(),
    );
    expect(res.body).toMatchObject({ tier: 3, sla: { policy: null } });
    const list = await t.inject("GET", "/api/v1/tickets", { token: t.people.customer.token });
    const row = list.body.items.find((i: any) => i.id === ticketId);
    expect(Object.keys(row).sort()).toEqual([
      "channel",
      "created_at",
      "id",
      "number",
      "requester",
      "status",
      "subject",
      "tier",
      "updated_at",
    ]);
  });

  it("reads a timeline of customer events in customer words, rules and timers unnamed", async () => {
    const res = await t.inject("GET", `/api/v1/tickets/${ticketId}/events`, { token: t.people.customer.token });
    const items = res.body.items as {
      type: string;
      actor: { kind: string; id: null; name: string | null };
      data: any;
    }[];
    for (const e of items) expect(CUSTOMER_EVENT_TYPES).toContain(e.type);
    const escalations = items.filter((e) => e.type === "escalated");
    expect(escalations.map((e) => e.data)).toEqual([
      {
        to_tier: 2,
        text: {
          en: "Your request has been passed to our level 2 team.",
          id: "Permintaan Anda telah diteruskan ke tim tingkat 2 kami.",
        },
      },
      {
        to_tier: 3,
        text: {
          en: "Your request has been passed to our level 3 team.",
          id: "Permintaan Anda telah diteruskan ke tim tingkat 3 kami.",
        },
      },
      {
        to_tier: 3,
        text: {
          en: "We have received your escalation request. A supervisor will review your ticket and get back to you.",
          id: "Permintaan eskalasi Anda telah kami terima. Supervisor kami akan meninjau tiket Anda dan segera menghubungi Anda.",
        },
      },
    ]);
    expect(escalations[1]!.actor).toEqual({ kind: "system", id: null, name: null });
    expect(items.every((e) => e.actor.id === null)).toBe(true);
    expect(items.map((e) => e.type)).toEqual(
      expect.arrayContaining(["ticket.created", "message.added", "escalation.requested"]),
    );
    expect(items.filter((e) => e.type === "message.added")).toHaveLength(2); // the agent's reply and the customer's, not the notes
  });

  it("hears on the live stream only of changes with a customer event, never sla.breached or ticket.linked", () => {
    const mine = customerStream.parsed("ticket");
    expect(mine.length).toBeGreaterThan(3);
    expect(leaks(customerStream.events)).toBe(false);
    for (const e of mine) expect(CUSTOMER_EVENT_TYPES).toContain(e.type);
    expect(mine.some((e) => e.type === "escalated")).toBe(true);
    // The staff stream heard of more changes (the link, the deadline, the budget, the tags, the note).
    expect(staffStream.parsed("ticket").length).toBeGreaterThan(mine.length);
  });

  it("is sent emails without a sentinel, naming tiers by level", async () => {
    const mails = await t.db
      .selectFrom("outbox")
      .select("payload")
      .where("kind", "=", "email")
      .where("ticket_id", "=", ticketId)
      .execute();
    const payloads = mails.map((m) => m.payload as { to: string; template: string; text: string; html: string });
    expect(payloads.map((p) => p.template)).toEqual(
      expect.arrayContaining(["ticket.received", "ticket.escalated", "ticket.periodic_update", "agent.reply"]),
    );
    for (const p of payloads) {
      expect(p.to).toBe(t.people.customer.email);
      expect(leaks(p), `${p.template}: ${p.text}`).toBe(false);
    }
    const escalated = payloads.filter((p) => p.template === "ticket.escalated").map((p) => p.text);
    expect(escalated.join("\n")).toContain("tim tingkat 2 kami");
    expect(payloads.find((p) => p.template === "ticket.periodic_update")!.text).toContain("tim tingkat 3 kami");
  });
});

describe("what a customer may not choose", () => {
  it("refuses a customer's priority and tags with 422 naming both fields, creating nothing", async () => {
    const before = await t.count("tickets");
    const res = await t.inject("POST", "/api/v1/tickets", {
      token: t.people.customer.token,
      body: { subject: "Urgent!", description: "Please", priority: "urgent", tags: ["vip"] },
    });
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { path: string[] }) => e.path)).toEqual([["priority"], ["tags"]]);
    expect(await t.count("tickets")).toBe(before);
    // Staff still set both when they open a ticket for a customer.
    const staff = await t.createTicket({ priority: "urgent", tags: ["vip"] }, t.people.agent1);
    expect(staff).toMatchObject({ priority: "urgent", tags: ["vip"] });
  });

  it("lets only admins change a group's inbound email address; a supervisor still renames their group", async () => {
    const group = t.groups.frontline;
    const before = await t.db
      .selectFrom("groups")
      .select(["email_address", "name"])
      .where("id", "=", group)
      .executeTakeFirstOrThrow();
    const res = await t.inject("PATCH", `/api/v1/groups/${group}`, {
      token: t.people.supervisor.token,
      body: { email_address: "attacker@evil.test" },
    });
    expect(res.status).toBe(403);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([{ path: ["email_address"], message: "admins only" }]);
    const mixed = await t.inject("PATCH", `/api/v1/groups/${group}`, {
      token: t.people.supervisor.token,
      body: { name: "Frontline renamed", email_address: "attacker@evil.test" },
    });
    expect(mixed.status).toBe(403);
    expect(
      await t.db
        .selectFrom("groups")
        .select(["email_address", "name"])
        .where("id", "=", group)
        .executeTakeFirstOrThrow(),
    ).toEqual(before);
    const rename = await t.inject("PATCH", `/api/v1/groups/${group}`, {
      token: t.people.supervisor.token,
      body: { name: "Frontline renamed" },
    });
    expect(rename.status).toBe(200);
    const admin = await t.inject("PATCH", `/api/v1/groups/${group}`, {
      body: { email_address: "support2@eskala.local" },
    });
    expect(admin.status).toBe(200);
    expect(admin.body.email_address).toBe("support2@eskala.local");
  });
});
