import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock, startTestApp, type TestApp } from "./harness.ts";
import { MAGIC_LINKS_PER_ADDRESS } from "../src/auth/magic-link.service.ts";
import { MIN_LINK_ANSWER_MS } from "../src/auth/magic-link.routes.ts";
import type { EmailPayload } from "../src/outbox/outbox.ts";

const clock = manualClock(new Date("2026-03-02T03:00:00Z"));
let t: TestApp;
let mailCustomer: { id: string; email: string };
beforeAll(async () => {
  t = await startTestApp({
    clock,
    config: { ESKALA_PUBLIC_URL: "https://help.example.com", ESKALA_LOGIN_RATE_LIMIT: 50 },
  });
  // A customer made by inbound mail: no password, English.
  mailCustomer = await t.db
    .insertInto("users")
    .values({
      email: "Budi@Mail.test",
      name: "Budi",
      role: "customer",
      language: "en",
      password_hash: null,
      created_at: clock.now(),
    })
    .returning(["id", "email"])
    .executeTakeFirstOrThrow();
});
afterAll(async () => t?.close());

let ip = 0;
/** Each call from its own client address, so the per-address limit of the route stays out of the way. */
async function ask(email: string, remoteAddress = `10.0.0.${++ip}`) {
  const res = await t.http.inject({
    method: "POST",
    url: "/api/v1/auth/magic-link",
    remoteAddress,
    payload: { email },
  });
  return { status: res.statusCode, headers: res.headers, body: res.body ? JSON.parse(res.body) : null };
}
const redeem = (token: string) => t.inject("POST", "/api/v1/auth/magic-link/redeem", { token: null, body: { token } });
const linkMails = async () =>
  (
    await t.db.selectFrom("outbox").selectAll().where("idempotency_key", "like", "magic-link:%").orderBy("id").execute()
  ).map((r) => r.payload as unknown as EmailPayload);
