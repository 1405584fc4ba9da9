/**
 * Admin screens for the help center and the customer emails: an admin writes a knowledge-base article
 * with the customers' preview and the customer is offered it while writing a request; an admin changes
 * a customer email's wording and the next email of that kind carries it; a value the server refuses is
 * a sentence under its field. One journey in English, one in Indonesian.
 */
import { createServer } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, journeySession, screenshot, startHarness, type Harness } from "./harness.ts";

let h: Harness;
let capture: SMTPServer;
const received: ParsedMail[] = [];

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
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
  const port = await freePort();
  await new Promise<void>((ok) => capture.listen(port, "127.0.0.1", ok));
  h = await startHarness({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` }, readyTimeoutMs: 400_000 });
});

afterAll(async () => {
  await h?.stop();
  await new Promise((r) => (capture ? capture.close(() => r(null)) : r(null)));
});

async function mailMatching(pattern: RegExp): Promise<ParsedMail> {
  const until = Date.now() + 30_000;
  for (;;) {
    const found = received.find((m) => pattern.test(`${m.subject}\n${m.text}`));
    if (found) return found;
    if (Date.now() > until) throw new Error(`no mail matching ${pattern}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const token = () =>
  `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.replace(/[0-9]/g, (d) => "qwrtyplkjh"[+d]!);

describe("admin screens: help-center articles and customer emails", () => {
  it("in English, an admin writes and publishes an article with a preview; the customer is offered it; a changed reply email is sent", async (ctx) => {
    const admin = await journeySession(h, ctx, DEMO.admin, "en");
    const word = `zamrud${token()}`;
    const title = `How to activate the ${word} card`;
    await admin.page.goto("/app/admin/tiers");
    await admin.page.getByRole("link", { name: "Help-center articles" }).click();
    await admin.page.getByRole("heading", { level: 1, name: "Help-center articles" }).waitFor();
    await admin.page.getByRole("button", { name: "Write an article" }).first().click();
    const dialog = admin.page.getByRole("dialog", { name: "Write an article" });
    await dialog.getByRole("textbox", { name: "Title" }).fill(title);
    await dialog.getByRole("combobox", { name: "Language" }).selectOption("en");
    await dialog.getByRole("combobox", { name: "State" }).selectOption("published");
    await dialog
      .getByRole("textbox", { name: "Article (Markdown)" })
      .fill(`## Activate ${word}\n\nOpen **Settings** and tap *Cards*.\n\n<script>alert(1)</script>`);
    // The preview is the help center's rendering: Markdown as HTML, raw HTML as text.
    const preview = dialog.getByTestId("kb-preview");
    await preview.getByRole("heading", { level: 2, name: `Activate ${word}` }).waitFor();
    expect(await preview.locator("strong").innerText()).toBe("Settings");
    expect(await preview.locator("script").count()).toBe(0);
    await preview.getByText("<script>alert(1)</script>").waitFor();
    await screenshot(admin.page, "kb-admin-article-en");
    await dialog.getByRole("button", { name: "Save" }).click();
    const row = admin.page.getByRole("row", { name: new RegExp(title) });
    await row.getByRole("cell", { name: "Published" }).waitFor();

    // The customer writing a request in English is offered it.
    const customer = await journeySession(h, ctx, DEMO.customer, "en");
    await customer.page.goto("/portal/new");
    await customer.page.getByRole("textbox", { name: "Subject" }).fill(`activate ${word}`);
    await customer.page.getByRole("complementary").getByRole("link", { name: title }).waitFor();

    // The admin changes the English "Agent's reply" email.
    const marker = `Kind regards from the ${word} team`;
    await admin.page.getByRole("link", { name: "Customer emails" }).click();
    await admin.page.getByRole("heading", { level: 1, name: "Customer emails" }).waitFor();
    await admin.page.getByRole("button", { name: "Edit Agent's reply (English)" }).click();
    const edit = admin.page.getByRole("dialog", { name: "Edit customer email" });
    await edit.locator("code", { hasText: "{{agent_name}}" }).waitFor();
    await edit.getByText("The name of the agent who wrote.").waitFor();
    const body = edit.getByRole("textbox", { name: "Text" });
    await body.fill(`Hello {{customer_name}},\n\n{{reply_text}}\n\n{{agent_name}}\n${marker}`);
    await edit
      .getByTestId("template-preview")
      .getByText(/Hello Rina Wijaya/)
      .waitFor();
    await edit.getByRole("button", { name: "Save" }).click();
    await admin.page
      .getByRole("row", { name: /Agent's reply.*English/ })
      .getByRole("cell", { name: "Changed by an admin" })
      .waitFor();

    // The next agent reply to an English ticket uses it.
    const ticket = await customer.api.post<{ id: string; language: string }>("/tickets", {
      subject: `Card ${word} not working`,
      description: "The card is refused at every shop.",
    });
    expect(ticket.language).toBe("en");
    await admin.api.post(`/tickets/${ticket.id}/messages`, { body: `Reply about ${word}` });
    const mail = await mailMatching(new RegExp(marker));
    expect(mail.text).toContain(`Reply about ${word}`);
    expect(mail.text).not.toMatch(/\{\{|\}\}/);
  });

  it("in Indonesian, an unknown placeholder and an empty title are sentences under their fields and nothing is saved; restoring the default works", async (ctx) => {
    const admin = await journeySession(h, ctx, DEMO.admin, "id");
    await admin.page.goto("/app/admin/mail-templates");
    await admin.page.getByRole("heading", { level: 1, name: "Email pelanggan" }).waitFor();
    await admin.page.getByRole("button", { name: "Ubah Balasan agen (Bahasa Indonesia)" }).click();
    const edit = admin.page.getByRole("dialog", { name: "Ubah email pelanggan" });
    const subject = edit.getByRole("textbox", { name: "Subjek" });
    await subject.fill("Balasan untuk {{nama_pelanggan}}");
    await edit.getByRole("button", { name: "Simpan" }).click();
    await expect.poll(() => subject.getAttribute("aria-invalid")).toBe("true");
    await edit.getByText("nama_pelanggan bukan penanda yang dikenal email ini").waitFor();
    const said = await edit.getByText(/bukan penanda/).innerText();
    expect(said).not.toMatch(/unknown|placeholder/);
    let tpl = await admin.api.get<{ is_default: boolean }>("/mail-templates/agent.reply/id");
    expect(tpl.is_default).toBe(true);

    // A valid change, then back to the built-in wording.
    await subject.fill("[#{{ticket_number}}] Balasan dari tim kami");
    await edit.getByRole("button", { name: "Simpan" }).click();
    const row = admin.page.getByRole("row", { name: /Balasan agen.*Bahasa Indonesia/ });
    await row.getByRole("cell", { name: "Diubah oleh admin" }).waitFor();
    await row.getByRole("button", { name: /Ubah/ }).click();
    await edit.getByText("Mengembalikan akan membuang kata-kata yang diubah").waitFor();
    await edit.getByRole("button", { name: "Kembalikan kata-kata bawaan" }).click();
    await row.getByRole("cell", { name: "Bawaan" }).waitFor();
    tpl = await admin.api.get("/mail-templates/agent.reply/id");
    expect(tpl.is_default).toBe(true);

    // An article without a title: a sentence under the title, nothing written.
    await admin.page.getByRole("link", { name: "Artikel pusat bantuan" }).click();
    await admin.page.getByRole("heading", { level: 1, name: "Artikel pusat bantuan" }).waitFor();
    await admin.page.getByRole("button", { name: "Tulis artikel" }).first().click();
    const dialog = admin.page.getByRole("dialog", { name: "Tulis artikel" });
    await dialog.getByRole("textbox", { name: "Isi artikel (Markdown)" }).fill("# Kartu\n\nBuka **Pengaturan**.");
    await dialog.getByTestId("kb-preview").getByRole("heading", { level: 1, name: "Kartu" }).waitFor();
    const title = dialog.getByRole("textbox", { name: "Judul" });
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await expect.poll(() => title.getAttribute("aria-invalid")).toBe("true");
    // A title longer than the server allows: refused as a sentence, nothing written.
    await title.fill("x".repeat(300));
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await expect.poll(() => title.getAttribute("aria-invalid")).toBe("true");
    const text = await dialog.innerText();
    expect(text).not.toMatch(/too_big|[{}]|\btitle\b/);
    const list = await admin.api.get<{ items: { title: string }[] }>("/kb/articles?limit=200");
    expect(list.items.some((a) => a.title.startsWith("xxxx"))).toBe(false);
    await screenshot(admin.page, "kb-admin-article-id");
  });

  it("lists articles 50 to a page: past 50, the next page shows the rest, in English and Indonesian", async (ctx) => {
    const admin = await journeySession(h, ctx, DEMO.admin, "en");
    const stem = `Halaman${token()}`;
    for (let i = 0; i < 51; i++)
      await admin.api.post("/kb/articles", { title: `${stem} ${i}`, body: "Isi artikel.", language: "id" });
    const total = (await admin.api.get<{ items: unknown[] }>("/kb/articles?limit=200")).items.length;
    expect(total).toBeGreaterThan(50);
    await admin.page.goto("/app/admin/kb");
    await admin.page.getByRole("heading", { level: 1, name: "Help-center articles" }).waitFor();
    const rows = admin.page.locator("table tbody tr");
    await admin.page.getByText("Page 1", { exact: true }).waitFor();
    expect(await rows.count()).toBe(50);
    // The newest first: the last written is on page 1, the first written (older) on page 2.
    await admin.page.getByRole("row", { name: new RegExp(`${stem} 50\\b`) }).waitFor();
    await admin.page.getByRole("button", { name: "Next page" }).click();
    await admin.page.getByText("Page 2", { exact: true }).waitFor();
    await admin.page.getByRole("row", { name: new RegExp(`${stem} 0\\b`) }).waitFor();
    expect(await rows.count()).toBe(Math.min(50, total - 50));
    await admin.page.getByRole("button", { name: "Previous page" }).click();
    await admin.page.getByText("Page 1", { exact: true }).waitFor();

    await admin.api.patch("/me", { language: "id" });
    await admin.page.reload();
    await admin.page.getByRole("heading", { level: 1, name: "Artikel pusat bantuan" }).waitFor();
    await admin.page.getByRole("button", { name: "Halaman berikutnya" }).click();
    await admin.page.getByText("Halaman 2", { exact: true }).waitFor();
  });
});
