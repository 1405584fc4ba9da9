import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbKind, startTestApp, type TestApp } from "../harness.ts";
import { seedChannelsDemo } from "../../src/channels/kb/kb-demo.ts";
import { signSiteToken } from "../../src/channels/chat/chat-token.ts";
import { eventually, outboxEmails } from "./helpers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await seedChannelsDemo(t.services);
}, 300_000);
afterAll(async () => t?.close());

const ORIGIN = "https://shop.example";

/** A visitor's call: no Eskala credentials, the chat token in X-Chat-Token, from another site. */
async function visitor(method: string, url: string, token: string | null, body?: unknown) {
  return t.inject(method, url, {
    token: null,
    headers: { origin: ORIGIN, ...(token ? { "x-chat-token": token } : {}) },
    ...(body !== undefined ? { body } : {}),
  });
}

async function startChat(body: Record<string, unknown> = {}) {
  const res = await visitor("POST", "/api/v1/chat/conversations", null, {
    name: "Rina",
    email: `rina.${Math.random().toString(36).slice(2)}@shop.example`,
    language: "en",
    ...body,
  });
  expect(res.status, res.text).toBe(201);
  return res.body as { token: string; conversation: any };
}

const say = (token: string, text: string) =>
  visitor("POST", "/api/v1/chat/conversation/messages", token, { body: text });

