import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validate } from "@readme/openapi-parser";
import { startTestApp, type TestApp } from "./harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe("configuration is data: tiers, groups, agents, categories", () => {
  it("adds and renames a tier", async () => {
    expect((await t.inject("POST", "/api/v1/tiers", { body: { level: 4, name: "Tier 4 · Vendor" } })).status).toBe(201);
    const renamed = await t.inject("PATCH", "/api/v1/tiers/1", { body: { name: "Garda Depan" } });
    expect(renamed.body).toMatchObject({ level: 1, name: "Garda Depan" });
    const ticket = await t.createTicket();
    expect((await t.inject("GET", `/api/v1/tickets/${ticket.id}`)).body.tier_name).toBe("Garda Depan");
  });

  it("creates an agent with a profile and tunes capacity without touching groups or skills", async () => {
    const created = await t.inject("POST", "/api/v1/users", {
      body: {
        email: "baru@test.local",
        name: "Agen Baru",
        role: "agent",
        agent: {
          tier: 1,
          group_ids: [t.groups.frontline],
          skills: [{ skill: "Billing", level: 3 }],
          languages: ["id", "en"],
          capacity: 10,
        },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.agent).toMatchObject({
      tier: 1,
      group_ids: [t.groups.frontline],
      skills: [{ skill: "billing", level: 3 }],
      capacity: 10,
      presence: "offline",
      open_tickets: 0,
    });
    const tuned = await t.inject("PATCH", `/api/v1/users/${created.body.id}`, { body: { agent: { capacity: 12 } } });
    expect(tuned.body.agent).toMatchObject({
      capacity: 12,
      group_ids: [t.groups.frontline],
      skills: [{ skill: "billing", level: 3 }],
      languages: ["id", "en"],
    });
  });

  it("keeps one default group per tier", async () => {
    const g = await t.inject("POST", "/api/v1/groups", {
      body: { name: "Frontline B", kind: "tier", tier: 1, is_default: true },
    });
    expect(g.status).toBe(201);
    const groups = (await t.inject("GET", "/api/v1/groups")).body.items;
    expect(groups.filter((x: any) => x.tier === 1 && x.is_default).map((x: any) => x.name)).toEqual(["Frontline B"]);
    const ticket = await t.createTicket();
    expect((await t.inject("GET", `/api/v1/tickets/${ticket.id}`)).body.group.name).toBe("Frontline B");
  });

  it("maps categories to skills and finds a category by name on ticket creation", async () => {
    const cat = await t.inject("POST", "/api/v1/categories", {
      body: { name: "Pembayaran", skill: "Payments", skill_level: 2 },
    });
    expect(cat.body).toMatchObject({ name: "Pembayaran", skill: "payments", skill_level: 2 });
    const ticket = await t.createTicket({ category: "pembayaran" });
    expect(ticket.category).toEqual({ id: cat.body.id, name: "Pembayaran" });
  });

  it("sets my own language and presence", async () => {
    const res = await t.inject("PATCH", "/api/v1/me", {
      token: t.people.agent1.token,
      body: { language: "en", presence: "away" },
    });
    expect(res.body).toMatchObject({ language: "en", agent: { presence: "away" } });
    const customer = await t.inject("PATCH", "/api/v1/me", {
      token: t.people.customer.token,
      body: { presence: "online" },
    });
    expect(customer.status).toBe(422);
  });
});

describe("API documentation", () => {
  it("serves a valid OpenAPI 3.1 document that lists every route", async () => {
    const res = await t.inject("GET", "/api/v1/openapi.json", { token: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const result = await validate(structuredClone(res.body));
    expect(result.valid, JSON.stringify((result as { errors?: unknown }).errors)).toBe(true);
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(res.body.paths as Record<string, object>))
      for (const m of Object.keys(ops)) documented.add(`${m.toUpperCase()} ${path}`);
    const registered = (t.http as unknown as { apiRoutes: string[] }).apiRoutes;
    expect(registered.length).toBeGreaterThan(20);
    expect(registered.filter((r) => !documented.has(r))).toEqual([]);
  });

  it("serves the browsable reference at /api/docs", async () => {
    const res = await t.inject("GET", "/api/docs/", { token: null });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/swagger/i);
  });

  it("answers health and readiness (metrics: security-headers.int.test.ts)", async () => {
    expect((await t.inject("GET", "/healthz", { token: null })).body).toEqual({ status: "ok" });
    expect((await t.inject("GET", "/readyz", { token: null })).body).toMatchObject({ status: "ready" });
  });
});
