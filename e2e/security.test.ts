/**
 * Issue 20 §5 in a real browser: the web app and the API reference work under the Content
 * Security Policy (no violation reported), and an admin reads the audit log as sentences in
 * English and Indonesian.
 */
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import type { Page } from "playwright-core";
import { DEMO, closeSession, openSession, screenshot, startHarness, type Harness, type Session } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function session(ctx: TestContext, email: string, language: "id" | "en"): Promise<Session> {
  const s = await openSession(h, email);
  s.context.setDefaultTimeout(20_000);
  await s.api.patch("/me", { language });
  ctx.onTestFinished(() =>
    closeSession(s, ctx.task.name.replace(/\W+/g, "-").slice(0, 60), ctx.task.result?.state === "fail"),
  );
  return s;
}

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
    await page.getByText("/api/v1/audit-log").first().waitFor();
    await screenshot(page, "api-docs-under-csp");
    expect(violations).toEqual([]);
  });
});

describe("the audit log", () => {
  it("an admin reads who switched a rule off, in English and in Indonesian", async (ctx) => {
    const { page, api } = await session(ctx, DEMO.admin, "en");
    const violations = cspViolations(page);
    const me = await api.get<{ name: string }>("/me");
    const rules = await api.get<{ items: { id: string; name: string; enabled: boolean }[] }>("/escalation-rules");
    const rule = rules.items.find((r) => r.enabled)!;
    await api.patch(`/escalation-rules/${rule.id}`, { enabled: false });

    await page.goto("/app/admin/tiers");
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.getByRole("heading", { level: 1, name: "Audit log" }).waitFor();
    const entry = page.getByRole("listitem").filter({ hasText: `${me.name} changed the rule “${rule.name}”` });
    await entry.first().waitFor();
    await expect(entry.first().textContent()).resolves.toContain("enabled: yes → no");
    expect(await page.locator(".audit-log").textContent()).not.toMatch(/[{}]|"enabled"|token_hash|whsec_/);
    await screenshot(page, "admin-audit-log-en");

    await api.patch("/me", { language: "id" });
    await page.reload();
    const id = page.getByRole("listitem").filter({ hasText: `${me.name} mengubah aturan “${rule.name}”` });
    await id.first().waitFor();
    await expect(id.first().textContent()).resolves.toContain("aktif: ya → tidak");
    await screenshot(page, "admin-audit-log-id");
    expect(violations).toEqual([]);
  });
});
