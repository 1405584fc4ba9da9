import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../src/auth/password.ts";
import { startTestApp, type TestApp } from "./harness.ts";

let t: TestApp;
const ADMIN_TOKEN = "provisioned-admin-token-0123456789";
beforeAll(async () => {
  t = await startTestApp({ config: { ESKALA_ADMIN_TOKEN: ADMIN_TOKEN, ESKALA_LOGIN_RATE_LIMIT: 5 } });
  await t.db.updateTable("users").set({ password_hash: await hashPassword("rahasia-sekali") }).where("id", "=", t.people.agent1.id).execute();
});
afterAll(async () => t?.close());

async function login(email: string, password: string) {
  return t.inject("POST", "/api/v1/auth/login", { token: null, body: { email, password } });
}
const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers["set-cookie"]).split(";")[0]!;

describe("sessions", () => {
  it("signs in with email and password and sets an HttpOnly, SameSite session cookie", async () => {
    const res = await login("AGENT1@test.local", "rahasia-sekali");
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: t.people.agent1.id, role: "agent" });
    expect(res.body.csrf_token).toEqual(expect.any(String));
    const setCookie = String(res.headers["set-cookie"]);
    expect(setCookie).toMatch(/eskala_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const me = await t.inject("GET", "/api/v1/me", { token: null, headers: { cookie: cookieOf(res) } });
    expect(me.body.id).toBe(t.people.agent1.id);
  });

  it("refuses a wrong password with 401 and the same message as an unknown email", async () => {
    const wrong = await login("agent1@test.local", "salah-password");
    const unknown = await login("nobody@test.local", "salah-password");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    expect(wrong.headers["set-cookie"]).toBeUndefined();
  });

  it("needs the CSRF token for changes made with the cookie", async () => {
    const res = await login("agent1@test.local", "rahasia-sekali");
    const cookie = cookieOf(res);
    const body = { subject: "csrf", description: "csrf test", requester: { email: "c@example.com" } };
    const before = await t.count("tickets");
    const without = await t.inject("POST", "/api/v1/tickets", { token: null, headers: { cookie }, body });
    expect(without.status).toBe(403);
    expect(without.body.code).toBe("csrf_failed");
    const wrong = await t.inject("POST", "/api/v1/tickets", { token: null, headers: { cookie, "x-csrf-token": "nope" }, body });
    expect(wrong.status).toBe(403);
    expect(await t.count("tickets")).toBe(before);
    const ok = await t.inject("POST", "/api/v1/tickets", { token: null, headers: { cookie, "x-csrf-token": res.body.csrf_token }, body });
    expect(ok.status).toBe(201);
  });

  it("signs out: the cookie no longer works", async () => {
    const res = await login("agent1@test.local", "rahasia-sekali");
    const cookie = cookieOf(res);
    const out = await t.inject("POST", "/api/v1/auth/logout", { token: null, headers: { cookie, "x-csrf-token": res.body.csrf_token } });
    expect(out.status).toBe(204);
    const me = await t.inject("GET", "/api/v1/me", { token: null, headers: { cookie } });
    expect(me.status).toBe(401);
  });

  it("rate-limits login attempts per address and email with 429", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await login("victim@test.local", "guess-" + i)).status);
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await login("victim@test.local", "x");
    expect(limited.headers["content-type"]).toMatch(/problem\+json/);
  });
});

describe("API tokens", () => {
  it("ensures ESKALA_ADMIN_TOKEN as an admin token", async () => {
    const res = await t.inject("GET", "/api/v1/me", { token: ADMIN_TOKEN });
    expect(res.status).toBe(200);
    expect(res.body.role).toBe("admin");
  });

  it("stores tokens hashed, shows the value once, and revoking stops it", async () => {
    const created = await t.inject("POST", "/api/v1/tokens", { body: { name: "CI bot" } });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    const stored = await t.db.selectFrom("api_tokens").select("token_hash").where("id", "=", created.body.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect((await t.inject("GET", "/api/v1/tokens")).body.items.some((i: any) => "token" in i)).toBe(false);
    expect((await t.inject("GET", "/api/v1/me", { token })).status).toBe(200);
    await t.inject("DELETE", `/api/v1/tokens/${created.body.id}`);
    expect((await t.inject("GET", "/api/v1/me", { token })).status).toBe(401);
  });

  it("refuses a malformed Authorization header and an unknown token with 401", async () => {
    expect((await t.inject("GET", "/api/v1/me", { token: null, headers: { authorization: "Basic abc" } })).status).toBe(401);
    const res = await t.inject("GET", "/api/v1/me", { token: "esk_unknown" });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: "unauthenticated", status: 401 });
  });
});
