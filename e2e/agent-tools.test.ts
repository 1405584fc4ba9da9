/**
 * The tools an agent reaches for, in a real browser and both languages: two agents on one ticket
 * see each other viewing and then replying (collision detection over the live stream); an agent
 * attaches a file that the customer downloads in the portal (a too-large file is refused with a
 * sentence); tags are edited and the timeline says so; `?` opens the shortcut sheet; sorting the
 * list by priority changes its order. The API half is packages/server/test/agent-tools.int.test.ts.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, journeySession, screenshot, startHarness, unique, type Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const newTicket = async (api: { post: <T>(p: string, b?: unknown) => Promise<T> }, subject: string) =>
  api.post<{ id: string; number: number }>("/tickets", {
    subject,
    description: "Aplikasi tidak bisa dibuka sejak pagi.",
    requester: { email: DEMO.customer },
  });

describe("agent tools", () => {
  it("two agents on one ticket see each other viewing, then replying (Indonesian and English)", async (ctx) => {
    const siti = await journeySession(h, ctx, DEMO.tier1, "id");
    const budi = await journeySession(h, ctx, DEMO.supervisor, "en");
    const sitiName = (await siti.api.get<{ name: string }>("/me")).name;
    const budiName = (await budi.api.get<{ name: string }>("/me")).name;
    const subject = unique("Aplikasi tidak bisa dibuka");
    const ticket = await newTicket(siti.api, subject);

    await siti.page.goto(`/app/tickets/${ticket.id}`);
    await siti.page.getByRole("heading", { level: 1, name: new RegExp(subject) }).waitFor();
    await budi.page.goto(`/app/tickets/${ticket.id}`);
    await budi.page.getByRole("heading", { level: 1, name: new RegExp(subject) }).waitFor();

    await budi.page.getByText(`${sitiName} is viewing`).waitFor();
    await siti.page.getByText(`${budiName} sedang melihat`).waitFor();

    await budi.page.locator(".composer textarea").fill("Saya sedang mengecek log server.");
    await siti.page.getByText(`${budiName} sedang membalas…`).waitFor();
    await screenshot(siti.page, "agent-tools-presence-id");

    // Budi leaves: Siti no longer sees him.
    await budi.page.goto("/app/tickets?queue=mine");
    await siti.page.getByText(`${budiName} sedang`).waitFor({ state: "detached" });
  });

  it("an agent attaches a file that the customer downloads in the portal; a too-large file is refused", async (ctx) => {
    const agent = await journeySession(h, ctx, DEMO.tier1, "en");
    const customer = await journeySession(h, ctx, DEMO.customer, "id");
    const subject = unique("Struk pembayaran");
    const ticket = await newTicket(agent.api, subject);

    await agent.page.goto(`/app/tickets/${ticket.id}`);
    await agent.page.getByRole("heading", { level: 1, name: new RegExp(subject) }).waitFor();
    const picker = agent.page.getByLabel("Attach files");
    await agent.page.getByText("At most 5 files, 5 MB each").waitFor();
    // A file just over the limit, from disk (a buffer this size crawls through the browser protocol).
    const big = join(await mkdtemp(join(tmpdir(), "eskala-e2e-")), "besar.bin");
    await writeFile(big, Buffer.alloc(5 * 1024 * 1024 + 1));
    await picker.setInputFiles(big);
    await agent.page.getByText("besar.bin is too large: a file may be at most 5 MB. Nothing was sent.").waitFor();

    await picker.setInputFiles({
      name: "panduan-reset.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("Langkah 1: buka Pengaturan."),
    });
    await agent.page.getByText("panduan-reset.txt").waitFor();
    await agent.page.locator(".composer textarea").fill("Berikut panduannya, silakan dicoba.");
    await agent.page.getByRole("button", { name: "Send reply" }).click();
    await agent.page.getByRole("link", { name: "panduan-reset.txt" }).waitFor();

    await customer.page.goto(`/portal/tickets/${ticket.id}`);
    const link = customer.page.getByRole("link", { name: "panduan-reset.txt" });
    await link.waitFor();
    const [download] = await Promise.all([customer.page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("panduan-reset.txt");
    expect(await readFile((await download.path())!, "utf8")).toBe("Langkah 1: buka Pengaturan.");
    await screenshot(customer.page, "agent-tools-portal-attachment-id");
  });

  it("tags are added and removed in the ticket view, and the timeline says so", async (ctx) => {
    const agent = await journeySession(h, ctx, DEMO.tier1, "id");
    const subject = unique("Tagihan ganda");
    const ticket = await newTicket(agent.api, subject);
    const tag = `ganda-${Date.now().toString(36)}`;
    await agent.page.goto(`/app/tickets/${ticket.id}`);
    await agent.page.getByRole("heading", { level: 1, name: new RegExp(subject) }).waitFor();
    await agent.page.getByLabel("Tambah tag").fill(tag);
    // The properties' own Add (the collaborators panel beside it has one too).
    const properties = agent.page.getByRole("complementary", { name: "Properti tiket" });
    await properties.getByRole("button", { name: "Tambah", exact: true }).click();
    await agent.page.getByRole("button", { name: `Hapus tag ${tag}` }).waitFor();
    expect((await agent.api.get<{ tags: string[] }>(`/tickets/${ticket.id}`)).tags).toContain(tag);
    await agent.page.getByRole("button", { name: `Hapus tag ${tag}` }).click();
    await agent.page.getByRole("button", { name: `Hapus tag ${tag}` }).waitFor({ state: "detached" });
    await agent.page.getByRole("tab", { name: "Linimasa" }).click();
    await agent.page.getByText(`Tag ditambahkan: ${tag}`).waitFor();
    await agent.page.getByText(`Tag dihapus: ${tag}`).waitFor();
  });

  it("? opens the shortcut sheet in both languages, and sorting by priority changes the order", async (ctx) => {
    const agent = await journeySession(h, ctx, DEMO.supervisor, "id");
    await agent.page.goto("/app/tickets?queue=all");
    await agent.page.getByRole("list", { name: "Semua tiket" }).waitFor();
    await agent.page.keyboard.press("?");
    const sheet = agent.page.getByRole("dialog", { name: "Pintasan keyboard" });
    await sheet.getByText("Tiket berikutnya dalam daftar").waitFor();
    await agent.page.keyboard.press("Escape");
    await sheet.waitFor({ state: "hidden" });
    // Not while typing: ? in the search box is just text.
    await agent.page.getByRole("searchbox").fill("?");
    await agent.page.keyboard.press("?");
    expect(await sheet.isVisible()).toBe(false);
    await agent.page.getByRole("searchbox").fill("");

    const firstRow = () => agent.page.locator(".ticket-list li[aria-posinset='1'] .ticket-number").innerText();
    const byUpdate = await firstRow();
    const urgentFirst = await agent.api.get<{ items: { number: number }[] }>("/tickets?sort=-priority&limit=1");
    const lowFirst = await agent.api.get<{ items: { number: number }[] }>("/tickets?sort=priority&limit=1");
    await agent.page.getByRole("button", { name: "Prioritas" }).click();
    await expect.poll(firstRow).toBe(`#${urgentFirst.items[0]!.number}`);
    await agent.page.getByRole("button", { name: /Prioritas/ }).click();
    await expect.poll(firstRow).toBe(`#${lowFirst.items[0]!.number}`);
    expect([urgentFirst.items[0]!.number, lowFirst.items[0]!.number].map((n) => `#${n}`)).not.toEqual([
      byUpdate,
      byUpdate,
    ]);
    await screenshot(agent.page, "agent-tools-sorted-id");

    await agent.api.patch("/me", { language: "en" });
    await agent.page.reload();
    await agent.page.getByRole("list", { name: "All tickets" }).waitFor();
    await agent.page.keyboard.press("?");
    await agent.page.getByRole("dialog", { name: "Keyboard shortcuts" }).getByText("Next ticket in the list").waitFor();
  });
});
