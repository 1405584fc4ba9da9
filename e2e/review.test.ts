/**
 * The escalation review in a real browser (issue 17): a supervisor picks last month, reads the
 * escalation rate by category and the escalations by reason, lists the tickets behind a figure,
 * opens a recurring problem down to its tickets, makes it a problem, marks it fixed (the linked
 * customers are told), and downloads the same report as CSV; in English and in Indonesian, with no
 * raw code on the screen.
 *
 * Last month's tickets cannot be made through the API (it writes "now"), so this journey runs its
 * server on PostgreSQL — a database of its own, dropped at the end — and moves the tickets it made,
 * and their escalation records, into the middle of last month with SQL.
 */
import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import {
  DEMO,
  journeySession,
  openSession,
  closeSession,
  screenshot,
  startHarness,
  unique,
  type Api,
  type Harness,
  type Session,
} from "./harness.ts";

const PG_SERVER = process.env.ESKALA_E2E_PG ?? "postgres://postgres@127.0.0.1:5432";
const DB_NAME = `eskala_e2e_review_${process.pid}_${Date.now().toString(36)}`;

let h: Harness;
let db: pg.Client;
let seeded: Seeded;

type Ticket = { id: string; number: number; subject: string };
type Seeded = {
  category: { id: string; name: string };
  tickets: Ticket[];
  similar: Ticket[];
  lastMonth: { from: string; to: string };
};

async function admin<T>(sqlText: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
  await c.connect();
  try {
    return (await c.query(sqlText)).rows as T[];
  } finally {
    await c.end();
  }
}

/** Last month's first and last day in Jakarta, and an instant in its middle (the 12th, 10:00 WIB). */
function lastMonthInJakarta(now = new Date()) {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(now);
  const [y, m] = today.split("-").map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 2, 1));
  const last = new Date(Date.UTC(y, m - 1, 0));
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return { from: day(first), to: day(last), middle: new Date(Date.UTC(y, m - 2, 12, 3, 0)) };
}

/**
 * Five tickets in a category of their own: four alike (a top-up that never reached the wallet),
 * three escalated for a missing skill and one as too complex, and one unrelated that stays in
 * tier 1. So last month: 5 created, 4 escalated (80 %), missing skill 3, too complex 1.
 */
async function seed(api: Api): Promise<Seeded> {
  const category = await api.post<{ id: string; name: string }>("/categories", { name: unique("Dompet digital") });
  const alike = [
    "Saldo dompet digital tidak bertambah setelah isi ulang lewat transfer bank",
    "Saldo dompet digital belum bertambah setelah isi ulang lewat transfer bank",
    "Saldo dompet digital tidak bertambah sesudah isi ulang lewat transfer bank",
    "Saldo dompet digital tidak bertambah setelah isi ulang via transfer bank",
  ];
  const reasons = ["missing_skill", "missing_skill", "missing_skill", "too_complex"] as const;
  const tag = unique("r").replace(/\W/g, "").toLowerCase();
  const make = (subject: string, description: string, i: number) =>
    api.post<Ticket>("/tickets", {
      subject,
      description,
      requester: { email: `review-${tag}-${i}@example.com`, name: `Pelanggan ${i}`, language: i % 2 ? "en" : "id" },
      category: category.id,
      priority: "medium",
      channel: "web",
    });
  const similar: Ticket[] = [];
  for (const [i, subject] of alike.entries()) {
    similar.push(
      await make(subject, `${subject}. Uang sudah terpotong dari rekening tetapi saldo dompet digital tetap sama.`, i),
    );
  }
  const other = await make(
    "Jam buka kantor cabang Bandung",
    "Kantor cabang Bandung buka jam berapa pada hari Sabtu?",
    9,
  );
  for (const [i, t] of similar.entries()) {
    await api.post(`/tickets/${t.id}/escalations`, {
      to: { tier: "next" },
      reason: reasons[i],
      note: "Sudah dicek mutasi rekening; perlu tim pembayaran.",
    });
  }
  // Into last month: each ticket an hour after the last, each escalation half an hour after its ticket.
  const { from, to, middle } = lastMonthInJakarta();
  const tickets = [...similar, other];
  for (const [i, t] of tickets.entries()) {
    const at = new Date(middle.getTime() + i * 3_600_000);
    await db.query("update tickets set created_at = $2 where id = $1", [t.id, at]);
    await db.query("update escalations set created_at = $2 where ticket_id = $1", [
      t.id,
      new Date(at.getTime() + 1_800_000),
    ]);
  }
  return { category, tickets, similar, lastMonth: { from, to } };
}

