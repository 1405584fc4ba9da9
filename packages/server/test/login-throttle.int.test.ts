import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../src/auth/password.ts";
import { manualClock, startTestApp, type TestApp } from "./harness.ts";

/**
 * Failed sign-ins are throttled per account across addresses and per address across accounts,
 * on top of ESKALA_LOGIN_RATE_LIMIT (per address and email), without locking the right password out.
 */
const PASSWORD = "rahasia-sekali";
const clock = manualClock(new Date("2026-03-02T03:00:00Z"));
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({
    clock,
    // The per-pair limit is high so that only the two new limits are at work here.
    config: { ESKALA_LOGIN_RATE_LIMIT: 1000, ESKALA_LOGIN_ACCOUNT_LIMIT: 5, ESKALA_LOGIN_ADDRESS_LIMIT: 8 },
  });
  const hash = await hashPassword(PASSWORD);
  await t.db.updateTable("users").set({ password_hash: hash }).execute();
});
afterAll(async () => t?.close());

async function login(from: string, email: string, password: string) {
  const res = await t.http.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    remoteAddress: from,
    headers: { "content-type": "application/json" },
    payload: JSON.stringify({ email, password }),
  });
  return { status: res.statusCode, type: String(res.headers["content-type"]), headers: res.headers };
}
const sessions = async (userId: string) =>
  Number(
    (
      await t.db
        .selectFrom("sessions")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("user_id", "=", userId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("per account, across addresses", () => {
  it("makes addresses that guessed wait once the account has 5 failures, and tells them when to retry", async () => {
    const victim = t.people.agent1.email;
    for (let i = 0; i < 5; i++) expect((await login(`198.51.100.${i + 1}`, victim, `guess-${i}`)).status).toBe(401);
    const before = await sessions(t.people.agent1.id);
    // Even the right password is not checked for an address that has guessed: the answer says nothing.
    const limited = await login("198.51.100.1", victim, PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.type).toContain("application/problem+json");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(await sessions(t.people.agent1.id)).toBe(before);
    // The owner, from an address that has not failed, still signs in.
    expect((await login("203.0.113.50", victim, PASSWORD)).status).toBe(200);
    // Other accounts are not affected.
    expect((await login("198.51.100.2", t.people.agent2.email, PASSWORD)).status).toBe(200);
  });

  it("lets the guessing addresses try again after the 15-minute window", async () => {
    clock.advance(15 * 60_000 + 1);
    expect((await login("198.51.100.1", t.people.agent1.email, PASSWORD)).status).toBe(200);
  });
});

describe("per address, across accounts", () => {
  it("makes an address that failed 8 times at any accounts wait, but not people who signed in from it before", async () => {
    const from = "192.0.2.77";
    // agent3 signed in from this address earlier (a shared office NAT).
    expect((await login(from, t.people.agent3.email, PASSWORD)).status).toBe(200);
    for (let i = 0; i < 8; i++) expect((await login(from, `someone${i}@test.local`, "guess")).status).toBe(401);
    const limited = await login(from, t.people.supervisor.email, PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.type).toContain("application/problem+json");
    expect(await sessions(t.people.supervisor.id)).toBe(0);
    // The right password of someone known at this address is still accepted.
    expect((await login(from, t.people.agent3.email, PASSWORD)).status).toBe(200);
    // And the supervisor signs in from elsewhere.
    expect((await login("192.0.2.78", t.people.supervisor.email, PASSWORD)).status).toBe(200);
  });

  it("counts failures only: many correct sign-ins from one address are never throttled", async () => {
    for (let i = 0; i < 12; i++) expect((await login("192.0.2.99", t.people.agent2.email, PASSWORD)).status).toBe(200);
  });
});
