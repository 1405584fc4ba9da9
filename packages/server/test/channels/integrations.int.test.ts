import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock, type TestApp } from "../harness.ts";
import { SYSTEM_ACTOR } from "../../src/auth/actor.ts";
import { signPayload } from "../../src/channels/integrations/issue-status.ts";
import { counts, startChannelsApp } from "./helpers.ts";

const clock = manualClock(new Date("2026-03-02T03:00:00Z"));
let t: TestApp;
let secret: string;
let webhookId: string;
beforeAll(async () => {
  t = await startChannelsApp({}, clock);
  webhookId = (
    await t.db
      .insertInto("webhooks")
      .values({
        name: "jira",
        url: "https://hooks.example.com/x",
        secret: "whk",
        events: ["ticket.linked", "ticket.tier3_reached"],
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  await t.db
    .insertInto("webhooks")
    .values({ name: "chat", url: "https://chat.example.com/x", secret: "c", events: ["escalated"] })
    .execute();
  await t.db
    .insertInto("webhooks")
    .values({ name: "off", url: "https://off.example.com/x", secret: "o", events: ["*"], enabled: false })
    .execute();
  const created = await t.inject("POST", "/api/v1/integrations", { body: { name: "Jira" } });
  expect(created.status).toBe(201);
  secret = created.body.secret;
});
afterAll(async () => t?.close());

const unix = () => Math.floor(clock.now().getTime() / 1000);
const callStatus = (body: unknown, signature?: string | null, raw?: string) => {
  const payload = raw ?? JSON.stringify(body);
  return t.inject("POST", "/api/v1/integrations/issue-status", {
    token: null,
    body: payload,
    headers: {
      "content-type": "application/json",
      ...(signature === null ? {} : { "x-eskala-signature": signature ?? signPayload(secret, payload, unix()) }),
    },
  });
};

describe("engineering links", () => {
  it("links a ticket to an external issue, records it, and queues the subscribed webhooks only", async () => {
    const ticket = await t.createTicket();
    const res = await t.inject("POST", `/api/v1/tickets/${ticket.id}/links`, {
      token: t.people.agent3.token,
      body: { url: "https://jira.example.com/browse/ENG-42", key: "ENG-42", title: "Login loop" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ key: "ENG-42", status: null, ticket_id: ticket.id });
    const hooks = await t.db
      .selectFrom("outbox")
      .selectAll()
      .where("kind", "=", "webhook")
      .where("ticket_id", "=", ticket.id)
      .execute();
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.payload).toMatchObject({
      webhook_id: webhookId,
      event: "ticket.linked",
      body: { event: "ticket.linked", ticket: { id: ticket.id, number: ticket.number }, link: { key: "ENG-42" } },
    });
    const list = await t.inject("GET", `/api/v1/tickets/${ticket.id}/links`, { token: t.people.agent1.token });
    expect(list.body.items.map((l: any) => l.key)).toEqual(["ENG-42"]);
    const events = (await t.inject("GET", `/api/v1/tickets/${ticket.id}/events`)).body.items.map((e: any) => e.type);
    expect(events).toContain("ticket.linked");
  });

  it("refuses customers, duplicates, non-http URLs and unknown fields, writing nothing", async () => {
    const ticket = await t.createTicket();
    await t.inject("POST", `/api/v1/tickets/${ticket.id}/links`, {
      token: t.people.agent1.token,
      body: { url: "https://jira.example.com/browse/ENG-1", key: "ENG-1" },
    });
    const before = await counts(t, ["ticket_links", "outbox", "ticket_events"]);
    const link = (body: unknown, token = t.people.agent1.token) =>
      t.inject("POST", `/api/v1/tickets/${ticket.id}/links`, { token, body });
    expect((await link({ url: "https://x.example.com/1", key: "X-1" }, t.people.customer.token)).status).toBe(403);
    expect((await link({ url: "https://jira.example.com/browse/ENG-1", key: "eng-1" })).status).toBe(409);
    const js = await link({ url: "javascript:alert(1)", key: "X-2" });
    expect(js.status).toBe(422);
    expect(js.body.errors[0].path).toEqual(["url"]);
    const extra = await link({ url: "https://x.example.com/1", key: "X-3", priority: "high" });
    expect(extra.body.errors[0]).toMatchObject({ path: ["priority"], message: "unknown field" });
    expect(await counts(t, ["ticket_links", "outbox", "ticket_events"])).toEqual(before);
  });

  it("tells the webhooks when a ticket reaches tier 3", async () => {
    const ticket = await t.createTicket();
    // The engine moves tickets between tiers; a tier change through any ticket change triggers the call.
    await t.db
      .updateTable("tickets")
      .set({ tier: 3, group_id: t.groups.engineering })
      .where("id", "=", ticket.id)
      .execute();
    await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, {
      token: t.people.agent3.token,
      body: { kind: "note", body: "checking" },
    });
    const none = await t.db
      .selectFrom("outbox")
      .select("id")
      .where("ticket_id", "=", ticket.id)
      .where("kind", "=", "webhook")
      .execute();
    expect(none).toHaveLength(0); // previous tier was already 3 in that change

    const other = await t.createTicket();
    const { channelsHook } = await import("../../src/channels/channel-hooks.ts");
    const row = await t.db.selectFrom("tickets").selectAll().where("id", "=", other.id).executeTakeFirstOrThrow();
    await t.db.transaction().execute((trx) =>
      channelsHook(t.services.config)(trx, {
        ticket: { ...row, tier: 3 },
        previous: row,
        events: [],
        actor: SYSTEM_ACTOR,
        now: clock.now(),
      }),
    );
    const sent = await t.db
      .selectFrom("outbox")
      .select("payload")
      .where("ticket_id", "=", other.id)
      .where("kind", "=", "webhook")
      .execute();
    expect(sent.map((s: any) => s.payload.event)).toEqual(["ticket.tier3_reached"]);
  });
});

describe("signed issue-status callback", () => {
  it("puts the issue's status on every linked ticket's timeline and notifies the assignee", async () => {
    const a = await t.createTicket();
    const b = await t.createTicket();
    await t.inject("PATCH", `/api/v1/tickets/${a.id}`, {
      token: t.people.agent3.token,
      body: { assignee_id: t.people.agent1.id },
    });
    await t.inject("PATCH", `/api/v1/tickets/${b.id}`, {
      token: t.people.agent3.token,
      body: { assignee_id: t.people.agent2.id },
    });
    for (const id of [a.id, b.id])
      await t.inject("POST", `/api/v1/tickets/${id}/links`, {
        token: t.people.agent3.token,
        body: { url: "https://jira.example.com/browse/ENG-77", key: "ENG-77" },
      });
    const res = await callStatus({ key: "eng-77", status: "Done", title: "Fixed login loop" });
    expect(res.status).toBe(200);
    expect(res.body.ticket_ids.sort()).toEqual([a.id, b.id].sort());
    const events = (await t.inject("GET", `/api/v1/tickets/${a.id}/events`)).body.items;
    expect(events.find((e: any) => e.type === "issue.status_changed")).toMatchObject({
      data: { key: "ENG-77", status: "Done", previous_status: null, integration: "Jira" },
    });
    const links = (await t.inject("GET", `/api/v1/tickets/${a.id}/links`, { token: t.people.agent1.token })).body.items;
    expect(links[0]).toMatchObject({ status: "Done", title: "Fixed login loop" });
    const notes = await t.db
      .selectFrom("outbox")
      .select("payload")
      .where("kind", "=", "notification")
      .where("ticket_id", "in", [a.id, b.id])
      .where(sql<boolean>`payload->>'kind' = 'issue.status_changed'`)
      .orderBy("id")
      .execute();
    expect(notes.map((n) => n.payload)).toEqual([
      {
        user_id: t.people.agent1.id,
        kind: "issue.status_changed",
        title: `#${a.number}: ENG-77 is now Done`,
        body: expect.stringContaining("Done"),
        params: { number: a.number, key: "ENG-77", status: "Done", previous_status: null },
      },
      {
        user_id: t.people.agent2.id,
        kind: "issue.status_changed",
        title: `#${b.number}: ENG-77 is now Done`,
        body: expect.stringContaining("Done"),
        params: { number: b.number, key: "ENG-77", status: "Done", previous_status: null },
      },
    ]);
    // The instance secret (ESKALA_SECRET or the stored one) signs too.
    const { loadSecret } = await import("../../src/channels/settings.ts");
    const instance = await loadSecret(t.db, t.services.config);
    const raw = JSON.stringify({ key: "ENG-77", status: "Reopened" });
    expect((await callStatus(undefined, signPayload(instance, raw, unix()), raw)).status).toBe(200);
  });

  it("refuses unsigned, wrongly signed, stale and replayed calls, writing nothing", async () => {
    const ticket = await t.createTicket();
    await t.inject("POST", `/api/v1/tickets/${ticket.id}/links`, {
      token: t.people.agent3.token,
      body: { url: "https://jira.example.com/browse/ENG-9", key: "ENG-9" },
    });
    const body = { key: "ENG-9", status: "In Progress" };
    const raw = JSON.stringify(body);
    const tables = ["ticket_events", "outbox", "integration_signatures"] as const;
    const before = await counts(t, [...tables]);

    const unsigned = await callStatus(body, null);
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect((await callStatus(body, signPayload("wrong-secret", raw, unix()))).status).toBe(401);
    expect((await callStatus(body, "t=123,v1=abc")).status).toBe(401);
    expect((await callStatus(body, signPayload(secret, raw, unix() - 301))).status).toBe(401);
    expect((await callStatus(body, signPayload(secret, raw, unix() + 301))).status).toBe(401);
    // The body the signature covers cannot be changed.
    expect(
      (await callStatus(undefined, signPayload(secret, raw, unix()), JSON.stringify({ ...body, status: "Done" })))
        .status,
    ).toBe(401);
    // An unsigned caller learns nothing of the schema: 401 before 422.
    expect((await callStatus({ nope: 1 }, null)).status).toBe(401);
    expect(await counts(t, [...tables])).toEqual(before);

    const signature = signPayload(secret, raw, unix());
    expect((await callStatus(body, signature)).status).toBe(200);
    const afterFirst = await counts(t, [...tables]);
    const replay = await callStatus(body, signature);
    expect(replay.status).toBe(409);
    expect(replay.body.code).toBe("conflict");
    expect(await counts(t, [...tables])).toEqual(afterFirst);

    // Signed but invalid: 422 naming the field; signed but not JSON: 400.
    const badRaw = JSON.stringify({ key: "ENG-9", status: "", extra: 1 });
    const bad = await callStatus(undefined, signPayload(secret, badRaw, unix()), badRaw);
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: any) => e.path[0]).sort()).toEqual(["extra", "status"]);
    expect((await callStatus(undefined, signPayload(secret, "{oops", unix()), "{oops")).status).toBe(400);
  });

  it("admins manage integrations; the secret is shown once", async () => {
    const list = await t.inject("GET", "/api/v1/integrations");
    expect(list.body.items[0]).toMatchObject({ name: "Jira" });
    expect(list.body.items[0]).not.toHaveProperty("secret");
    expect((await t.inject("POST", "/api/v1/integrations", { body: { name: "jira" } })).status).toBe(409);
    expect((await t.inject("GET", "/api/v1/integrations", { token: t.people.agent1.token })).status).toBe(403);
  });
});
