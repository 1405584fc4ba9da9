/**
 * Collaborators and engineering links in a real browser: tier 1 (in Indonesian) adds a tier-3
 * colleague as a collaborator and links an engineering issue from the ticket view (a bad URL is
 * refused with a sentence beside the field); the colleague (in English) is told by the bell, sees
 * the ticket, the link and themself among the collaborators, and stops following; tier 1 removes
 * the link. The API half is in packages/server/test/tickets/collaborators.int.test.ts.
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

describe("collaborators and engineering links", () => {
  it("an agent adds a collaborator and a link; the collaborator is notified, sees both, and removing works", async (ctx) => {
    const agent = await journeySession(h, ctx, DEMO.tier1, "id");
    const follower = await journeySession(h, ctx, DEMO.tier3, "en");
    const me = await agent.api.get<{ name: string }>("/me");
    const them = await follower.api.get<{ id: string; name: string }>("/me");
    const subject = unique("VPN kantor putus");
    const key = `ENG-${Math.floor(Math.random() * 1e6)}`;
    const ticket = await agent.api.post<{ id: string; number: number }>("/tickets", {
      subject,
      description: "VPN putus setiap 10 menit sejak pagi.",
      requester: { email: DEMO.customer },
    });

    // Tier 1, in Indonesian: add the colleague by name.
    const page = agent.page;
    await page.goto(`/app/tickets/${ticket.id}`);
    await page.getByRole("heading", { level: 1, name: new RegExp(subject) }).waitFor();
    const people = page.getByRole("region", { name: "Kolaborator" });
    await people.getByText("Belum ada yang mengikuti tiket ini.").waitFor();
    await people.getByLabel("Tambah kolaborator").selectOption({ label: them.name });
    await people.getByRole("button", { name: "Tambah", exact: true }).click();
    await people.getByRole("list", { name: "Kolaborator" }).getByText(them.name).waitFor();

    // A link with a bad URL is refused beside the field, in Indonesian; nothing is linked.
    const links = page.getByRole("region", { name: "Tautan engineering" });
    await links.getByLabel("URL isu").fill("bukan-url");
    await links.getByLabel("Kode isu").fill(key);
    await links.getByRole("button", { name: "Tautkan isu" }).click();
    await links.getByText("Masukkan URL yang valid (https://…).").waitFor();
    await links.getByText("Belum ada isu engineering yang ditautkan.").waitFor();
    await links.getByLabel("URL isu").fill(`https://issues.example.com/browse/${key}`);
    await links.getByLabel("Judul (opsional)").fill("VPN gateway memutus sesi");
    await links.getByRole("button", { name: "Tautkan isu" }).click();
    await links.getByRole("link", { name: key }).waitFor();
    await links.getByText("Belum ada status dari pelacak", { exact: false }).waitFor();
    expect(await links.getByRole("link", { name: key }).getAttribute("href")).toBe(
      `https://issues.example.com/browse/${key}`,
    );
    await page.getByRole("tab", { name: "Linimasa" }).click();
    await page.getByText(`Kolaborator ditambahkan: ${them.name}`).waitFor();
    await screenshot(page, "collaborators-agent-id");

    // The colleague, in English: the bell says who added them; the ticket shows the link and them.
    const f = follower.page;
    await f.goto("/app/tickets?queue=mine");
    await f.getByRole("button", { name: /^Notifications, \d+ unread$/ }).click();
    const panel = f.getByRole("region", { name: "Notifications" });
    await panel.getByText(`${me.name} added you as a collaborator on this ticket.`).waitFor();
    expect(await panel.innerText()).not.toMatch(/[{}]|collaborator\.|collab\./);
    await panel.getByRole("link", { name: `#${ticket.number} ${subject}` }).click();
    await f.getByRole("heading", { level: 1, name: new RegExp(subject) }).waitFor();
    const theirLinks = f.getByRole("region", { name: "Engineering links" });
    await theirLinks.getByRole("link", { name: key }).waitFor();
    await theirLinks.getByText("VPN gateway memutus sesi", { exact: false }).waitFor();
    const theirPeople = f.getByRole("region", { name: "Collaborators" });
    await theirPeople.getByRole("list", { name: "Collaborators" }).getByText(them.name).waitFor();
    await screenshot(f, "collaborators-follower-en");

    // Removing: the colleague stops following; tier 1 removes the link.
    await theirPeople.getByRole("button", { name: "Stop following" }).click();
    await theirPeople.getByText("Nobody follows this ticket yet.").waitFor();
    await page.reload();
    await links.getByRole("button", { name: `Hapus tautan ${key}` }).click();
    await links.getByText("Belum ada isu engineering yang ditautkan.").waitFor();
    const after = await agent.api.get<{ collaborator_ids: string[] }>(`/tickets/${ticket.id}`);
    expect(after.collaborator_ids).toEqual([]);
    expect((await agent.api.get<{ items: unknown[] }>(`/tickets/${ticket.id}/links`)).items).toEqual([]);
  });
});
