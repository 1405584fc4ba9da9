import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./harness.ts";

let t: TestApp;
let ticketId: string;
beforeAll(async () => {
  t = await startTestApp();
  ticketId = (await t.createTicket()).id;
});
afterAll(async () => t?.close());

const valid = () => ({ subject: "Valid", description: "Valid description", requester: { email: "valid@example.com" } });

/** Every refused request leaves tickets, messages, users and the timeline as they were. */
async function expectNothingWritten(run: () => Promise<unknown>) {
  const before = await Promise.all((["tickets", "messages", "ticket_events", "users", "attachments"] as const).map((x) => t.count(x)));
  const ticket = await t.inject("GET", `/api/v1/tickets/${ticketId}`);
  await run();
  const after = await Promise.all((["tickets", "messages", "ticket_events", "users", "attachments"] as const).map((x) => t.count(x)));
  expect(after).toEqual(before);
  expect((await t.inject("GET", `/api/v1/tickets/${ticketId}`)).body).toEqual(ticket.body);
}

function expectProblem(res: { status: number; headers: Record<string, unknown>; body: any }, status: number, code: string, path?: (string | number)[]) {
  expect(res.status).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, title: expect.any(String), type: expect.any(String), request_id: expect.any(String) });
  if (path) expect(res.body.errors.map((e: { path: unknown }) => e.path)).toContainEqual(path);
}