const tokenOf = (mail: EmailPayload) =>
  decodeURIComponent(/\/portal\/login\/link\?token=([^\s"<]+)/.exec(mail.text)![1]!);
const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers["set-cookie"]).split(";")[0]!;
const linksOf = async (userId: string) =>
  Number(
    (
      await t.db
        .selectFrom("magic_links")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("user_id", "=", userId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("sign-in by email link", () => {
  it("answers 202 alike for an unknown address, a staff member and a customer; only the customer gets a mail, in their language, through the outbox", async () => {
    const before = (await linkMails()).length;
    const unknown = await ask("nobody@nowhere.test");
    const staff = await ask(t.people.agent1.email);
    const known = await ask("budi@mail.test");
    for (const r of [unknown, staff, known]) {
      expect(r.status).toBe(202);
      expect(r.body).toBeNull();
    }
    expect(unknown.headers["set-cookie"]).toBeUndefined();
    const mails = (await linkMails()).slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      to: "Budi@Mail.test",
      language: "en",
      subject: "Your sign-in link to the Help Center",
    });
    expect(mails[0]!.text).toContain("Hello Budi");
    expect(mails[0]!.text).toContain("works for 15 minutes and only once");
    expect(mails[0]!.text).toMatch(/^https:\/\/help\.example\.com\/portal\/login\/link\?token=\S+$/m);
    expect(mails[0]!.html).toContain('<a href="https://help.example.com/portal/login/link?token=');
    expect(await linksOf(t.people.agent1.id)).toBe(0);
  });

  it("takes as long to answer for an unknown address as the least a customer's link takes: timing tells nothing either", async () => {
    // Sending a customer's link took a few milliseconds more than refusing an unknown address (3 ms).
    await t.db
      .insertInto("users")
      .values({
        email: "sari@mail.test",
        name: "Sari",
        role: "customer",
        language: "id",
        password_hash: null,
        created_at: new Date(),
      })
      .execute();
    for (const email of ["nobody.at.all@nowhere.test", t.people.agent2.email, "sari@mail.test"]) {
      const started = performance.now();
      expect((await ask(email)).status).toBe(202);
      expect(performance.now() - started, email).toBeGreaterThanOrEqual(MIN_LINK_ANSWER_MS - 1);
    }
  });

  it("writes the mail in Indonesian for an Indonesian customer", async () => {
    await t.db.updateTable("users").set({ language: "id" }).where("id", "=", t.people.otherCustomer.id).execute();
    await ask(t.people.otherCustomer.email);
    const mail = (await linkMails()).at(-1)!;
    expect(mail.to).toBe(t.people.otherCustomer.email);
    expect(mail.subject).toBe("Tautan masuk ke Pusat Bantuan");
    expect(mail.text).toContain("Tautan ini berlaku 15 menit dan hanya dapat dipakai sekali");
  });

  it("signs the customer in with the link, once: a second use is 410 and opens no session", async () => {
    clock.advance(20 * 60_000);
    await ask("budi@mail.test");
    const token = tokenOf((await linkMails()).at(-1)!);
    const sessions = await t.db.selectFrom("sessions").select("id").execute();
    const res = await redeem(token);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: mailCustomer.id, role: "customer" });
    expect(String(res.headers["set-cookie"])).toMatch(/eskala_session=.*HttpOnly/i);
    const me = await t.inject("GET", "/api/v1/me", { token: null, headers: { cookie: cookieOf(res) } });
    expect(me.body).toMatchObject({ id: mailCustomer.id });
    const tickets = await t.inject("GET", "/api/v1/tickets", { token: null, headers: { cookie: cookieOf(res) } });
    expect(tickets.status).toBe(200);

    const again = await redeem(token);
    expect(again.status).toBe(410);
    expect(again.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(again.body.detail).toMatch(/already been used/);
    expect(again.headers["set-cookie"]).toBeUndefined();
    expect((await t.db.selectFrom("sessions").select("id").execute()).length).toBe(sessions.length + 1);
  });

  it("refuses a link after its 15 minutes with 410", async () => {
    clock.advance(20 * 60_000);
    await ask("budi@mail.test");
    const token = tokenOf((await linkMails()).at(-1)!);
    clock.advance(15 * 60_000 + 1_000);
    const res = await redeem(token);
    expect(res.status).toBe(410);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(/expired/);
    expect(res.headers["set-cookie"]).toBeUndefined();
  });

  it("refuses a tampered or made-up token with a 404 problem and opens no session", async () => {
    clock.advance(20 * 60_000);
    await ask("budi@mail.test");
    const token = tokenOf((await linkMails()).at(-1)!);
    const [id, exp, sig] = token.split(".") as [string, string, string];
    const sessions = (await t.db.selectFrom("sessions").select("id").execute()).length;
    for (const bad of [
      `${id}.${Number(exp) + 3600}.${sig}`,
      `${id}.${exp}.${sig.slice(0, -2)}AA`,
      `00000000-0000-4000-8000-000000000000.${exp}.${sig}`,
      "garbage",
    ]) {
      const res = await redeem(bad);
      expect(res.status, bad).toBe(404);
      expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
      expect(res.headers["set-cookie"]).toBeUndefined();
    }
    expect((await t.db.selectFrom("sessions").select("id").execute()).length).toBe(sessions);
    // The genuine token still works
    expect((await redeem(token)).status).toBe(200);
  });

  it("never signs in a disabled customer: no mail, and a link sent before is refused", async () => {
    clock.advance(20 * 60_000);
    await ask(t.people.otherCustomer.email);
    const token = tokenOf((await linkMails()).at(-1)!);
    await t.db.updateTable("users").set({ disabled: true }).where("id", "=", t.people.otherCustomer.id).execute();
    const before = (await linkMails()).length;
    expect((await ask(t.people.otherCustomer.email)).status).toBe(202);
    expect(await linkMails()).toHaveLength(before);
    expect((await redeem(token)).status).toBe(410);
  });

  it("sends an address at most a few links per 15 minutes, answering every request alike", async () => {
    clock.advance(20 * 60_000);
    const before = await linksOf(mailCustomer.id);
    const answers = [];
    for (let i = 0; i < MAGIC_LINKS_PER_ADDRESS + 3; i++) answers.push((await ask("budi@mail.test")).status);
    expect(answers.every((s) => s === 202)).toBe(true);
    expect(await linksOf(mailCustomer.id)).toBe(before + MAGIC_LINKS_PER_ADDRESS);
    clock.advance(16 * 60_000);
    await ask("budi@mail.test");
    expect(await linksOf(mailCustomer.id)).toBe(before + MAGIC_LINKS_PER_ADDRESS + 1);
  });

  it("limits one client address to the login rate, with a 429 problem whatever the email", async () => {
    const statuses = [];
    for (let i = 0; i < 52; i++)
      statuses.push((await ask(i % 2 ? "budi@mail.test" : `x${i}@nowhere.test`, "10.9.9.9")).status);
    expect(statuses.slice(0, 50).every((s) => s === 202)).toBe(true);
    expect(statuses.slice(50)).toEqual([429, 429]);
    const res = await ask("budi@mail.test", "10.9.9.9");
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 429 });
  });

  it("refuses a malformed body with a 422 problem and sends nothing", async () => {
    const before = (await linkMails()).length;
    for (const body of [{}, { email: "not an address" }, { email: "budi@mail.test", extra: 1 }]) {
      const res = await t.inject("POST", "/api/v1/auth/magic-link", { token: null, body });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    }
    expect(await linkMails()).toHaveLength(before);
  });
});
