/**
 * The web chat widget on another site: a host page served from another origin loads
 * /widget.js; a visitor gets a bot answer from the help center and says it solved the problem (a
 * deflection); in a second conversation the visitor asks for a person, a tier-1 agent signed in
 * in another browser sees the chat ticket with the transcript and replies, the reply and the
 * agent's typing appear in the widget without a reload, and the visitor's next line appears in
 * the agent's ticket view without a reload.
 */
import { createServer, type Server } from "node:http";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, journeySession, openSession, closeSession, screenshot, type Harness, startHarness } from "./harness.ts";

let h: Harness;
let host: Server;
let hostUrl = "";

beforeAll(async () => {
  // The demo's seeding is slow on a loaded machine: give the server time to be ready.
  h = await startHarness({ readyTimeoutMs: 600_000 });
  // The shop's own site, on another origin (another port), with Eskala's one script tag.
  host = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><html lang="en"><head><title>Toko Maju</title><style>button{background:red!important}</style></head>` +
        `<body><h1>Toko Maju</h1><script src="${h.baseUrl}/widget.js" async></script></body></html>`,
    );
  });
  await new Promise<void>((ok) => host.listen(0, "127.0.0.1", ok));
  const addr = host.address();
  hostUrl = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}/`;
}, 660_000);
afterAll(async () => {
  host?.closeAllConnections();
  await new Promise((ok) => (host ? host.close(ok) : ok(undefined)));
  await h?.stop();
}, 60_000);

/** A visitor's browser on the shop's page, with the chat opened. */
async function visitorOnShop() {
  const s = await openSession(h);
  s.context.setDefaultTimeout(20_000);
  await s.page.goto(hostUrl);
  await s.page.getByRole("button", { name: "Chat with us" }).click();
  return s;
}

describe("web chat widget", () => {
  it("is one small script, served to other origins", async () => {
    const res = await fetch(`${h.baseUrl}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const gzip = gzipSync(Buffer.from(await res.arrayBuffer())).length;
    console.log(JSON.stringify({ widget_gzip_bytes: gzip }));
    expect(gzip).toBeLessThan(30 * 1024);
  });

  it("on another site, the bot answers from the help center and a yes counts a deflection", async (ctx) => {
    const v = await visitorOnShop();
    ctx.onTestFinished(() => closeSession(v, "chat-deflection", ctx.task.result?.state === "fail"));
    const page = v.page;
    // Nothing may be sent without a valid email; the refusal is a sentence.
    await page.getByRole("textbox", { name: "Your name" }).fill("Rina");
    await page.getByRole("textbox", { name: "Your email" }).fill("rina@");
    await page.getByRole("button", { name: "Start the chat" }).click();
    await page.getByText("Please give a valid email address.").waitFor();
    await page.getByRole("textbox", { name: "Your email" }).fill("rina@tokomaju.co.id");
    await page.getByRole("button", { name: "Start the chat" }).click();

    const box = page.getByRole("textbox", { name: "Write your question…" });
    // Markup the visitor types is shown as text, never run or rendered.
    await box.fill("<b>How do I reset my password?</b>");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByText("<b>How do I reset my password?</b>").waitFor();
    const article = page.getByRole("link", { name: "How to reset your account password" });
    await article.waitFor();
    expect(await article.getAttribute("href")).toMatch(new RegExp(`^${h.baseUrl}/portal/kb/`));
    await page.getByText("Did this solve it?").first().waitFor();
    await screenshot(page, "chat-widget-bot-answer");
    await page.getByRole("button", { name: "Yes, solved" }).click();
    await page.getByText("Glad that helped! Write again any time.").waitFor();

    const supervisor = await journeySession(h, ctx, DEMO.supervisor, "en");
    const stats = await supervisor.api.get<{ deflections: number }>("/chat/stats");
    expect(stats.deflections).toBeGreaterThanOrEqual(1);

    // A message over 10,000 characters is refused with a sentence, in the widget.
    await box.fill("x".repeat(10_001));
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByText("Your message is too long: at most 10,000 characters.").waitFor();
  });

  it("a handover reaches a tier-1 agent, who replies live; the visitor's next line reaches the agent live", async (ctx) => {
    const agent = await journeySession(h, ctx, DEMO.tier1, "en");
    await agent.api.patch("/me", { presence: "online" }).catch(() => undefined);
    const v = await visitorOnShop();
    ctx.onTestFinished(() => closeSession(v, "chat-handover", ctx.task.result?.state === "fail"));
    const page = v.page;
    await page.getByRole("textbox", { name: "Your name" }).fill("Budi Hartono");
    await page.getByRole("textbox", { name: "Your email" }).fill("budi@tokomaju.co.id");
    await page.getByRole("button", { name: "Start the chat" }).click();
    const box = page.getByRole("textbox", { name: "Write your question…" });
    await box.fill("My order arrived broken, the screen is cracked");
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator("#eskala-chat [data-author=bot]").first().waitFor();

    const handover = page.waitForResponse((r) => r.url().endsWith("/api/v1/chat/conversation/handover"));
    await page.getByRole("button", { name: "Talk to a person" }).click();
    const { ticket } = (await (await handover).json()) as { ticket: { id: string; number: number } };
    await page.getByText(`ticket #${ticket.number}`).waitFor();

    // The agent sees the chat ticket with the whole transcript.
    await agent.page.goto(`/app/tickets/${ticket.id}`);
    await agent.page.getByRole("heading", { level: 1, name: /My order arrived broken/ }).waitFor();
    await agent.page.getByText("The visitor asked to talk to a person.").waitFor();
    const view = await agent.api.get<{ channel: string; description: string }>(`/tickets/${ticket.id}`);
    expect(view.channel).toBe("chat");
    expect(view.description).toContain("Budi Hartono: My order arrived broken, the screen is cracked");

    // The agent types: the widget says so; the reply then appears in the widget without a reload.
    const composer = agent.page.locator(".composer textarea");
    await composer.fill("Sorry to hear that, Budi. We will send a replacement today.");
    await page.getByText(/is typing…/).waitFor();
    await agent.page.getByRole("button", { name: "Send reply" }).click();
    await page.getByText("Sorry to hear that, Budi. We will send a replacement today.").waitFor();
    await screenshot(page, "chat-widget-live-reply");

    // The visitor answers: the line appears on the agent's ticket without a reload.
    await box.fill("Thank you, the order number is 88123");
    await page.getByRole("button", { name: "Send" }).click();
    await agent.page.getByText("Thank you, the order number is 88123").waitFor();
    await screenshot(agent.page, "chat-widget-agent-view");
  });
});
