/**
 * Admin screens for what was API-only: an admin creates and edits customer organisations in
 * English and in Indonesian, and a value the server refuses is shown as a sentence under its field.
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

describe("admin screens: organisations", () => {
  it("an admin creates an organisation in English and sees it in the list", async (ctx) => {
    const admin = await journeySession(h, ctx, DEMO.admin, "en");
    const name = unique("PT Maju Bersama");
    await admin.page.goto("/app/admin/tiers");
    await admin.page.getByRole("link", { name: "Organisations" }).click();
    await admin.page.getByRole("heading", { level: 1, name: "Organisations" }).waitFor();
    // The demo's organisations are listed with their domain, segment and sharing in words.
    await admin.page.getByRole("cell", { name: "nusantararetail.co.id" }).waitFor();
    await admin.page.getByRole("button", { name: "Add organisation" }).first().click();
    const dialog = admin.page.getByRole("dialog", { name: "Add organisation" });
    await dialog.getByRole("textbox", { name: "Name" }).fill(name);
    await dialog.getByRole("textbox", { name: "Email domain" }).fill("majubersama.co.id");
    await dialog.getByRole("textbox", { name: "Segment" }).fill("vip");
    await dialog
      .getByRole("checkbox", { name: "Members may see all of the organisation's tickets in the portal" })
      .check();
    await dialog.getByRole("button", { name: "Save" }).click();
    const row = admin.page.getByRole("row", { name: new RegExp(name) });
    await row.getByRole("cell", { name: "majubersama.co.id" }).waitFor();
    await row.getByText("Members see each other's tickets").waitFor();
    const orgs = await admin.api.get<{
      items: { name: string; domain: string; segment: string; shared_tickets: boolean }[];
    }>("/organizations");
    expect(orgs.items.find((o) => o.name === name)).toMatchObject({
      domain: "majubersama.co.id",
      segment: "vip",
      shared_tickets: true,
    });
    await screenshot(admin.page, "admin-organizations-en");

    // The other listed screens share the list: a row's Edit opens its dialog with the row's values.
    for (const [path, heading, rowName, dialogTitle] of [
      ["groups", "Groups & departments", "Billing", "Edit group"],
      ["categories", "Categories", "Pembayaran", "Edit category"],
      ["tiers", "Tiers", "Tier 2 · Technical", "Edit tier"],
    ] as const) {
      await admin.page.goto(`/app/admin/${path}`);
      await admin.page.getByRole("heading", { level: 1 }).waitFor();
      expect(await admin.page.getByRole("heading", { level: 1 }).innerText()).toBe(heading);
      await admin.page.getByRole("button", { name: `Edit ${rowName}`, exact: true }).click();
      const edit = admin.page.getByRole("dialog", { name: dialogTitle });
      expect(await edit.getByRole("textbox", { name: "Name" }).inputValue()).toBe(rowName);
      await edit.getByRole("button", { name: "Cancel" }).click();
      await edit.waitFor({ state: "hidden" });
    }
  });

  it("in Indonesian, edits an organisation and shows a refused segment as a sentence under its field", async (ctx) => {
    const admin = await journeySession(h, ctx, DEMO.admin, "id");
    const name = unique("CV Sumber Rejeki");
    await admin.page.goto("/app/admin/organizations");
    await admin.page.getByRole("heading", { level: 1, name: "Organisasi" }).waitFor();
    await admin.page.getByRole("button", { name: "Tambah organisasi" }).first().click();
    const dialog = admin.page.getByRole("dialog", { name: "Tambah organisasi" });
    await dialog.getByRole("textbox", { name: "Nama" }).fill(name);
    // A segment of more than 40 characters: the server refuses it, nothing is written.
    await dialog.getByRole("textbox", { name: "Segmen" }).fill("x".repeat(41));
    await dialog.getByRole("button", { name: "Simpan" }).click();
    const segment = dialog.getByRole("textbox", { name: "Segmen" });
    await expect.poll(() => segment.getAttribute("aria-invalid")).toBe("true");
    const text = await dialog.innerText();
    expect(text).not.toMatch(/segment\b|[{}]|too_big/);
    let orgs = await admin.api.get<{ items: { id: string; name: string; segment: string | null }[] }>("/organizations");
    expect(orgs.items.some((o) => o.name === name)).toBe(false);

    await segment.fill("smb");
    await dialog.getByRole("button", { name: "Simpan" }).click();
    const row = admin.page.getByRole("row", { name: new RegExp(name) });
    await row.getByText("Setiap anggota hanya melihat tiketnya sendiri").waitFor();
    await row.getByRole("button", { name: /Ubah/ }).click();
    const edit = admin.page.getByRole("dialog", { name: "Ubah organisasi" });
    await edit.getByRole("textbox", { name: "Domain email" }).fill("sumberrejeki.id");
    await edit.getByRole("button", { name: "Simpan" }).click();
    await row.getByRole("cell", { name: "sumberrejeki.id" }).waitFor();
    orgs = await admin.api.get("/organizations");
    expect(orgs.items.find((o) => o.name === name)).toMatchObject({ segment: "smb" });
    await screenshot(admin.page, "admin-organizations-id");
  });
});

describe("admin screens: integrations", () => {
  it("an admin adds an integration in English and is shown its signing secret once, with how to use it", async (ctx) => {
    const admin = await journeySession(h, ctx, DEMO.admin, "en");
    const name = unique("Jira Engineering");
    await admin.page.goto("/app/admin/tiers");
    await admin.page.getByRole("link", { name: "Integrations" }).click();
    await admin.page.getByRole("heading", { level: 1, name: "Integrations" }).waitFor();
    await admin.page.getByRole("button", { name: "Add integration" }).first().click();
    const dialog = admin.page.getByRole("dialog", { name: "Add integration" });
    await dialog.getByRole("textbox", { name: "Name" }).fill(name);
    await dialog.getByRole("button", { name: "Save" }).click();
    await admin.page.getByText(`${name} was added. Copy its signing secret now: it is shown only this once.`).waitFor();
    expect(await admin.page.getByLabel("Signing secret").innerText()).toMatch(/^whsec_/);
    await admin.page
      .getByRole("row", { name: new RegExp(name) })
      .getByText("Accepting signed calls")
      .waitFor();
    await screenshot(admin.page, "admin-integrations-en");
  });

  it("in Indonesian, a name already taken is refused with a sentence under the field and nothing added", async (ctx) => {
    const admin = await journeySession(h, ctx, DEMO.admin, "id");
    const name = unique("GitLab Produk");
    await admin.api.post("/integrations", { name });
    await admin.page.goto("/app/admin/integrations");
    await admin.page.getByRole("heading", { level: 1, name: "Integrasi" }).waitFor();
    await admin.page.getByRole("button", { name: "Tambah integrasi" }).first().click();
    const dialog = admin.page.getByRole("dialog", { name: "Tambah integrasi" });
    const field = dialog.getByRole("textbox", { name: "Nama" });
    await field.fill(name);
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
    const said = await dialog.innerText();
    expect(said, said).not.toMatch(/\btaken\b|[{}]/);
    const list = await admin.api.get<{ items: { name: string }[] }>("/integrations");
    expect(list.items.filter((i) => i.name === name)).toHaveLength(1);
  });
});
