import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock, startTestApp, type TestApp } from "./harness.ts";
import { JAKARTA } from "./sla/helpers.ts";

/**
 * The audit log: who changed which configuration, when, before and after, secrets redacted;
 * written in the change's transaction, readable by admins only, append-only.
 */
const clock = manualClock(new Date("2026-03-02T03:00:00Z"));
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ clock });
});
afterAll(async () => t?.close());

type Entry = {
  id: string;
  at: string;
  actor: { id: string | null; name: string };
  action: string;
  entity: string;
  entity_id: string;
  entity_name: string;
  changes: { field: string; before: unknown; after: unknown; redacted: boolean }[];
  parts: { field: string; before: unknown; after: unknown; redacted: boolean }[];
};

async function entries(query: Record<string, string> = {}): Promise<Entry[]> {
  const res = await t.inject("GET", "/api/v1/audit-log", { query: { limit: "200", ...query } });
  expect(res.status, res.text).toBe(200);
  return res.body.items;
}
/** The newest entry for an entity. */
async function latest(entity: string, entityId: string) {
  const [e] = await entries({ entity, entity_id: entityId });
  expect(e, `${entity} ${entityId}`).toBeDefined();
  return e!;
}
const field = (e: Entry, name: string) => e.changes.find((c) => c.field === name);
const admin = () => ({ id: t.people.admin.id, name: "admin" });

