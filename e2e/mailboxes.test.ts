/**
 * Admin → Mailboxes against a real Dovecot: an admin adds an IMAP mailbox with a wrong password
 * (in Indonesian), sees the refusal as a sentence with the next try and in "test connection",
 * fixes the password (in English), and sees the mailbox working and the mail as a ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawMail, startDovecot, type Dovecot } from "../packages/server/test/channels/dovecot.ts";
import { DEMO, journeySession, screenshot, startHarness, unique, type Harness } from "./harness.ts";

let h: Harness;
let dc: Dovecot;
beforeAll(async () => {
  // A loaded machine seeds the demo slowly: more time than the harness's default to get ready.
  // Dovecot first: if the server never gets ready, afterAll still stops it.
  dc = await startDovecot({ layanan: "sandi-benar" });
  // Dovecot listens on 127.0.0.1: an internal address, allow-listed as an admin would.
  h = await startHarness({ readyTimeoutMs: 400_000, env: { ESKALA_WEBHOOK_ALLOW: "127.0.0.1" } });
}, 420_000);
afterAll(async () => {
  await h?.stop();
  await dc?.stop();
});

describe("admin screens: IMAP mailboxes", () => {
  it("a refused login reads as a sentence; with the right password the mail becomes a ticket", async (ctx) => {
    const subject = unique("Pesanan belum sampai");
    await dc.append("layanan", [
      rawMail({
        from: "Sari Dewi <sari@pelanggan.test>",
        to: "layanan@perusahaan.test",
        subject,
        text: "Halo, pesanan saya belum sampai sejak seminggu. Mohon dicek.",
        messageId: `<${Date.now()}@pelanggan.test>`,
      }),
    ]);
    const name = unique("Kotak layanan");
    const id = await journeySession(h, ctx, DEMO.admin, "id");
    await id.page.goto("/app/admin/tiers");
    await id.page.getByRole("link", { name: "Kotak surat" }).click();
    await id.page.getByRole("heading", { level: 1, name: "Kotak surat (IMAP)" }).waitFor();
    await id.page.getByRole("button", { name: "Tambah kotak surat" }).first().click();
    const dialog = id.page.getByRole("dialog", { name: "Tambah kotak surat" });
    await dialog.getByRole("textbox", { name: "Nama", exact: true }).fill(name);
    // An address inside the network that ESKALA_WEBHOOK_ALLOW does not name (10.20.30.40) is refused below.
    await dialog.getByRole("textbox", { name: "Server (host IMAP)" }).fill("10.20.30.40");
    await dialog.getByRole("combobox", { name: "Keamanan" }).selectOption("none");
    // A port out of range is refused in a sentence beside the field; nothing is saved.
    await dialog.getByRole("textbox", { name: "Port" }).fill("70000");
    await dialog.getByRole("textbox", { name: "Nama pengguna" }).fill("layanan");
    await dialog.getByLabel("Kata sandi atau sandi aplikasi").fill("sandi-salah");
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await dialog.getByText("Isi port dari 1 sampai 65535.").waitFor();
    await dialog.getByRole("textbox", { name: "Port" }).fill(String(dc.port));
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await dialog
      .getByText(
        "Alamat itu ada di dalam jaringan Anda (loopback, privat, atau link-local). Eskala hanya tersambung ke sana jika administrator server mengizinkannya di ESKALA_WEBHOOK_ALLOW.",
      )
      .waitFor();
    await dialog.getByRole("textbox", { name: "Server (host IMAP)" }).fill("127.0.0.1");
    await dialog.getByRole("button", { name: "Simpan" }).click();

    const row = id.page.getByRole("row", { name: new RegExp(name) });
    await row
      .getByText(/Server 127\.0\.0\.1:\d+ menolak nama pengguna atau kata sandi\. Gagal .*percobaan berikutnya pada/)
      .waitFor({
        timeout: 30_000,
      });
    await row.getByRole("button", { name: `Uji koneksi ${name}` }).click();
    await row.getByText(/^Uji gagal\. Server 127\.0\.0\.1:\d+ menolak nama pengguna atau kata sandi\.$/).waitFor();
    const text = await id.page.locator("main").innerText();
    expect(text).not.toMatch(/auth_failed|AUTHENTICATIONFAILED|[{}]/);
    expect(text).not.toContain("sandi-salah");
    await screenshot(id.page, "admin-mailboxes-id");

    const en = await journeySession(h, ctx, DEMO.admin, "en");
    await en.page.goto("/app/admin/mailboxes");
    const enRow = en.page.getByRole("row", { name: new RegExp(name) });
    await enRow.getByRole("button", { name: `Edit ${name}` }).click();
    const edit = en.page.getByRole("dialog", { name: "Edit mailbox" });
    await edit
      .getByText("A password is stored. Leave this empty to keep it, or type a new one to replace it.")
      .waitFor();
    await edit.getByLabel("Password or app password").fill("sandi-benar");
    await edit.getByRole("button", { name: "Save" }).click();
    await enRow.getByText(/^Working: last fetched .*; 1 message imported so far\.$/).waitFor({ timeout: 30_000 });
    await enRow.getByRole("button", { name: `Test the connection of ${name}` }).click();
    await enRow.getByText("Connected and signed in: the folder INBOX holds 1 message.").waitFor();
    await screenshot(en.page, "admin-mailboxes-en");

    const tickets = await en.api.get<{ items: { subject: string; channel: string }[] }>(
      `/tickets?q=${encodeURIComponent(subject)}`,
    );
    expect(tickets.items.filter((t) => t.subject === subject)).toEqual([expect.objectContaining({ channel: "email" })]);
    expect((await dc.list("layanan"))[0]?.seen).toBe(true);
  });
});
