import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock, type TestApp } from "../harness.ts";
import { counts, outboxEmails, startChannelsApp } from "./helpers.ts";
import { ensureSecret } from "../../src/channels/settings.ts";
import { verifySurveyToken } from "../../src/channels/csat/survey-token.ts";

const clock = manualClock(new Date("2026-03-02T03:00:00Z"));
let t: TestApp;
beforeAll(async () => {
  t = await startChannelsApp({ ESKALA_PUBLIC_URL: "https://help.example.com" }, clock);
});
afterAll(async () => t?.close());

const DAY = 86_400_000;
const agent = () => t.people.agent1;

async function solvedTicket() {
  const ticket = await t.createTicket({ channel: "web" });
  await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, {
    token: agent().token,
    body: { status: "solved", resolution_code: "answered" },
  });
  return ticket;
}

async function surveyLinks(ticketId: string): Promise<string[]> {
  const rows = await outboxEmails(t, ticketId);
  return rows
    .filter((r) => r.payload.template === "ticket.solved")
    .map((r) => /\/portal\/survey\/([\w.-]+)/.exec(r.payload.text)![1]!);
}

describe("satisfaction surveys", () => {
  it("opens one survey per solve with a signed link; a re-opened and re-solved ticket gets a new one", async () => {
    const ticket = await solvedTicket();
    await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, {
      token: t.people.customer.token,
      body: { body: "Masih error" },
    });
    await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, {
      token: agent().token,
      body: { status: "solved", resolution_code: "fixed" },
    });
    const links = await surveyLinks(ticket.id);
    expect(links).toHaveLength(2);
    expect(new Set(links).size).toBe(2);
    const list = (await t.inject("GET", `/api/v1/tickets/${ticket.id}/satisfaction`, { token: agent().token })).body
      .items;
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({
      rating: null,
      solved_tier: 1,
      escalated: false,
      expires_at: new Date(clock.now().getTime() + 28 * DAY).toISOString(),
    });
  });

  it("the requester rates the latest solve; a second rating of the same solve is a 409 and changes nothing", async () => {
    const ticket = await solvedTicket();
    const first = await t.inject("POST", `/api/v1/tickets/${ticket.id}/satisfaction`, {
      token: t.people.customer.token,
      body: { rating: 4, comment: "Oke" },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ rating: 4, comment: "Oke", solved_tier: 1 });
    const before = await counts(t, ["ticket_events", "csat_surveys"]);
    const again = await t.inject("POST", `/api/v1/tickets/${ticket.id}/satisfaction`, {
      token: t.people.customer.token,
      body: { rating: 1 },
    });
    expect(again.status).toBe(409);
    const [link] = await surveyLinks(ticket.id);
    const viaLink = await t.inject("POST", `/api/v1/surveys/${link}`, { token: null, body: { rating: 1 } });
    expect(viaLink.status).toBe(409);
    expect(await counts(t, ["ticket_events", "csat_surveys"])).toEqual(before);
    const sat = (await t.inject("GET", `/api/v1/tickets/${ticket.id}/satisfaction`, { token: agent().token })).body
      .items[0];
    expect(sat).toMatchObject({ rating: 4 });
  });

  it("only the requester rates through the portal route; nothing to rate before a solve", async () => {
    const ticket = await solvedTicket();
    expect(
      (
        await t.inject("POST", `/api/v1/tickets/${ticket.id}/satisfaction`, {
          token: agent().token,
          body: { rating: 5 },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await t.inject("POST", `/api/v1/tickets/${ticket.id}/satisfaction`, {
          token: t.people.otherCustomer.token,
          body: { rating: 5 },
        })
      ).status,
    ).toBe(404);
    const open = await t.createTicket();
    expect(
      (
        await t.inject("POST", `/api/v1/tickets/${open.id}/satisfaction`, {
          token: t.people.customer.token,
          body: { rating: 5 },
        })
      ).status,
    ).toBe(409);
    const bad = await t.inject("POST", `/api/v1/tickets/${ticket.id}/satisfaction`, {
      token: t.people.customer.token,
      body: { rating: 6, mood: "x" },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: any) => e.path.join("."))).toEqual(expect.arrayContaining(["rating", "mood"]));
    expect(
      (await t.inject("GET", `/api/v1/tickets/${ticket.id}/satisfaction`, { token: t.people.otherCustomer.token }))
        .status,
    ).toBe(404);
  });

  it("the requester coming back to a rated ticket sees the rating they gave (portal and link alike)", async () => {
    const ticket = await solvedTicket();
    const unrated = await t.inject("GET", `/api/v1/tickets/${ticket.id}/satisfaction`, {
      token: t.people.customer.token,
    });
    expect(unrated.status).toBe(200);
    expect(unrated.body.items).toEqual([expect.objectContaining({ rating: null, rated_at: null })]);
    const [link] = await surveyLinks(ticket.id);
    expect(
      (await t.inject("POST", `/api/v1/surveys/${link}`, { token: null, body: { rating: 5, comment: "Cepat" } }))
        .status,
    ).toBe(201);
    const rated = await t.inject("GET", `/api/v1/tickets/${ticket.id}/satisfaction`, {
      token: t.people.customer.token,
    });
    expect(rated.status).toBe(200);
    expect(rated.body.items[0]).toMatchObject({ rating: 5, comment: "Cepat", rated_at: clock.now().toISOString() });
    const view = await t.inject("GET", `/api/v1/surveys/${link}`, { token: null });
    expect(view.body).toMatchObject({ rating: 5, comment: "Cepat", ticket: { number: ticket.number } });
    // A colleague of the same organisation, even when tickets are shared, does not see another's rating.
    await t.db.updateTable("organizations").set({ shared_tickets: true }).where("id", "=", t.orgId).execute();
    const colleague = await t.db
      .insertInto("users")
      .values({
        email: "kolega@test.local",
        name: "Kolega",
        role: "customer",
        organization_id: t.orgId,
        password_hash: null,
        created_at: clock.now(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const { token } = await t.services.auth.createToken(colleague.id, "test");
    try {
      const res = await t.inject("GET", `/api/v1/tickets/${ticket.id}/satisfaction`, { token });
      expect(res.status).toBe(403);
      expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    } finally {
      await t.db.updateTable("organizations").set({ shared_tickets: false }).where("id", "=", t.orgId).execute();
    }
  });

  it("a low rating writes csat.low with the solving tier and whether the ticket was escalated", async () => {
    const ticket = await t.createTicket({ channel: "web" });
    // As if escalated by the engine: tier 2, counted.
    await t.db
      .updateTable("tickets")
      .set({ tier: 2, group_id: t.groups.technical, escalation_count: 1 })
      .where("id", "=", ticket.id)
      .execute();
    await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, {
      token: t.people.agent2.token,
      body: { status: "solved", resolution_code: "workaround" },
    });
    const [link] = await surveyLinks(ticket.id);
    const res = await t.inject("POST", `/api/v1/surveys/${link}`, {
      token: null,
      body: { rating: 2, comment: "Lama sekali" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rating: 2, solved_tier: 2, escalated: true });
    const events = (await t.inject("GET", `/api/v1/tickets/${ticket.id}/events`)).body.items;
    const low = events.find((e: any) => e.type === "csat.low");
    expect(low).toMatchObject({
      actor: { kind: "customer", id: t.people.customer.id },
      data: { rating: 2, solved_tier: 2, escalated: true, comment: "Lama sekali" },
    });
    expect(events.filter((e: any) => e.type === "csat.rated")).toHaveLength(1);
  });

  it("refuses a tampered link (404) and an expired one (410), writing nothing", async () => {
    const ticket = await solvedTicket();
    const [link] = await surveyLinks(ticket.id);
    const [id, exp, sig] = link!.split(".");
    const before = await counts(t, ["ticket_events", "csat_surveys"]);
    const longer = `${id}.${Number(exp) + 100 * 86_400}.${sig}`;
    const forged = `${id}.${exp}.${sig!.slice(0, -2)}AA`;
    for (const bad of [longer, forged, "nonsense", `${id}.${exp}`]) {
      const g = await t.inject("GET", `/api/v1/surveys/${bad}`, { token: null });
      expect(g.status, bad).toBe(404);
      const p = await t.inject("POST", `/api/v1/surveys/${bad}`, { token: null, body: { rating: 5 } });
      expect(p.status).toBe(404);
      expect(p.headers["content-type"]).toMatch(/application\/problem\+json/);
    }
    clock.advance(29 * DAY);
    try {
      const g = await t.inject("GET", `/api/v1/surveys/${link}`, { token: null });
      expect(g.status).toBe(410);
      expect(g.body).toMatchObject({ status: 410, code: "gone" });
      expect((await t.inject("POST", `/api/v1/surveys/${link}`, { token: null, body: { rating: 5 } })).status).toBe(
        410,
      );
      expect(
        (
          await t.inject("POST", `/api/v1/tickets/${ticket.id}/satisfaction`, {
            token: t.people.customer.token,
            body: { rating: 5 },
          })
        ).status,
      ).toBe(410);
    } finally {
      clock.advance(-29 * DAY);
    }
    expect(await counts(t, ["ticket_events", "csat_surveys"])).toEqual(before);
  });

  it("keeps links valid across a restart: the generated secret is stored once and found again", async () => {
    const ticket = await solvedTicket();
    const [link] = await surveyLinks(ticket.id);
    // What a restarted process does: ensure the secret again, then check an old link with it.
    const again = await ensureSecret(t.db, { ESKALA_SECRET: undefined });
    expect(verifySurveyToken(link!, again, clock.now())).toMatchObject({ ok: true });
    expect(verifySurveyToken(link!, "another-secret-entirely", clock.now())).toEqual({ ok: false, reason: "invalid" });
  });
});
