import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./harness.ts";

/**
 * Every endpoint × every role. Customers see only their own tickets (404 for others', so
 * existence does not leak) and never internal notes; agents work tickets; supervisors also tune
 * their groups; admins configure.
 */
let t: TestApp;
let ticketId: string;
let n = 0;
beforeAll(async () => {
  t = await startTestApp();
  ticketId = (await t.createTicket()).id;
});
afterAll(async () => t?.close());

type Who = "anonymous" | "customer" | "otherCustomer" | "agent1" | "supervisor" | "admin";
const WHO: Who[] = ["anonymous", "customer", "otherCustomer", "agent1", "supervisor", "admin"];

interface Row {
  name: string;
  method: string;
  url: () => string;
  body?: () => unknown;
  expect: Record<Who, number>;
}
const all = (anon: number, customer: number, other: number, agent: number, sup: number, admin: number): Record<Who, number> => ({
  anonymous: anon,
  customer,
  otherCustomer: other,
  agent1: agent,
  supervisor: sup,
  admin,
});
const uniq = (p: string) => `${p} ${++n}`;

const ROWS: Row[] = [
  { name: "list tickets", method: "GET", url: () => "/api/v1/tickets", expect: all(401, 200, 200, 200, 200, 200) },
  { name: "create a ticket", method: "POST", url: () => "/api/v1/tickets", body: () => ({ subject: "s", description: "d" }), expect: all(401, 201, 201, 422, 422, 422) },
  { name: "get the customer's ticket", method: "GET", url: () => `/api/v1/tickets/${ticketId}`, expect: all(401, 200, 404, 200, 200, 200) },
  { name: "change the ticket", method: "PATCH", url: () => `/api/v1/tickets/${ticketId}`, body: () => ({ tags: [uniq("t").replace(" ", "-")] }), expect: all(401, 403, 404, 200, 200, 200) },
  { name: "read the thread", method: "GET", url: () => `/api/v1/tickets/${ticketId}/messages`, expect: all(401, 200, 404, 200, 200, 200) },
  { name: "reply", method: "POST", url: () => `/api/v1/tickets/${ticketId}/messages`, body: () => ({ body: "halo" }), expect: all(401, 201, 404, 201, 201, 201) },
  { name: "write an internal note", method: "POST", url: () => `/api/v1/tickets/${ticketId}/messages`, body: () => ({ body: "catatan", kind: "note" }), expect: all(401, 403, 404, 201, 201, 201) },
  { name: "read the timeline", method: "GET", url: () => `/api/v1/tickets/${ticketId}/events`, expect: all(401, 200, 404, 200, 200, 200) },
  { name: "me", method: "GET", url: () => "/api/v1/me", expect: all(401, 200, 200, 200, 200, 200) },
  { name: "list users", method: "GET", url: () => "/api/v1/users", expect: all(401, 403, 403, 200, 200, 200) },
  { name: "get a user", method: "GET", url: () => `/api/v1/users/${t.people.agent1.id}`, expect: all(401, 403, 403, 200, 200, 200) },
  {
    name: "create a user",
    method: "POST",
    url: () => "/api/v1/users",
    body: () => ({ email: `${uniq("u").replace(" ", "")}@test.local`, name: "U", role: "customer" }),
    expect: all(401, 403, 403, 403, 403, 201),
  },
  { name: "a customer's summary (customer panel)", method: "GET", url: () => `/api/v1/users/${t.people.customer.id}/summary`, expect: all(401, 403, 403, 200, 200, 200) },
  { name: "tune an agent's capacity", method: "PATCH", url: () => `/api/v1/users/${t.people.agent1.id}`, body: () => ({ agent: { capacity: 15 } }), expect: all(401, 403, 403, 403, 200, 200) },
  { name: "change an agent's role", method: "PATCH", url: () => `/api/v1/users/${t.people.agent1.id}`, body: () => ({ role: "agent" }), expect: all(401, 403, 403, 403, 403, 200) },
  { name: "list tiers", method: "GET", url: () => "/api/v1/tiers", expect: all(401, 403, 403, 200, 200, 200) },
  { name: "add a tier", method: "POST", url: () => "/api/v1/tiers", body: () => ({ level: 5, name: "Tier X" }), expect: all(401, 403, 403, 403, 403, 201) },
  { name: "rename a tier", method: "PATCH", url: () => "/api/v1/tiers/1", body: () => ({ name: "Frontline" }), expect: all(401, 403, 403, 403, 403, 200) },
  { name: "list groups", method: "GET", url: () => "/api/v1/groups", expect: all(401, 403, 403, 200, 200, 200) },
  { name: "create a department", method: "POST", url: () => "/api/v1/groups", body: () => ({ name: uniq("Dept"), kind: "department" }), expect: all(401, 403, 403, 403, 403, 201) },
  { name: "rename a group one supervises", method: "PATCH", url: () => `/api/v1/groups/${t.groups.frontline}`, body: () => ({ name: "Frontline" }), expect: all(401, 403, 403, 403, 200, 200) },
  { name: "rename a group one does not supervise", method: "PATCH", url: () => `/api/v1/groups/${t.groups.billing}`, body: () => ({ name: "Billing" }), expect: all(401, 403, 403, 403, 403, 200) },
  { name: "list organizations", method: "GET", url: () => "/api/v1/organizations", expect: all(401, 403, 403, 200, 200, 200) },
  { name: "create an organization", method: "POST", url: () => "/api/v1/organizations", body: () => ({ name: uniq("Org") }), expect: all(401, 403, 403, 403, 403, 201) },
  { name: "list categories", method: "GET", url: () => "/api/v1/categories", expect: all(401, 200, 200, 200, 200, 200) },
  { name: "create a category", method: "POST", url: () => "/api/v1/categories", body: () => ({ name: uniq("Cat"), skill: "billing" }), expect: all(401, 403, 403, 403, 403, 201) },
  { name: "list API tokens", method: "GET", url: () => "/api/v1/tokens", expect: all(401, 403, 403, 403, 403, 200) },
  { name: "create an API token", method: "POST", url: () => "/api/v1/tokens", body: () => ({ name: "bot" }), expect: all(401, 403, 403, 403, 403, 201) },
  { name: "web chat figures (deflections, handovers)", method: "GET", url: () => "/api/v1/chat/stats", expect: all(401, 403, 403, 403, 200, 200) },
  { name: "list chat host sites", method: "GET", url: () => "/api/v1/chat/sites", expect: all(401, 403, 403, 403, 403, 200) },
];