describe("bad input on ticket creation: a specific 4xx naming the field, nothing written", () => {
  const cases: [string, unknown, number, string, (string | number)[] | undefined][] = [
    ["malformed JSON", '{"subject": "x",', 400, "malformed_request", undefined],
    ["a wrong type", { ...valid(), subject: 42 }, 422, "validation_failed", ["subject"]],
    ["an unknown field", { ...valid(), colour: "red" }, 422, "validation_failed", ["colour"]],
    ["an unknown nested field", { ...valid(), requester: { email: "a@b.co", age: 3 } }, 422, "validation_failed", ["requester", "age"]],
    ["a subject over 250 characters", { ...valid(), subject: "x".repeat(251) }, 422, "validation_failed", ["subject"]],
    ["an empty description", { ...valid(), description: "   " }, 422, "validation_failed", ["description"]],
    ["an invalid priority", { ...valid(), priority: "critical" }, 422, "validation_failed", ["priority"]],
    ["an invalid channel", { ...valid(), channel: "fax" }, 422, "validation_failed", ["channel"]],
    ["an invalid email", { ...valid(), requester: { email: "not-an-email" } }, 422, "validation_failed", ["requester", "email"]],
    ["an unknown category", { ...valid(), category: "Nope" }, 422, "validation_failed", ["category"]],
    ["an unknown group", { ...valid(), group_id: "7d9f4a8e-0000-4000-8000-000000000000" }, 422, "validation_failed", ["group_id"]],
    ["a created_at that is not an instant", { ...valid(), created_at: "yesterday" }, 422, "validation_failed", ["created_at"]],
    ["a created_at in the future", { ...valid(), created_at: "2999-01-01T00:00:00Z" }, 422, "validation_failed", ["created_at"]],
    ["too many tags", { ...valid(), tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 422, "validation_failed", ["tags"]],
    ["a tag with spaces", { ...valid(), tags: ["two words"] }, 422, "validation_failed", ["tags", 0]],
    ["an array body", [valid()], 422, "validation_failed", undefined],
  ];
  it.each(cases)("%s", async (_name, body, status, code, path) => {
    await expectNothingWritten(async () => expectProblem(await t.inject("POST", "/api/v1/tickets", { body }), status, code, path));
  });

  it("a body over the size limit gets 413", async () => {
    const huge = { ...valid(), description: "x".repeat(9 * 1024 * 1024) };
    await expectNothingWritten(async () => expectProblem(await t.inject("POST", "/api/v1/tickets", { body: huge }), 413, "payload_too_large"));
  });

  it("an attachment over 5 MiB gets 413 naming the attachment", async () => {
    const big = Buffer.alloc(5 * 1024 * 1024 + 10, 1).toString("base64");
    const body = { body: "lampiran", attachments: [{ filename: "big.bin", content_base64: big }] };
    await expectNothingWritten(async () => {
      const res = await t.inject("POST", `/api/v1/tickets/${ticketId}/messages`, { body });
      expect([413, 422]).toContain(res.status);
      expect(res.body.errors[0].path.slice(0, 2)).toEqual(["attachments", 0]);
    });
  });

  it("a body that is not JSON gets 415", async () => {
    await expectNothingWritten(async () =>
      expectProblem(await t.inject("POST", "/api/v1/tickets", { body: "subject=x", headers: { "content-type": "application/x-www-form-urlencoded" } }), 415, "unsupported_media_type"),
    );
  });

  it("missing or wrong credentials get 401 before the body is looked at", async () => {
    await expectNothingWritten(async () => {
      expectProblem(await t.inject("POST", "/api/v1/tickets", { token: null, body: valid() }), 401, "unauthenticated");
      expectProblem(await t.inject("POST", "/api/v1/tickets", { token: "esk_wrong", body: { nonsense: true } }), 401, "unauthenticated");
    });
  });
});

describe("bad input on changes", () => {
  it("an unknown ticket id gets 404, a malformed one too", async () => {
    expectProblem(await t.inject("GET", "/api/v1/tickets/7d9f4a8e-0000-4000-8000-000000000000"), 404, "not_found");
    expectProblem(await t.inject("GET", "/api/v1/tickets/1042"), 404, "not_found");
  });

  it.each([
    ["an unknown assignee", { assignee_id: "7d9f4a8e-0000-4000-8000-000000000000" }, 422, ["assignee_id"]],
    ["an invalid status", { status: "done" }, 422, ["status"]],
    ["an invalid transition", { status: "closed" }, 409, ["status"]],
    ["an empty change", {}, 422, undefined],
    ["a resolution code without solving", { resolution_code: "fixed" }, 422, ["resolution_code"]],
    ["a tier-2 group without escalating", { group_id: "TECHNICAL" }, 422, ["group_id"]],
  ] as const)("%s", async (_name, raw, status, path) => {
    const body = JSON.parse(JSON.stringify(raw).replace("TECHNICAL", t.groups.technical));
    await expectNothingWritten(async () => {
      const res = await t.inject("PATCH", `/api/v1/tickets/${ticketId}`, { body });
      expect(res.status).toBe(status);
      if (path) expect(res.body.errors.map((e: { path: unknown }) => e.path)).toContainEqual(path);
    });
  });

  it("a bad list query names the parameter", async () => {
    expectProblem(await t.inject("GET", "/api/v1/tickets", { query: { status: "nope" } }), 422, "validation_failed");
    expectProblem(await t.inject("GET", "/api/v1/tickets", { query: { limit: "5000" } }), 422, "validation_failed", ["limit"]);
    expectProblem(await t.inject("GET", "/api/v1/tickets", { query: { cursor: "garbage" } }), 422, "validation_failed", ["cursor"]);
  });

  it("a duplicate user email gets 409 naming the field; an unknown tier in a profile 422", async () => {
    const dup = await t.inject("POST", "/api/v1/users", { body: { email: "AGENT1@test.local", name: "Dup", role: "customer" } });
    expectProblem(dup, 409, "conflict", ["email"]);
    const tier = await t.inject("POST", "/api/v1/users", { body: { email: "x9@test.local", name: "X", role: "agent", agent: { tier: 9 } } });
    expectProblem(tier, 422, "validation_failed", ["agent", "tier"]);
    expect(await t.db.selectFrom("users").select("id").where("email", "=", "x9@test.local").executeTakeFirst()).toBeUndefined();
  });

  it("no input crashes the server: odd unicode and nulls are refused or stored, never a 500", async () => {
    for (const body of [{ ...valid(), subject: "\u0000" }, { ...valid(), subject: null }, { ...valid(), subject: "😀".repeat(100) }, { ...valid(), tags: [null] }]) {
      const res = await t.inject("POST", "/api/v1/tickets", { body });
      expect(res.status).toBeLessThan(500);
    }
    const nul = await t.inject("POST", "/api/v1/tickets", { body: { ...valid(), subject: "a\u0000b" } });
    expectProblem(nul, 422, "validation_failed", ["subject"]);
  });
});
