/**
 * Issue 20 §5 in a real browser: the web app and the API reference work under the Content
 * Security Policy (no violation reported), and an admin reads the audit log as sentences in
 * English and Indonesian. And the staff app's own address (`/app`, as people type it) opens it.
 */
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import type { Page } from "playwright-core";
import { DEMO, journeySession, screenshot, startHarness, unique, type Harness, type Session } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const session = (ctx: TestContext, email: string, language: "id" | "en"): Promise<Session> =>
  journeySession(h, ctx, email, language);

/** Every CSP violation the page reports, as Chromium logs them. */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

describe("under the Content Security Policy", () => {
  it("the API reference (swagger-ui) renders its operations", async (ctx) => {
    const { page } = await session(ctx, DEMO.admin, "en");
    const violations = cspViolations(page);
    const res = await page.goto("/api/docs/");
    expect(res?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    // swagger-ui draws a long operation list virtualised (only what is in view), so wait for the first
    // operations rather than one far down the document.
    await page.getByText("/api/v1/auth/login").first().waitFor();
    await page.getByText("/api/v1/tickets").first().waitFor();
    await screenshot(page, "api-docs-under-csp");
    expect(violations).toEqual([]);
  });
});

describe("the staff app's address", () => {
  it("/app and /app/ open the agent's tickets (the server served a 404 there)", async (ctx) => {
    const { page } = await session(ctx, DEMO.tier1, "en");
    for (const path of ["/app", "/app/"]) {
      const res = await page.goto(path);
      expect(res?.status()).toBe(200);
      await page.waitForURL(/\/app\/tickets\?queue=mine/);
    }
  });
});

/** What must never show in the audit log: JSON, secrets, raw event names, action types, field keys or paths. */
const RAW =
  /[{}]|"enabled"|token_hash|whsec_|sentiment\.negative|set_priority|add_tag|first_response|definition|\w_\w+:|›/;

describe("the audit log", () => {
  it("an admin reads who changed a rule and an SLA policy as sentences, in English and in Indonesian", async (ctx) => {
    const { page, api } = await session(ctx, DEMO.admin, "en");
    const violations = cspViolations(page);
    const me = await api.get<{ name: string }>("/me");
    const rules = await api.get<{ items: { id: string; name: string; enabled: boolean }[] }>("/escalation-rules");
    const rule = rules.items.find((r) => r.enabled)!;
    await api.patch(`/escalation-rules/${rule.id}`, { enabled: false });
    const upset = await api.post<{ id: string; name: string }>("/escalation-rules", {
      name: unique("Upset customers"),
      event: "sentiment.negative",
      conditions: { all: [{ field: "priority", op: "in", value: ["low", "medium"] }] },
      actions: [{ type: "set_priority", priority: "high" }],
    });
    await api.patch(`/escalation-rules/${upset.id}`, {
      actions: [
        { type: "set_priority", priority: "high" },
        { type: "add_tag", tag: "sentimen-negatif" },
      ],
    });
    const policies = await api.get<{ items: { id: string; name: string; targets: Record<string, object> }[] }>(
      "/sla-policies",
    );
    const policy = policies.items.find((p) => p.targets.medium)!;
    await api.patch(`/sla-policies/${policy.id}`, {
      targets: { ...policy.targets, medium: { ...policy.targets.medium, first_response: 17 } },
    });
    const calendars = await api.get<{
      items: { id: string; name: string; definition: { weekly?: Record<string, unknown> } }[];
    }>("/calendars");
    const calendar = calendars.items.find((c) => c.definition.weekly?.mon)!;
    await api.patch(`/calendars/${calendar.id}`, {
      definition: { ...calendar.definition, always_open: false, weekly: { mon: [["09:00", "17:00"]] } },
    });
    const desk = await api.post<{ name: string }>("/groups", { name: unique("Refunds desk"), kind: "department" });

    await page.goto("/app/admin/tiers");
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.getByRole("heading", { level: 1, name: "Audit log" }).waitFor();
    const entry = page.getByRole("listitem").filter({ hasText: `${me.name} changed the rule “${rule.name}”` });
    await entry.first().waitFor();
    await expect(entry.first().textContent()).resolves.toContain("enabled: yes → no");
    const created = page.getByRole("listitem").filter({ hasText: `${me.name} created the rule “${upset.name}”` });
    await expect(created.first().textContent()).resolves.toContain("event: The customer sounds upset");
    await expect(created.first().textContent()).resolves.toContain("conditions: priority is low or medium");
    const changed = page.getByRole("listitem").filter({ hasText: `${me.name} changed the rule “${upset.name}”` });
    await expect(changed.locator(".audit-changes li").allTextContents()).resolves.toEqual([
      "actions: set priority to high → set priority to high; add tag “sentimen-negatif”",
    ]);
    const sla = page.getByRole("listitem").filter({ hasText: `${me.name} changed the SLA policy “${policy.name}”` });
    // Only the priority that changed, in words and business time.
    await expect(sla.locator(".audit-changes li").allTextContents()).resolves.toEqual([
      expect.stringMatching(/^targets: Medium: first response 1h 00m, [^;]+ → Medium: first response 17m, [^;]+$/),
    ]);
    const cal = page.getByRole("listitem").filter({ hasText: `${me.name} changed the calendar “${calendar.name}”` });
    await expect(cal.locator(".audit-changes li").allTextContents()).resolves.toEqual([
      expect.stringMatching(/^weekly hours: Monday: [^→]+→ Monday: 09:00–17:00; Tuesday: closed/),
    ]);
    const group = page.getByRole("listitem").filter({ hasText: `${me.name} created the group “${desk.name}”` });
    await expect(group.first().textContent()).resolves.toContain("kind: Department");
    expect(await page.locator(".audit-log").textContent()).not.toMatch(RAW);
    await screenshot(page, "admin-audit-log-en");

    await api.patch("/me", { language: "id" });
    await page.reload();
    const id = page.getByRole("listitem").filter({ hasText: `${me.name} mengubah aturan “${rule.name}”` });
    await id.first().waitFor();
    await expect(id.first().textContent()).resolves.toContain("aktif: ya → tidak");
    const dibuat = page.getByRole("listitem").filter({ hasText: `${me.name} membuat aturan “${upset.name}”` });
    await expect(dibuat.first().textContent()).resolves.toContain("peristiwa: Pelanggan terdengar kesal");
    await expect(dibuat.first().textContent()).resolves.toContain("kondisi: prioritas adalah rendah atau sedang");
    const diubah = page.getByRole("listitem").filter({ hasText: `${me.name} mengubah aturan “${upset.name}”` });
    await expect(diubah.locator(".audit-changes li").allTextContents()).resolves.toEqual([
      "tindakan: ubah prioritas menjadi tinggi → ubah prioritas menjadi tinggi; tambah tag “sentimen-negatif”",
    ]);
    expect(await page.locator(".audit-log").textContent()).not.toMatch(RAW);
    await screenshot(page, "admin-audit-log-id");
    expect(violations).toEqual([]);
  });
});
