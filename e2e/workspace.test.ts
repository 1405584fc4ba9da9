/**
 * Macros, saved views and bulk changes in a real browser, in Indonesian and in English: a tier-1
 * agent answers with a demo macro (the customer receives the rendered text and the macro's status
 * change), saves a view of the list, sees its count move as a ticket arrives and one leaves, and reopens it from the sidebar, ticks three tickets and a
 * closed one, changes their priority at once and reads the result per ticket. The API half is in
 * packages/server/test/workspace/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, journeySession, screenshot, startHarness, unique, type Harness, type Session } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const WORDS = {
  id: {
    macro: "Makro",
    reply: "Balasan untuk pelanggan",
    send: "Kirim balasan",
    hello: "Halo",
    details: "mohon kirimkan tangkapan layar",
    saveView: "Simpan tampilan",
    viewName: "Nama tampilan",
    save: "Simpan",
    views: "Tampilan tersimpan",
    tickets: (n: number) => `${n} tiket`,
    filterPriority: "Saring menurut prioritas",
    urgent: "Mendesak",
    high: "Tinggi",
    select: (n: number, s: string) => `Pilih tiket #${n}: ${s}`,
    action: "Tindakan",
    setPriority: "Ubah prioritas",
    apply: "Terapkan ke 4 tiket",
    changed: "3 tiket berhasil diubah.",
    failed: "1 tidak dapat diubah:",
    closed: (n: number) => `#${n} sudah ditutup atau tidak dapat berpindah ke status itu.`,
  },
  en: {
    macro: "Macro",
    reply: "Reply to the customer",
    send: "Send reply",
    hello: "Hello",
    details: "please send us a screenshot",
    saveView: "Save view",
    viewName: "View name",
    save: "Save",
    views: "Saved views",
    tickets: (n: number) => `${n} ticket${n === 1 ? "" : "s"}`,
    filterPriority: "Filter by priority",
    urgent: "Urgent",
    high: "High",
    select: (n: number, s: string) => `Select ticket #${n}: ${s}`,
    action: "Action",
    setPriority: "Set priority",
    apply: "Apply to 4 tickets",
    changed: "3 tickets changed.",
    failed: "1 could not be:",
    closed: (n: number) => `#${n} is closed or cannot move to that status.`,
  },
} as const;

type T = { id: string; number: number; subject: string };
async function ticket(agent: Session, subject: string, language: "id" | "en", extra: Record<string, unknown> = {}) {
  const t = await agent.api.post<T>("/tickets", {
    subject,
    description: "Aplikasi menampilkan galat saat login.",
    requester: { email: DEMO.customer },
    language,
    ...extra,
  });
  return { ...t, subject };
}

describe.each(["id", "en"] as const)("agent workspace (%s)", (lang) => {
  const w = WORDS[lang];

  it("a macro fills the reply; the customer receives the rendered text and the ticket waits for them", async (ctx) => {
    const agent = await journeySession(h, ctx, DEMO.tier1, lang);
    const customer = await journeySession(h, ctx, DEMO.customer);
    const me = await customer.api.get<{ name: string }>("/me");
    const first = me.name.split(" ")[0]!;
    const t = await ticket(agent, unique(lang === "id" ? "Galat saat login" : "Error at sign-in"), lang);

    await agent.page.goto(`/app/tickets/${t.id}`);
    await agent.page.getByRole("heading", { level: 1, name: new RegExp(t.subject) }).waitFor();
    await agent.page
      .getByLabel(w.macro, { exact: true })
      .selectOption({ label: "Minta info tambahan / Ask for details" });
    const box = agent.page.getByRole("combobox", { name: w.reply });
    await expect.poll(() => box.inputValue()).toContain(`${w.hello} ${first},`);
    const text = await box.inputValue();
    expect(text).toContain(`#${t.number}`);
    expect(text).toContain(w.details);
    expect(text).not.toMatch(/\{\{|\}\}/);
    await box.fill(`${text}\nPS: ${lang}`);
    await agent.page.getByRole("button", { name: w.send }).click();
    // In the conversation (the composer may still hold the text for a moment after sending).
    await agent.page.locator("p.message-body", { hasText: `PS: ${lang}` }).waitFor();
    await screenshot(agent.page, `macro-applied-${lang}`);

    const thread = await customer.api.get<{ items: { body: string }[] }>(`/tickets/${t.id}/messages`);
    expect(thread.items.map((m) => m.body)).toContain(`${text}\nPS: ${lang}`);
    const seen = await customer.api.get<{ status: string }>(`/tickets/${t.id}`);
    expect(seen.status).toBe("pending");
  });

  it("a saved view keeps the list's filters, shows its count live and reopens from the sidebar", async (ctx) => {
    const agent = await journeySession(h, ctx, DEMO.tier1, lang);
    const name = unique(lang === "id" ? "Mendesak semua" : "All urgent");
    const word = unique("view").replace(" ", "");
    const first = await ticket(agent, `${word} 1`, lang, { priority: "urgent" });
    await agent.page.goto(`/app/tickets?queue=all&priority=urgent&q=${word}`);
    await agent.page.getByRole("button", { name: w.saveView }).click();
    await agent.page.getByLabel(w.viewName).fill(name);
    await agent.page.getByRole("button", { name: w.save, exact: true }).click();
    const nav = agent.page.getByRole("list", { name: w.views });
    const link = nav.getByRole("link", { name });
    await link.waitFor();
    const count = link.locator(".nav-count");
    await expect.poll(() => count.innerText()).toBe("1");
    expect(await link.innerText()).toContain(name);

    // A ticket that arrives counts and one that leaves (no longer urgent) does not, without a reload.
    await ticket(agent, `${word} 2`, lang, { priority: "urgent" });
    await expect.poll(() => count.innerText(), { timeout: 20_000 }).toBe("2");
    expect((await link.textContent()) ?? "").toContain(w.tickets(2));
    await agent.api.patch(`/tickets/${first.id}`, { priority: "low" });
    await expect.poll(() => count.innerText(), { timeout: 20_000 }).toBe("1");
    await screenshot(agent.page, `view-count-${lang}`);

    await agent.page.goto("/app/tickets?queue=mine");
    // The console's first load leaves the review page's charts and the editor's Markdown to their pages.
    const loaded = await agent.page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name));
    expect(loaded.some((u) => /\/assets\/vendor-/.test(u))).toBe(true);
    expect(loaded.filter((u) => /\/assets\/(charts|markdown)-/.test(u))).toEqual([]);
    await agent.page.getByRole("list", { name: w.views }).getByRole("link", { name }).click();
    await agent.page.getByRole("heading", { level: 1, name }).waitFor();
    await expect.poll(() => agent.page.getByLabel(w.filterPriority).inputValue()).toBe("urgent");
    expect(new URL(agent.page.url()).searchParams.get("queue")).toBe("all");
    await screenshot(agent.page, `view-reopened-${lang}`);
  });

  it("three tickets and a closed one ticked: the priority changes on three, the closed one is named", async (ctx) => {
    const agent = await journeySession(h, ctx, DEMO.tier1, lang);
    const word = unique("bulk").replace(" ", "");
    const tickets = [];
    for (const i of [1, 2, 3, 4]) tickets.push(await ticket(agent, `${word} ${i}`, lang));
    const closed = tickets[3]!;
    await agent.api.patch(`/tickets/${closed.id}`, { status: "solved", resolution_code: "answered" });
    await agent.api.patch(`/tickets/${closed.id}`, { status: "closed" });

    await agent.page.goto(`/app/tickets?queue=all&q=${word}`);
    for (const t of tickets) await agent.page.getByRole("checkbox", { name: w.select(t.number, t.subject) }).check();
    await agent.page.getByLabel(w.action).selectOption({ label: w.setPriority });
    await agent.page.getByRole("form", { name: /./ }).last().waitFor();
    await agent.page.locator(".bulk-controls select").nth(1).selectOption({ label: w.high });
    await agent.page.getByRole("button", { name: w.apply }).click();
    const result = agent.page.locator(".bulk-result");
    await result.getByText(w.changed).waitFor();
    await result.getByText(w.failed).waitFor();
    await result.getByText(w.closed(closed.number)).waitFor();
    expect(await result.innerText()).not.toMatch(/invalid_transition|not_found|[{}]/);
    await screenshot(agent.page, `bulk-result-${lang}`);

    for (const t of tickets.slice(0, 3))
      expect((await agent.api.get<{ priority: string }>(`/tickets/${t.id}`)).priority).toBe("high");
    expect((await agent.api.get<{ priority: string }>(`/tickets/${closed.id}`)).priority).toBe("medium");
  });
});
