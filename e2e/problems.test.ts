/**
 * Problems in a real browser: a tier-1 agent links a ticket to a new problem from the ticket view
 * (in Indonesian), a supervisor marks the problem fixed with an update for customers (in English),
 * and the customer (English) reads the update in the portal; one email with it went out over SMTP.
 * The API half is in packages/server/test/problems/problems.int.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { DEMO, journeySession, screenshot, startHarness, unique, type Harness } from "./harness.ts";

let h: Harness;
let capture: SMTPServer;
const received: ParsedMail[] = [];

beforeAll(async () => {
  capture = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream)
        .then((mail) => received.push(mail))
        .then(() => done(), done);
    },
  });
  const port = await new Promise<number>((ok) =>
    capture.listen(0, "127.0.0.1", () => ok((capture.server.address() as { port: number }).port)),
  );
  // The machine is shared: give the server room to start (demo data on the embedded database).
  h = await startHarness({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` }, readyTimeoutMs: 400_000 });
}, 420_000);
afterAll(async () => {
  await h?.stop();
  await new Promise<void>((r) => capture?.close(() => r()));
});

describe("problems", () => {
  it("an agent links a ticket, a supervisor marks the problem fixed, the customer is told once in their language", async (ctx) => {
    const customer = await journeySession(h, ctx, DEMO.customer, "en");
    const agent = await journeySession(h, ctx, DEMO.tier1, "id");
    const supervisor = await journeySession(h, ctx, DEMO.supervisor, "en");
    const subject = unique("App crashes after the update");
    const ticket = await customer.api.post<{ id: string; number: number; language: string }>("/tickets", {
      subject,
      description: "The app closes as soon as I open my statement.",
    });
    expect(ticket.language).toBe("en");

    // The agent, in Indonesian, makes a problem from the ticket view.
    const title = unique("Aplikasi tertutup saat membuka laporan");
    await agent.page.goto(`/app/tickets/${ticket.id}`);
    await agent.page.getByRole("heading", { level: 1, name: new RegExp(subject) }).waitFor();
    await agent.page.getByRole("button", { name: "Tautkan ke masalah" }).click();
    await agent.page.getByRole("searchbox", { name: "Cari masalah berdasarkan judul" }).fill(title);
    await agent.page.getByRole("button", { name: `Buat masalah: “${title}”` }).click();
    const panel = agent.page.getByRole("region", { name: "Masalah" });
    await panel.getByText(/Tertaut ke masalah #\d+/).waitFor();
    await panel.getByText("Sedang diselidiki").waitFor();
    await agent.page.getByRole("tab", { name: "Linimasa" }).click();
    await agent.page.getByText(new RegExp(`Ditautkan ke masalah #\\d+ “${title}”`)).waitFor();
    await screenshot(agent.page, "problem-linked-id");

    // The supervisor, in English, marks it fixed with the update customers get.
    const update = unique("We fixed the crash: please update the app and try again.");
    await supervisor.page.goto("/app/problems");
    await supervisor.page.getByRole("link", { name: title }).click();
    await supervisor.page.getByRole("heading", { level: 1, name: new RegExp(title) }).waitFor();
    await supervisor.page.getByRole("combobox", { name: "Status" }).selectOption("fixed");
    await supervisor.page.getByRole("textbox", { name: "Update for customers in English" }).fill(update);
    await supervisor.page.getByRole("button", { name: "Save" }).click();
    await supervisor.page.getByRole("heading", { level: 1 }).getByText("Fixed").waitFor();
    await supervisor.page.getByText("Customer told").waitFor();
    await screenshot(supervisor.page, "problem-fixed-en");

    // The customer reads it in the portal, and one email carried it.
    await customer.page.goto(`/portal/tickets/${ticket.id}`);
    await customer.page.getByText(update).waitFor();
    await screenshot(customer.page, "problem-fixed-portal-en");
    const withUpdate = () => received.filter((m) => (m.text ?? "").includes(update));
    for (let i = 0; i < 100 && withUpdate().length === 0; i++) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 4000));
    expect(withUpdate()).toHaveLength(1);
    expect(withUpdate()[0]!.to).toMatchObject({ text: expect.stringContaining(DEMO.customer) });
  }, 240_000);
});