describe(`web chat (${dbKind()})`, () => {
  it("refuses a visitor without a name or a valid email, naming the field, and writes nothing", async () => {
    const before = await t.count("chat_conversations");
    const noName = await visitor("POST", "/api/v1/chat/conversations", null, { email: "a@b.example", language: "en" });
    expect(noName.status).toBe(422);
    expect(noName.headers["content-type"]).toContain("application/problem+json");
    expect(noName.body.errors.map((e: any) => e.path.join("."))).toContain("name");
    const badEmail = await visitor("POST", "/api/v1/chat/conversations", null, {
      name: "X",
      email: "nope",
      language: "en",
    });
    expect(badEmail.status).toBe(422);
    expect(badEmail.body.errors.map((e: any) => e.path.join("."))).toContain("email");
    expect(await t.count("chat_conversations")).toBe(before);
  });

  it("answers CORS for the widget's routes from any origin, and serves no cookies", async () => {
    const pre = await t.inject("OPTIONS", "/api/v1/chat/conversation/messages", {
      token: null,
      headers: {
        origin: ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, x-chat-token",
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers["access-control-allow-origin"]).toBe("*");
    expect(String(pre.headers["access-control-allow-headers"])).toContain("x-chat-token");
    // Only the chat routes: the rest of the API stays same-origin.
    const other = await t.inject("GET", "/api/v1/kb/articles", { token: null, headers: { origin: ORIGIN } });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("refuses a missing or forged chat token", async () => {
    const { token } = await startChat();
    expect((await visitor("GET", "/api/v1/chat/conversation", null)).status).toBe(401);
    const forged = token.replace(/^[0-9a-f]/, (c) => (c === "a" ? "b" : "a"));
    const res = await visitor("GET", "/api/v1/chat/conversation", forged);
    expect(res.status).toBe(401);
    expect(res.headers["access-control-allow-origin"]).toBe("*");
  });

  it("the bot answers from the knowledge base in the visitor's language, and a yes counts a deflection", async () => {
    const { token, conversation } = await startChat({ language: "id" });
    expect(conversation.state).toBe("bot");
    const res = await say(token, "Bagaimana cara mengatur ulang kata sandi?");
    expect(res.status, res.text).toBe(200);
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    const bot = res.body.lines.at(-1);
    expect(bot.author).toBe("bot");
    expect(bot.body).toContain("Apakah ini menyelesaikan");
    expect(bot.ask_feedback).toBe(true);
    expect(bot.articles[0]).toMatchObject({
      title: "Cara mengatur ulang kata sandi akun",
      url: expect.stringMatching(/^\/portal\/kb\//),
    });
    expect(bot.articles[0].snippet.length).toBeGreaterThan(10);

    const kbBefore = await t.count("kb_deflections");
    const yes = await visitor("POST", "/api/v1/chat/conversation/feedback", token, { solved: true });
    expect(yes.status, yes.text).toBe(200);
    expect(yes.body.state).toBe("deflected");
    expect(yes.body.lines.at(-1).body).toContain("Senang");
    expect(await t.count("kb_deflections")).toBe(kbBefore + 1);
    // Saying yes again counts nothing more.
    await visitor("POST", "/api/v1/chat/conversation/feedback", token, { solved: true });
    expect(await t.count("chat_deflections")).toBe(1);

    const stats = await t.inject("GET", "/api/v1/chat/stats", { token: t.people.supervisor.token });
    expect(stats.status).toBe(200);
    expect(stats.body.deflections).toBe(1);
    expect((await t.inject("GET", "/api/v1/chat/stats", { token: t.people.agent1.token })).status).toBe(403);
  });

  it("'Talk to a person' hands over: a chat ticket through the ticket service with the whole transcript", async () => {
    const { token } = await startChat({ name: "Budi Santoso", email: "budi@shop.example" });
    await say(token, "How do I reset my password?");
    const res = await visitor("POST", "/api/v1/chat/conversation/handover", token);
    expect(res.status, res.text).toBe(200);
    expect(res.body.state).toBe("handed_over");
    expect(res.body.ticket.number).toBeGreaterThan(0);
    expect(res.body.lines.at(-1).body).toContain(`#${res.body.ticket.number}`);
    const ticket = await t.inject("GET", `/api/v1/tickets/${res.body.ticket.id}`, { token: t.people.agent1.token });
    expect(ticket.status).toBe(200);
    expect(ticket.body.channel).toBe("chat");
    expect(ticket.body.tier).toBe(1);
    expect(ticket.body.requester.email).toBe("budi@shop.example");
    expect(ticket.body.description).toContain("The visitor asked to talk to a person.");
    expect(ticket.body.description).toContain("Budi Santoso: How do I reset my password?");
    expect(ticket.body.description).toContain("Bot: Here is what I found");
    expect(ticket.body.description).toContain("How to reset your account password (/portal/kb/");
    // A second click makes no second ticket.
    const again = await visitor("POST", "/api/v1/chat/conversation/handover", token);
    expect(again.body.ticket.id).toBe(res.body.ticket.id);

    // Live both ways: the visitor's next line is the ticket's message; the agent's reply comes back.
    const line = await say(token, "I still cannot sign in");
    expect(line.status, line.text).toBe(200);
    const messages = await t.inject("GET", `/api/v1/tickets/${res.body.ticket.id}/messages`, {
      token: t.people.agent1.token,
    });
    const visitorMsg = messages.body.items.find((m: any) => m.body === "I still cannot sign in");
    expect(visitorMsg).toMatchObject({ channel: "chat", author: { role: "customer" } });
    const reply = await t.inject("POST", `/api/v1/tickets/${res.body.ticket.id}/messages`, {
      token: t.people.agent1.token,
      body: { body: "Hi Budi, I have reset it for you.", kind: "reply" },
    });
    expect(reply.status, reply.text).toBe(201);
    await t.inject("POST", `/api/v1/tickets/${res.body.ticket.id}/messages`, {
      token: t.people.agent1.token,
      body: { body: "internal: check the logs", kind: "note" },
    });
    const view = await visitor("GET", "/api/v1/chat/conversation", token);
    const agentLines = view.body.lines.filter((l: any) => l.author === "agent");
    expect(agentLines.map((l: any) => l.body)).toEqual(["Hi Budi, I have reset it for you."]);
    expect(agentLines[0].author_name).toBe("agent1");
    expect(view.body.agents_online).toBe(true);
  });

  it("a second miss hands over, and so does strong negative sentiment", async () => {
    const a = await startChat();
    const first = await say(a.token, "zxqv blorf");
    expect(first.body.state).toBe("bot");
    expect(first.body.lines.at(-1).body).toContain("could not find");
    const second = await say(a.token, "qqqq wwww");
    expect(second.body.state).toBe("handed_over");
    const ta = await t.inject("GET", `/api/v1/tickets/${second.body.ticket.id}`, { token: t.people.agent1.token });
    expect(ta.body.description).toContain("The bot did not find an answer twice.");

    // "No" to an answer counts as a miss too.
    const b = await startChat();
    await say(b.token, "payment failed");
    const no1 = await visitor("POST", "/api/v1/chat/conversation/feedback", b.token, { solved: false });
    expect(no1.body.state).toBe("bot");
    await say(b.token, "payment declined");
    const no2 = await visitor("POST", "/api/v1/chat/conversation/feedback", b.token, { solved: false });
    expect(no2.body.state).toBe("handed_over");

    const c = await startChat({ language: "id" });
    const angry = await say(c.token, "Pelayanan terburuk, saya sangat kecewa, ini penipuan!");
    expect(angry.body.state).toBe("handed_over");
    const tc = await t.inject("GET", `/api/v1/tickets/${angry.body.ticket.id}`, { token: t.people.agent1.token });
    expect(tc.body.description).toContain("Pengunjung tampak sangat kecewa.");
  });

  it("with nobody online, the conversation says so (and when the SLA promises a reply, if it does)", async () => {
    await t.db.updateTable("agent_profiles").set({ presence: "offline" }).execute();
    try {
      const { token } = await startChat();
      const res = await visitor("POST", "/api/v1/chat/conversation/handover", token);
      expect(res.body.agents_online).toBe(false);
      expect(res.body.reply_by === null || !Number.isNaN(Date.parse(res.body.reply_by))).toBe(true);
    } finally {
      await t.db.updateTable("agent_profiles").set({ presence: "online" }).execute();
    }
  });

  it("refuses a line over 10,000 characters with a 422 naming body, and writes nothing", async () => {
    const { token } = await startChat();
    const before = await t.count("chat_lines");
    const res = await say(token, "x".repeat(10_001));
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    expect(res.body.errors[0].path).toEqual(["body"]);
    expect(await t.count("chat_lines")).toBe(before);
  });

  it("refuses a flood from one visitor with a 429 and a clear message, other visitors unaffected", async () => {
    const { token } = await startChat();
    const statuses: number[] = [];
    let last: any;
    for (let i = 0; i < 22; i++) {
      last = await say(token, `hello ${i}`);
      statuses.push(last.status);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(last.status).toBe(429);
    expect(last.headers["content-type"]).toContain("application/problem+json");
    expect(last.body.detail).toMatch(/Too many messages/);
    const other = await startChat();
    expect((await say(other.token, "hello")).status).toBe(200);
  });

  it("a host site's signed user token identifies the visitor; a bad or expired one is refused", async () => {
    const site = await t.inject("POST", "/api/v1/chat/sites", { body: { name: "Shop" } });
    expect(site.status).toBe(201);
    expect(site.body.identity_secret.length).toBeGreaterThan(20);
    expect((await t.inject("GET", "/api/v1/chat/sites")).body.items[0]).not.toHaveProperty("identity_secret");
    expect(
      (await t.inject("POST", "/api/v1/chat/sites", { token: t.people.supervisor.token, body: { name: "X" } })).status,
    ).toBe(403);
    const exp = Math.floor(Date.now() / 1000) + 600;
    const good = signSiteToken(site.body.identity_secret, { email: "member@shop.example", name: "Member", exp });
    const ok = await visitor("POST", "/api/v1/chat/conversations", null, {
      site_id: site.body.id,
      user_token: good,
      language: "en",
    });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.conversation.visitor).toEqual({ name: "Member", email: "member@shop.example" });

    const before = await t.count("chat_conversations");
    const forged = signSiteToken("not-the-secret", { email: "ceo@shop.example", name: "CEO", exp });
    const bad = await visitor("POST", "/api/v1/chat/conversations", null, {
      site_id: site.body.id,
      user_token: forged,
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toEqual(["user_token"]);
    const expired = signSiteToken(site.body.identity_secret, { email: "m@shop.example", name: "M", exp: 1000 });
    const old = await visitor("POST", "/api/v1/chat/conversations", null, {
      site_id: site.body.id,
      user_token: expired,
    });
    expect(old.status).toBe(422);
    expect(old.body.detail).toContain("expired");
    expect(await t.count("chat_conversations")).toBe(before);
  });

  it("live: the widget's stream hears the agent's reply and typing; notices go into the chat while connected, by email otherwise", async () => {
    const { token } = await startChat({ email: "live@shop.co.id" });
    const handed = await visitor("POST", "/api/v1/chat/conversation/handover", token);
    const ticketId = handed.body.ticket.id as string;
    // Not connected: the waiting-on-you notice goes by email.
    await t.inject("POST", `/api/v1/tickets/${ticketId}/messages`, {
      token: t.people.agent1.token,
      body: { body: "Which phone do you use?", kind: "reply", status: "pending" },
    });
    expect((await outboxEmails(t, ticketId)).map((r) => r.payload.template)).toContain("ticket.waiting");

    const address = await t.http.listen({ port: 0, host: "127.0.0.1" });
    const ctl = new AbortController();
    const res = await fetch(`${address}/api/v1/chat/conversation/stream`, {
      headers: { "x-chat-token": token, origin: ORIGIN },
      signal: ctl.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    let received = "";
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        received += value;
      }
    })();
    await eventually(async () => received.includes(": connected"));
    await t.inject("POST", `/api/v1/tickets/${ticketId}/presence`, {
      token: t.people.agent1.token,
      body: { state: "replying" },
    });
    await eventually(async () => received.includes("event: typing") && received.includes('"typing":true'));
    const emailsBefore = (await outboxEmails(t, ticketId)).length;
    await t.inject("PATCH", `/api/v1/tickets/${ticketId}`, {
      token: t.people.agent1.token,
      body: { status: "solved", resolution_code: "answered" },
    });
    await eventually(async () => received.includes("event: changed"));
    const view = await visitor("GET", "/api/v1/chat/conversation", token);
    expect(view.body.lines.at(-1).author).toBe("bot");
    expect(view.body.lines.at(-1).body.length).toBeGreaterThan(10);
    expect((await outboxEmails(t, ticketId)).length).toBe(emailsBefore);
    ctl.abort();
  });
});
