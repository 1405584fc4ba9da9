/**
 * A mention in a real browser: tier 1 writes an internal note naming a tier-3 colleague through
 * the composer's suggestions; the colleague's bell has it as a sentence in their language, and the
 * same notification reads in English once they switch. The API half is in
 * packages/server/test/mentions.int.test.ts, the wording of every kind in event-text.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, journeySession, screenshot, startHarness, unique, type Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe("mentions", () => {
  it("@name in an internal note notifies that agent, in Indonesian and then in English", async (ctx) => {
    const writer = await journeySession(h, ctx, DEMO.tier1, "id");
    const mentioned = await journeySession(h, ctx, DEMO.tier3, "id");
    const me = await writer.api.get<{ name: string }>("/me");
    const them = await mentioned.api.get<{ name: string }>("/me");
    const subject = unique("Printer kantor mati");
    const ticket = await writer.api.post<{ id: string; number: number }>("/tickets", {
      subject,
      description: "Printer lantai 3 tidak menyala.",
      requester: { email: DEMO.customer },
    });

    await writer.page.goto(`/app/tickets/${ticket.id}`);
    await writer.page.getByRole("heading", { level: 1, name: new RegExp(subject) }).waitFor();
    await writer.page.getByRole("radio", { name: "Catatan internal" }).check();
    const box = writer.page.getByRole("combobox", { name: "Catatan internal (hanya agen)" });
    await box.fill("Tolong dicek ");
    await box.pressSequentially(`@${them.name.slice(0, 3)}`);
    await writer.page
      .getByRole("listbox", { name: "Staf yang dapat disebut" })
      .getByRole("option", { name: them.name })
      .click();
    await box.pressSequentially("ya, sepertinya masalah listrik.");
    await writer.page.getByRole("button", { name: "Tambah catatan" }).click();
    await writer.page.getByText("ya, sepertinya masalah listrik.").waitFor();
    await writer.page.getByRole("tab", { name: "Linimasa" }).click();
    await writer.page.getByText(`Catatan internal ditambahkan. Menyebut: ${them.name}.`).waitFor();

    const bell = mentioned.page.getByRole("button", { name: /^Notifikasi, \d+ belum dibaca$/ });
    await mentioned.page.goto("/app/tickets?queue=mine");
    await bell.click();
    const panel = mentioned.page.getByRole("region", { name: "Notifikasi" });
    await panel.getByRole("link", { name: `#${ticket.number} ${subject}` }).waitFor();
    await panel.getByText(`${me.name} menyebut Anda dalam catatan internal.`).waitFor();
    await screenshot(mentioned.page, "mention-notified-id");

    await mentioned.api.patch("/me", { language: "en" });
    await mentioned.page.reload();
    await mentioned.page.getByRole("button", { name: /^Notifications, \d+ unread$/ }).click();
    const panelEn = mentioned.page.getByRole("region", { name: "Notifications" });
    await panelEn.getByText(`${me.name} mentioned you in an internal note.`).waitFor();
    expect(await panelEn.innerText()).not.toMatch(/[{}]|\bmention\b|sla\.|ticket\./);
  });
});