describe("authorization matrix", () => {
  for (const row of ROWS) {
    for (const who of WHO) {
      it(`${row.name} as ${who} → ${row.expect[who]}`, async () => {
        const token = who === "anonymous" ? null : t.people[who].token;
        const res = await t.inject(row.method, row.url(), { token, ...(row.body ? { body: row.body() } : {}) });
        expect(res.status, res.text).toBe(row.expect[who]);
        if (res.status >= 400) expect(res.headers["content-type"]).toMatch(/problem\+json/);
      });
    }
  }

  it("covers every foundation route of the OpenAPI document", async () => {
    const doc = (await t.inject("GET", "/api/v1/openapi.json")).body;
    const template = (url: string) => url.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "{id}").replace(/\/tiers\/\d+/, "/tiers/{level}");
    const covered = new Set(ROWS.map((r) => `${r.method} ${template(r.url())}`));
    const elsewhere = new Set(["POST /api/v1/auth/login", "POST /api/v1/auth/logout", "GET /api/v1/auth/session", "PATCH /api/v1/me", "DELETE /api/v1/tokens/{id}", "PATCH /api/v1/organizations/{id}", "PATCH /api/v1/categories/{id}", "POST /api/v1/auth/magic-link", "POST /api/v1/auth/magic-link/redeem"]);
    const foundation = /^\/api\/v1\/(tickets(\/\{id\}(\/(messages|events))?)?|users.*|tiers.*|groups.*|organizations.*|categories.*|tokens.*|me|auth\/.*)$/;
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      if (!foundation.test(path)) continue;
      for (const method of Object.keys(ops)) {
        const key = `${method.toUpperCase()} ${path}`;
        if (!covered.has(key) && !elsewhere.has(key)) missing.push(key);
      }
    }
    expect(missing).toEqual([]);
  });

  it("a customer never sees internal notes or staff-only data of their ticket", async () => {
    await t.inject("POST", `/api/v1/tickets/${ticketId}/messages`, { token: t.people.agent1.token, body: { body: "RAHASIA internal", kind: "note" } });
    const thread = await t.inject("GET", `/api/v1/tickets/${ticketId}/messages`, { token: t.people.customer.token });
    expect(JSON.stringify(thread.body)).not.toContain("RAHASIA");
    const events = await t.inject("GET", `/api/v1/tickets/${ticketId}/events`, { token: t.people.customer.token });
    expect(events.body.items.every((e: any) => e.actor.id === null)).toBe(true);
    expect(JSON.stringify(events.body)).not.toContain("note");
  });

  it("a customer of an organization that shares tickets sees colleagues' tickets; otherwise not", async () => {
    const colleague = await t.inject("POST", "/api/v1/users", { body: { email: "colleague@acme.test", name: "Colleague", role: "customer", organization_id: t.orgId } });
    const { token } = await t.services.auth.createToken(colleague.body.id, "t");
    const theirs = await t.createTicket({ requester: { email: "colleague@acme.test" } }, t.people.agent1);
    expect((await t.inject("GET", `/api/v1/tickets/${theirs.id}`, { token: t.people.customer.token })).status).toBe(404);
    await t.inject("PATCH", `/api/v1/organizations/${t.orgId}`, { body: { shared_tickets: true } });
    const { token: fresh } = await t.services.auth.createToken(t.people.customer.id, "fresh");
    expect((await t.inject("GET", `/api/v1/tickets/${theirs.id}`, { token: fresh })).status).toBe(200);
    void token;
  });
});