describe("what is recorded", () => {
  it("a rule switched off: who, when, and enabled true → false", async () => {
    clock.set(new Date("2026-03-02T04:00:00Z"));
    const rule = await t.inject("POST", "/api/v1/escalation-rules", {
      body: { name: "VIP breach", event: "sla.breached", actions: [{ type: "add_tag", tag: "vip-breach" }] },
    });
    expect(rule.status, rule.text).toBe(201);
    const created = await latest("rule", rule.body.id);
    expect(created).toMatchObject({ action: "created", entity_name: "VIP breach", actor: admin() });
    expect(field(created, "enabled")).toMatchObject({ before: null, after: true });

    clock.set(new Date("2026-03-02T05:00:00Z"));
    const off = await t.inject("PATCH", `/api/v1/escalation-rules/${rule.body.id}`, { body: { enabled: false } });
    expect(off.status, off.text).toBe(200);
    const changed = await latest("rule", rule.body.id);
    expect(changed).toMatchObject({ action: "updated", at: "2026-03-02T05:00:00.000Z", actor: admin() });
    expect(changed.changes).toEqual([{ field: "enabled", before: true, after: false, redacted: false }]);

    expect((await t.inject("DELETE", `/api/v1/escalation-rules/${rule.body.id}`)).status).toBe(204);
    expect((await latest("rule", rule.body.id)).action).toBe("deleted");
  });

  it("a rule's changed parts come whole (all its actions, all its conditions), not one per nested path", async () => {
    const rule = await t.inject("POST", "/api/v1/escalation-rules", {
      body: {
        name: "Upset customers",
        event: "sentiment.negative",
        conditions: { all: [{ field: "priority", op: "in", value: ["low", "medium"] }] },
        actions: [{ type: "set_priority", priority: "high" }],
      },
    });
    expect(rule.status, rule.text).toBe(201);
    const created = await latest("rule", rule.body.id);
    expect(created.parts).toContainEqual({
      field: "event",
      before: null,
      after: "sentiment.negative",
      redacted: false,
    });
    const patch = await t.inject("PATCH", `/api/v1/escalation-rules/${rule.body.id}`, {
      body: {
        actions: [
          { type: "set_priority", priority: "high" },
          { type: "add_tag", tag: "sentimen-negatif" },
        ],
      },
    });
    expect(patch.status, patch.text).toBe(200);
    const changed = await latest("rule", rule.body.id);
    expect(changed.parts).toEqual([
      {
        field: "definition.actions",
        before: [{ type: "set_priority", priority: "high" }],
        after: [
          { type: "set_priority", priority: "high" },
          { type: "add_tag", tag: "sentimen-negatif" },
        ],
        redacted: false,
      },
    ]);
    // The flattened field list stays as it was for existing readers.
    expect(changed.changes.map((c) => c.field).sort()).toEqual([
      "definition.actions.2.tag",
      "definition.actions.2.type",
    ]);
    expect((await t.inject("DELETE", `/api/v1/escalation-rules/${rule.body.id}`)).status).toBe(204);
  });

  it("SLA policies and calendars, with the changed fields of their definitions", async () => {
    const cal = await t.inject("POST", "/api/v1/calendars", { body: { name: "Jam Kerja", definition: JAKARTA } });
    expect(cal.status, cal.text).toBe(201);
    await t.inject("PATCH", `/api/v1/calendars/${cal.body.id}`, { body: { name: "Jam Kerja WIB" } });
    const renamed = await latest("calendar", cal.body.id);
    expect(renamed.changes).toEqual([{ field: "name", before: "Jam Kerja", after: "Jam Kerja WIB", redacted: false }]);

    const policy = await t.inject("POST", "/api/v1/sla-policies", {
      body: {
        name: "Gold",
        calendar_id: null,
        conditions: {},
        pause_on_hold: false,
        targets: { medium: { first_response: 60, next_response: 120, resolution: 480 } },
        tier_budgets: { "1": 120 },
        ladder: [0.5],
      },
    });
    expect(policy.status, policy.text).toBe(201);
    expect((await latest("sla_policy", policy.body.id)).action).toBe("created");
    const patch = await t.inject("PATCH", `/api/v1/sla-policies/${policy.body.id}`, {
      body: { targets: { medium: { first_response: 30, next_response: 120, resolution: 480 } } },
    });
    expect(patch.status, patch.text).toBe(200);
    const tightened = await latest("sla_policy", policy.body.id);
    expect(tightened.changes).toContainEqual({
      field: "definition.targets.medium.first_response",
      before: 60,
      after: 30,
      redacted: false,
    });
  });

  it("users and their role, never the password hash", async () => {
    const user = await t.inject("POST", "/api/v1/users", {
      body: { email: "ana@test.local", name: "Ana", role: "admin", password: "rahasia-sekali-123" },
    });
    expect(user.status, user.text).toBe(201);
    const created = await latest("user", user.body.id);
    expect(field(created, "role")).toMatchObject({ after: "admin" });
    expect(field(created, "password_hash")).toEqual({
      field: "password_hash",
      before: null,
      after: null,
      redacted: true,
    });
    await t.inject("PATCH", `/api/v1/users/${user.body.id}`, { body: { role: "supervisor", agent: { tier: 2 } } });
    const demoted = await latest("user", user.body.id);
    expect(field(demoted, "role")).toMatchObject({ before: "admin", after: "supervisor" });
    const hash = (
      await t.db.selectFrom("users").select("password_hash").where("id", "=", user.body.id).executeTakeFirstOrThrow()
    ).password_hash!;
    const stored = await t.db
      .withTables<{ audit_log: { before: unknown; after: unknown } }>()
      .selectFrom("audit_log")
      .select(["before", "after"])
      .execute();
    expect(JSON.stringify(stored)).not.toContain(hash);
  });

  it("API tokens created and revoked, the token hash redacted", async () => {
    const token = await t.inject("POST", "/api/v1/tokens", { body: { name: "CI" } });
    expect(token.status, token.text).toBe(201);
    const created = await latest("api_token", token.body.id);
    expect(created).toMatchObject({ action: "created", entity_name: "CI", actor: admin() });
    expect(field(created, "token_hash")).toMatchObject({ redacted: true, before: null, after: null });
    expect(JSON.stringify(created)).not.toContain(token.body.token);
    await t.inject("DELETE", `/api/v1/tokens/${token.body.id}`);
    const revoked = await latest("api_token", token.body.id);
    expect(revoked.action).toBe("updated");
    expect(field(revoked, "revoked_at")).toMatchObject({ before: null, after: expect.any(String) });
    // Using a token (last_used_at) is not a change of configuration.
    const count = (await entries()).length;
    await t.inject("GET", "/api/v1/me", { token: t.people.agent1.token });
    expect((await entries()).length).toBe(count);
  });

  it("webhooks, the secret redacted but its change shown", async () => {
    const hook = await t.inject("POST", "/api/v1/webhooks", {
      body: { name: "Ops", url: "https://93.184.215.14/hook", events: [], secret: "whsec_supersecretvalue123" },
    });
    expect(hook.status, hook.text).toBe(201);
    await t.inject("PATCH", `/api/v1/webhooks/${hook.body.id}`, { body: { secret: "whsec_anothersecretvalue456" } });
    const rotated = await latest("webhook", hook.body.id);
    expect(rotated.changes).toEqual([{ field: "secret", before: null, after: null, redacted: true }]);
    const all = await t.inject("GET", "/api/v1/audit-log", { query: { entity: "webhook" } });
    expect(all.text).not.toContain("supersecretvalue");
    expect(all.text).not.toContain("anothersecretvalue");
  });

  it("mail templates, groups, tiers and categories", async () => {
    const tpl = await t.inject("PUT", "/api/v1/mail-templates/ticket.received/en", {
      body: { subject: "We got it: {{ticket_number}}", body: "Hello {{customer_name}}" },
    });
    expect(tpl.status, tpl.text).toBe(200);
    const mail = await latest("mail_template", "ticket.received:en");
    expect(mail).toMatchObject({ action: "created", entity_name: "ticket.received / en", actor: admin() });
    expect(field(mail, "subject")).toMatchObject({ after: "We got it: {{ticket_number}}" });

    const group = await t.inject("POST", "/api/v1/groups", { body: { name: "Escalations", kind: "department" } });
    expect(group.status, group.text).toBe(201);
    expect((await latest("group", group.body.id)).actor).toEqual(admin());
    await t.inject("PATCH", "/api/v1/tiers/2", { body: { name: "Specialists" } });
    expect((await latest("tier", "2")).changes).toContainEqual(
      expect.objectContaining({ field: "name", before: "Tier 2", after: "Specialists" }),
    );
    const cat = await t.inject("POST", "/api/v1/categories", { body: { name: "Refunds" } });
    expect((await latest("category", cat.body.id)).action).toBe("created");
  });

  it("is written in the change's transaction: a change that fails leaves no entry", async () => {
    const before = (await entries()).length;
    const clash = await t.inject("PATCH", `/api/v1/groups/${t.groups.billing}`, { body: { name: "Frontline" } });
    expect(clash.status).toBe(409);
    expect((await entries()).length).toBe(before);
  });
});