beforeAll(async () => {
  await admin(`create database ${DB_NAME}`);
  const url = `${PG_SERVER}/${DB_NAME}`;
  // Seeding the demo on a fresh PostgreSQL database takes longer than on the embedded one.
  h = await startHarness({ env: { DATABASE_URL: url }, readyTimeoutMs: 420_000 });
  db = new pg.Client({ connectionString: url });
  await db.connect();
  const s = await openSession(h, DEMO.admin);
  try {
    seeded = await seed(s.api);
  } finally {
    await closeSession(s, "review-seed", false);
  }
}, 600_000);

afterAll(async () => {
  await db?.end().catch(() => undefined);
  await h?.stop();
  await admin(`drop database if exists ${DB_NAME} with (force)`).catch(() => undefined);
});

const session = (ctx: TestContext, email: string, language: "id" | "en"): Promise<Session> =>
  journeySession(h, ctx, email, language);

/** A card of the page, found by its heading. */
const card = (s: Session, title: string | RegExp) =>
  s.page.locator("section.review-card", { has: s.page.getByRole("heading", { level: 2, name: title }) });

/** The cells of a report table's row, trimmed. */
async function cells(s: Session, title: string | RegExp, key: string): Promise<string[]> {
  const row = card(s, title).locator(`tr[data-key="${key}"]`);
  await row.waitFor();
  return (await row.locator("td").allInnerTexts()).map((x) => x.trim());
}

