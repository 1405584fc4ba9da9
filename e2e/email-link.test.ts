/**
 * A customer who exists only because they wrote in by email (no password) gets into the portal by
 * the emailed sign-in link and rates the help from the solved email's survey link. Mail goes both
 * ways over real SMTP: into Eskala's listener, and out through SMTP_URL to a capturing server here.
 */
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { simpleParser, type ParsedMail } from "mailparser";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";
import { DEMO, journeySession, startHarness, unique, type Harness, type Session } from "./harness.ts";

let h: Harness;
let capture: SMTPServer;
let inboundPort = 0;
const received: ParsedMail[] = [];

async function freePort(server?: SMTPServer): Promise<number> {
  const { createServer } = await import("node:net");
  if (server)
    return new Promise((ok) =>
      server.listen(0, "127.0.0.1", () => ok((server.server.address() as { port: number }).port)),
    );
  return new Promise((ok) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

beforeAll(async () => {
  capture = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    onData(stream, _session, done) {
      simpleParser(stream)
        .then((mail) => received.push(mail))
        .then(() => done(), done);
    },
  });
  const outPort = await freePort(capture);
  inboundPort = await freePort();
  h = await startHarness({ env: { ESKALA_SMTP_PORT: String(inboundPort), SMTP_URL: `smtp://127.0.0.1:${outPort}` } });
});

afterAll(async () => {
  await h?.stop();
  await new Promise((r) => (capture ? capture.close(() => r(null)) : r(null)));
});

/** The first captured mail to `to` matching `pattern` (subject or text), waiting for the relay. */
async function mailTo(to: string, pattern: RegExp): Promise<ParsedMail> {
  const until = Date.now() + 30_000;
  for (;;) {
    const found = received.find(
      (m) => m.to && JSON.stringify(m.to).toLowerCase().includes(to) && pattern.test(`${m.subject}\n${m.text}`),
    );
    if (found) return found;
    if (Date.now() > until) throw new Error(`no mail to ${to} matching ${pattern}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The path and query of the first link in a mail to this server whose path matches. */
function linkIn(mail: ParsedMail, path: RegExp): string {
  const url = (mail.text ?? "").match(/https?:\/\/\S+/g)?.find((u) => path.test(new URL(u).pathname));
  if (!url) throw new Error(`no ${path} link in: ${mail.text}`);
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}

const session = (ctx: TestContext, email?: string): Promise<Session> => journeySession(h, ctx, email);

describe("a customer created by email", () => {
  it("signs in by the emailed link (once) and rates from the solved email's survey link", async (ctx) => {
    const address = `rina.${Date.now().toString(36)}@mail.test`;
    const subject = unique("Pembayaran gagal");
    const transport = nodemailer.createTransport({
      host: "127.0.0.1",
      port: inboundPort,
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({
      from: `Rina <${address}>`,
      to: "support@eskala.local",
      subject,
      text: "Saya sudah membayar tetapi pesanan saya tidak muncul.",
    });
    transport.close();
    await mailTo(address, /#\d+/);

    // Signed out, on the portal: no password, so the sign-in link by email.
    const customer = await session(ctx);
    const { page } = customer;
    await page.goto("/portal/login");
    const magic = page.getByRole("region", { name: /No password\?/ });
    await magic.getByLabel("Email").fill(address);
    await magic.getByRole("button", { name: "Email me a sign-in link" }).click();
    await expect.poll(() => magic.getByText(/Check your email/).isVisible()).toBe(true);

    const linkMail = await mailTo(address, /\/portal\/login\/link\?token=/);
    expect(linkMail.subject).toMatch(/Tautan masuk|sign-in link/);
    const signIn = linkIn(linkMail, /^\/portal\/login\/link$/);
    await page.goto(signIn);
    await page.waitForURL(/\/portal$/);
    await expect.poll(() => page.getByRole("link", { name: new RegExp(subject) }).isVisible()).toBe(true);

    // The link works once: opened again (signed out elsewhere) it says so plainly.
    const again = await session(ctx);
    await again.page.goto(signIn);
    await expect
      .poll(
        () =>
          again.page.getByText(/expired or has already been used|kedaluwarsa atau sudah pernah dipakai/).isVisible(),
        { timeout: 20_000 },
      )
      .toBe(true);

    // An agent solves it; the solved email carries the survey link.
    const agent = await session(ctx, DEMO.tier1);
    const list = await agent.api.get<{ items: { id: string; subject: string }[] }>(
      `/tickets?q=${encodeURIComponent(subject)}`,
    );
    const ticket = list.items.find((i) => i.subject === subject)!;
    await agent.api.patch(`/tickets/${ticket.id}`, { status: "solved", resolution_code: "answered" });
    const solvedMail = await mailTo(address, /\/portal\/survey\//);

    // The survey link works without signing in: rate 4 with a comment.
    const surveyPath = linkIn(solvedMail, /^\/portal\/survey\/[^/]+$/);
    const anonymous = await session(ctx);
    await anonymous.page.goto(surveyPath);
    await anonymous.page.locator('input[name="rating"][value="4"]').check({ force: true });
    await anonymous.page.getByRole("textbox").fill("Cepat ditangani");
    await anonymous.page.getByRole("button", { name: /Kirim penilaian|Send rating/ }).click();
    await expect
      .poll(() => anonymous.page.getByText(/(nilai|rated it) 4 (dari|of) 5/).isVisible(), { timeout: 20_000 })
      .toBe(true);

    // Back in the portal, signed in, the ticket shows the rating given, not an empty form.
    await page.goto(`/portal/tickets/${ticket.id}`);
    await expect
      .poll(() => page.getByText(/(nilai|rated it) 4 (dari|of) 5/).isVisible(), { timeout: 20_000 })
      .toBe(true);
    expect(await page.getByRole("button", { name: /Kirim penilaian|Send rating/ }).count()).toBe(0);
    // And the survey link, opened again, shows the rating instead of the form.
    await anonymous.page.reload();
    await expect.poll(() => anonymous.page.getByText(/Cepat ditangani/).isVisible()).toBe(true);
  });
});
