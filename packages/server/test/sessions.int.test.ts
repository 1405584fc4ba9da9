import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isCredentialLive } from "../src/auth/session-end.ts";
import { hashPassword, hashToken } from "../src/auth/password.ts";
import type { LiveHub } from "../src/notify/live-hub.ts";
import { startTestApp, type Person, type TestApp } from "./harness.ts";
import { openStream, waitFor } from "./outbox/helpers.ts";

/** Sessions and live streams end together: sign-out, a disabled user, a new password, a revoked token. */
let t: TestApp;
let base: string;
const PASSWORD = "rahasia-sekali-1";
const hub = () => (t.http as unknown as { liveHub: LiveHub }).liveHub;

beforeAll(async () => {
  t = await startTestApp();
  base = await t.http.listen({ port: 0, host: "127.0.0.1" });
  const hash = await hashPassword(PASSWORD);
  for (const p of [t.people.customer, t.people.agent2])
    await t.db.updateTable("users").set({ password_hash: hash }).where("id", "=", p.id).execute();
});
afterAll(async () => {
  t?.http.server.closeAllConnections();
  await t?.close();
});

async function signIn(person: Person, password = PASSWORD) {
  const res = await t.inject("POST", "/api/v1/auth/login", { token: null, body: { email: person.email, password } });
  expect(res.status, res.text).toBe(200);
  const cookie = String(res.headers["set-cookie"]).split(";")[0]!;
  return {
    cookie,
    csrf: res.body.csrf_token as string,
    headers: { cookie, "x-csrf-token": res.body.csrf_token as string },
  };
}
const signedIn = async (cookie: string) =>
  (await t.inject("GET", "/api/v1/auth/session", { token: null, headers: { cookie } })).status;
const streamOf = async (headers: Record<string, string>) => {
  const s = await openStream(base, null, headers);
  expect(s.res.status).toBe(200);
  await waitFor(() => s.preamble.includes("connected"));
  return s;
};
/** A public reply on the customer's ticket: an event every stream that may see it is told of. */
const reply = (ticketId: string) =>
  t.inject("POST", `/api/v1/tickets/${ticketId}/messages`, {
    token: t.people.agent1.token,
    body: { body: "Kabar terbaru" },
  });