/** Words like `missing_skill` or `sla_timer` are codes, not sentences: none may show. */
async function expectNoRawCodes(s: Session): Promise<void> {
  const text = await s.page.locator("main").innerText();
  expect(text.match(/\b[a-z]+(?:_[a-z]+)+\b/g) ?? []).toEqual([]);
  expect(text).not.toMatch(/review\.|\{\{/);
}

describe("escalation review", () => {
  it("a supervisor reads last month's escalations by category and reason, drills down, makes a recurring group a problem, fixes it, and downloads the CSV", async (ctx) => {
    const s = await session(ctx, DEMO.supervisor, "en");
    const { page } = s;
    const { category, similar } = seeded;
    await page.goto("/app/tickets?queue=mine");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Escalation review" }).click();
    await page.getByRole("heading", { level: 1, name: "Escalation review" }).waitFor();
    await page.getByLabel("Period", { exact: true }).selectOption("last_month");
    await page.getByLabel("Category", { exact: true }).selectOption({ label: category.name });
    // The period and filters are in the address (a shared link shows the same figures).
    const wanted = `from=${seeded.lastMonth.from}&to=${seeded.lastMonth.to}&category_id=${category.id}`;
    await expect.poll(() => page.url(), { timeout: 20_000 }).toContain(wanted);

    // The rate by category: 5 created, 4 escalated, 80 %; by reason: missing skill 3, too complex 1.
    expect(await cells(s, "Escalation rate by category", category.id)).toEqual(["5", "4", "80.0%", ""]);
    // None the month before: each reason is "up" by all of its escalations.
    expect(await cells(s, "Escalations by reason", "missing_skill")).toEqual(["3", "▲ 3", "3"]);
    expect(await cells(s, "Escalations by reason", "too_complex")).toEqual(["1", "▲ 1", "1"]);
    const reasonRows = await card(s, "Escalations by reason").locator("tbody th").allInnerTexts();
    expect(reasonRows).toEqual(["Missing skill", "Too complex"]);
    const headline = page.locator(".headline", { hasText: "Escalation rate" });
    expect((await headline.locator(".headline-value").innerText()).trim()).toBe("80.0%");

    // The 4 escalated tickets behind the figure.
    await card(s, "Escalation rate by category")
      .locator(`tr[data-key="${category.id}"]`)
      .getByRole("button", { name: /^4: show the tickets/ })
      .click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("link").first().waitFor();
    const listed = await dialog.getByRole("link").allInnerTexts();
    expect(listed.map((x) => Number(/^#(\d+)/.exec(x)?.[1])).sort()).toEqual(similar.map((t) => t.number).sort());
    await expectNoRawCodes(s);
    await dialog.getByRole("button", { name: "Close" }).click();

    // The recurring group of the four alike tickets, down to its tickets.
    const recurring = card(s, "Recurring problems");
    const group = recurring.locator("li", { hasText: "4 similar tickets" });
    await group.waitFor();
    await group.getByRole("button", { name: "Show the 4 tickets" }).click();
    const groupLinks = await group.getByRole("link").allInnerTexts();
    expect(groupLinks.map((x) => Number(/^#(\d+)/.exec(x)?.[1])).sort()).toEqual(similar.map((t) => t.number).sort());
    await screenshot(page, "review-en");
    await expectNoRawCodes(s);

    // Made a problem in one click, with the four tickets linked.
    await group.getByRole("button", { name: "Make it a problem" }).click();
    const made = group.getByRole("status");
    await made.waitFor();
    expect(await made.innerText()).toMatch(/^Problem #\d+ created with 4 linked tickets\./);
    const href = await group.getByRole("link", { name: "Open the problem" }).getAttribute("href");
    const problemId = /\/problems\/([^/?#]+)/.exec(href ?? "")?.[1];
    expect(problemId).toBeTruthy();

    // The same report as CSV: a header row, the category's row with the same numbers.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      card(s, "Escalation rate by category")
        .getByRole("link", { name: /^Download CSV/ })
        .click(),
    ]);
    const csv = await readFile((await download.path())!, "utf8");
    const rows = parse(csv, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];
    const row = rows.find((r) => r["Category"] === category.name);
    expect(row).toMatchObject({ "Category id": category.id, Created: "5", Escalated: "4" });
    expect(Number(row!["Escalation rate"])).toBeCloseTo(0.8);
    expect(rows.at(-1)).toMatchObject({ Created: "5", Escalated: "4" });

    // Marked fixed on the problem's page: each linked customer is told once.
    await group.getByRole("link", { name: "Open the problem" }).click();
    await page.getByRole("heading", { level: 1, name: /Saldo dompet digital/ }).waitFor();
    await page.getByRole("combobox", { name: "Status" }).selectOption("fixed");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { level: 1 }).getByText("Fixed").waitFor();
    const problem = await s.api.get<{ status: string; tickets: { id: string; notified: boolean }[] }>(
      `/problems/${problemId}`,
    );
    expect(problem.status).toBe("fixed");
    expect(problem.tickets.map((t) => t.id).sort()).toEqual(similar.map((t) => t.id).sort());
    expect(problem.tickets.every((t) => t.notified)).toBe(true);
  });

  it("reads the same figures in Indonesian, every code as words", async (ctx) => {
    const s = await session(ctx, DEMO.supervisor, "id");
    const { page } = s;
    const { category, lastMonth } = seeded;
    await page.goto(`/app/review?from=${lastMonth.from}&to=${lastMonth.to}&category_id=${category.id}`);
    await page.getByRole("heading", { level: 1, name: "Evaluasi eskalasi" }).waitFor();
    expect(await page.getByLabel("Periode", { exact: true }).inputValue()).toBe("last_month");
    expect(await cells(s, "Tingkat eskalasi menurut kategori", category.id)).toEqual(["5", "4", "80,0%", ""]);
    expect(await cells(s, "Eskalasi menurut alasan", "missing_skill")).toEqual(["3", "▲ 3", "3"]);
    expect(await card(s, "Eskalasi menurut alasan").locator("tbody th").allInnerTexts()).toEqual([
      "Keahlian kurang",
      "Terlalu rumit",
    ]);
    // Other dimensions are words too: by trigger.
    const counts = card(s, "Eskalasi menurut alasan");
    await counts.getByLabel("Menurut").selectOption("trigger");
    expect(await cells(s, "Eskalasi menurut pemicu", "agent")).toEqual(["4", "▲ 4", "4"]);
    expect(await card(s, "Eskalasi menurut pemicu").locator("tbody th").allInnerTexts()).toEqual(["Oleh agen"]);
    await card(s, "Masalah berulang").locator("li", { hasText: "4 tiket serupa" }).waitFor();
    await card(s, "Pencapaian SLA per target dan prioritas").locator("table, .empty").first().waitFor();
    await screenshot(page, "review-id");
    await expectNoRawCodes(s);
  });
});