describe("reading it", () => {
  it("is for admins only: 403 problem+json for supervisors, agents and customers, 401 anonymous", async () => {
    for (const who of ["supervisor", "agent1", "customer"] as const) {
      const res = await t.inject("GET", "/api/v1/audit-log", { token: t.people[who].token });
      expect(res.status, who).toBe(403);
      expect(res.headers["content-type"]).toContain("application/problem+json");
    }
    expect((await t.inject("GET", "/api/v1/audit-log", { token: null })).status).toBe(401);
  });

  it("filters by entity, actor, action and time, newest first", async () => {
    const rules = await entries({ entity: "rule" });
    expect(rules.length).toBeGreaterThanOrEqual(3);
    expect(rules.every((e) => e.entity === "rule")).toBe(true);
    expect(rules.map((e) => e.action).slice(0, 3)).toEqual(["deleted", "updated", "created"]);
    const mine = await entries({ actor_id: t.people.admin.id, action: "created" });
    expect(mine.length).toBeGreaterThan(3);
    expect(mine.every((e) => e.actor.id === t.people.admin.id && e.action === "created")).toBe(true);
    const window = await entries({ from: "2026-03-02T04:30:00Z", to: "2026-03-02T05:30:00Z" });
    expect(window.map((e) => e.entity_name)).toContain("VIP breach");
    expect(window.every((e) => e.at >= "2026-03-02T04:30:00Z" && e.at < "2026-03-02T05:30:00Z")).toBe(true);
  });

  it("pages with a cursor without gaps or repeats", async () => {
    const all = await entries();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.inject("GET", "/api/v1/audit-log", { query: { limit: "4", ...(cursor ? { cursor } : {}) } });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((e: Entry) => e.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));
  });

  it.each([
    ["cursor", "abc"],
    ["cursor", "-1"],
    ["entity", "ticket"],
    ["actor_id", "not-a-uuid"],
    ["from", "yesterday"],
    ["limit", "0"],
  ])("refuses %s=%s with a 422 problem", async (key, value) => {
    const res = await t.inject("GET", "/api/v1/audit-log", { query: { [key]: value } });
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toContain("application/problem+json");
  });
});

describe("append-only", () => {
  it("refuses UPDATE, DELETE and TRUNCATE in the database", async () => {
    const before = (await entries()).length;
    await expect(sql`update audit_log set actor_name = 'someone else'`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
    const after = await entries();
    expect(after.length).toBe(before);
    expect(after.some((e) => e.actor.name === "someone else")).toBe(false);
  });
});