describe("a stream ends with its session", () => {
  it("closes the customer's stream at sign-out, and nothing reaches it after", async () => {
    const ticket = await t.createTicket();
    const session = await signIn(t.people.customer);
    const stream = await streamOf({ cookie: session.cookie });
    await reply(ticket.id);
    await waitFor(() => stream.parsed("ticket").length === 1);

    const out = await t.inject("POST", "/api/v1/auth/logout", { token: null, headers: session.headers });
    expect(out.status).toBe(204);
    await waitFor(() => stream.closed, 2000);
    await reply(ticket.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(stream.parsed("ticket")).toHaveLength(1);
    expect(await signedIn(session.cookie)).toBe(401);
    const again = await openStream(base, null, { cookie: session.cookie });
    expect(again.res.status).toBe(401);
    expect(again.res.headers.get("content-type")).toMatch(/application\/problem\+json/);
  });

  it("closes a disabled agent's streams (session and token) and refuses them after", async () => {
    const agent = t.people.agent2;
    const session = await signIn(agent);
    const bySession = await streamOf({ cookie: session.cookie });
    const byToken = await streamOf({ authorization: `Bearer ${agent.token}` });
    expect(hub().size).toBeGreaterThanOrEqual(2);

    const res = await t.inject("PATCH", `/api/v1/users/${agent.id}`, { body: { disabled: true } });
    expect(res.status).toBe(200);
    await waitFor(() => bySession.closed && byToken.closed, 2000);
    const ticket = await t.createTicket({ subject: "Setelah dinonaktifkan" });
    await new Promise((r) => setTimeout(r, 300));
    expect([...bySession.parsed("ticket"), ...byToken.parsed("ticket")].some((e) => e.ticket_id === ticket.id)).toBe(
      false,
    );
    expect(await signedIn(session.cookie)).toBe(401);
    expect((await openStream(base, null, { cookie: session.cookie })).res.status).toBe(401);
    await t.inject("PATCH", `/api/v1/users/${agent.id}`, { body: { disabled: false } });
  });

  it("a new password ends the other sessions and their streams, keeping the one that changed it", async () => {
    const customer = t.people.customer;
    const ticket = await t.createTicket();
    const here = await signIn(customer);
    const elsewhere = await signIn(customer);
    const hereStream = await streamOf({ cookie: here.cookie });
    const elsewhereStream = await streamOf({ cookie: elsewhere.cookie });

    const res = await t.inject("PATCH", "/api/v1/me", {
      token: null,
      headers: here.headers,
      body: { password: "kata-sandi-baru-2", current_password: PASSWORD },
    });
    expect(res.status, res.text).toBe(200);
    await waitFor(() => elsewhereStream.closed, 2000);
    expect(await signedIn(elsewhere.cookie)).toBe(401);
    expect(await signedIn(here.cookie)).toBe(200);
    await reply(ticket.id);
    await waitFor(() => hereStream.parsed("ticket").some((e) => e.ticket_id === ticket.id), 2000);
    expect(hereStream.closed).toBe(false);
    await hereStream.close();
    // Put the password back for the other tests.
    await t.db
      .updateTable("users")
      .set({ password_hash: await hashPassword(PASSWORD) })
      .where("id", "=", customer.id)
      .execute();
  });

  it("refuses a password change with a wrong current password: 422, every session kept", async () => {
    const a = await signIn(t.people.customer);
    const b = await signIn(t.people.customer);
    const res = await t.inject("PATCH", "/api/v1/me", {
      token: null,
      headers: a.headers,
      body: { password: "kata-sandi-baru-3", current_password: "salah" },
    });
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.body.errors[0].path).toEqual(["current_password"]);
    expect([await signedIn(a.cookie), await signedIn(b.cookie)]).toEqual([200, 200]);
  });

  it("closes the streams of a revoked API token", async () => {
    const { token, row } = await t.services.auth.createToken(t.people.agent1.id, "revoked soon");
    const stream = await streamOf({ authorization: `Bearer ${token}` });
    const res = await t.inject("DELETE", `/api/v1/tokens/${row.id}`);
    expect(res.status).toBe(204);
    await waitFor(() => stream.closed, 2000);
  });

  it("checks a stream's credential at each heartbeat: a session gone or expired no longer counts", async () => {
    const session = await signIn(t.people.customer);
    const id = hashToken(decodeURIComponent(session.cookie.split("=")[1]!));
    const now = new Date();
    expect(await isCredentialLive(t.db, { kind: "session", id }, now)).toBe(true);
    expect(await isCredentialLive(t.db, { kind: "session", id }, new Date(now.getTime() + 15 * 86_400_000))).toBe(
      false,
    );
    await t.db.deleteFrom("sessions").where("id", "=", id).execute();
    expect(await isCredentialLive(t.db, { kind: "session", id }, now)).toBe(false);
    expect(await isCredentialLive(t.db, { kind: "token", id: hashToken(t.people.agent1.token) }, now)).toBe(true);
  });
});

describe("a token's sign-in follows its user", () => {
  it("loses an agent's powers as soon as the agent is made a customer or disabled, not when a cache expires", async () => {
    const agent = t.people.agent3;
    const ticket = await t.createTicket({ subject: "Milik pelanggan lain" });
    const read = async () => (await t.inject("GET", `/api/v1/tickets/${ticket.id}`, { token: agent.token })).status;
    expect(await read()).toBe(200); // the token's user is now cached as an agent

    const demoted = await t.inject("PATCH", `/api/v1/users/${agent.id}`, { body: { role: "customer" } });
    expect(demoted.status, demoted.text).toBe(200);
    // The cache kept a token's user for 5 s: an agent made a customer still read others' tickets meanwhile.
    expect(await waitFor(async () => (await read()) !== 200, 1000)).toBe(true);
    expect(await read()).toBeGreaterThanOrEqual(403);

    const disabled = await t.inject("PATCH", `/api/v1/users/${agent.id}`, { body: { disabled: true } });
    expect(disabled.status, disabled.text).toBe(200);
    expect(await waitFor(async () => (await read()) === 401, 1000)).toBe(true);
  });
});
