import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportData, ExportError } from "../../src/transfer/export.ts";
import { TRANSFER_FILES, TransferManifest, type TransferKind } from "../../src/transfer/format.ts";
import { seedBulkTickets } from "../../src/seed/bulk.ts";
import { startProgress } from "../../src/lib/progress.ts";
import { startTestApp, type TestApp } from "../harness.ts";

const BIN = fileURLToPath(new URL("../../bin/eskala.js", import.meta.url));
const b64 = (s: string) => Buffer.from(s).toString("base64");
const SECRET_NOTE = "RAHASIA-INTERNAL: pelanggan ini sering komplain";

let t: TestApp;
const root = mkdtempSync(join(tmpdir(), "eskala-export-"));
let n = 0;
const outDir = () => join(root, `out-${++n}`);
let ticketA: { id: string; number: number };
let ticketB: { id: string; number: number };
let progressText = "";

function readLines(dir: string, kind: TransferKind): Record<string, unknown>[] {
  const path = join(dir, `${kind}.jsonl`);
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Record<string, any>;
const allText = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), "utf8"))
    .join("\n");

beforeAll(async () => {
  t = await startTestApp();
  ticketA = await t.createTicket({
    subject: "Tagihan ganda bulan ini",
    attachments: [{ filename: "struk pembayaran.txt", content_type: "text/plain", content_base64: b64("struk 123") }],
  });
  const agent = t.people.agent1.token;
  const reply = await t.inject("POST", `/api/v1/tickets/${ticketA.id}/messages`, {
    token: agent,
    body: {
      body: "Kami sedang memeriksa tagihan Anda",
      attachments: [
        { filename: "panduan.pdf", content_type: "application/pdf", content_base64: b64("%PDF-1 panduan") },
      ],
    },
  });
  expect(reply.status).toBe(201);
  const note = await t.inject("POST", `/api/v1/tickets/${ticketA.id}/messages`, {
    token: agent,
    body: {
      body: SECRET_NOTE,
      kind: "note",
      attachments: [{ filename: "internal-log.txt", content_type: "text/plain", content_base64: b64("log rahasia") }],
    },
  });
  expect(note.status).toBe(201);
  await t.db
    .insertInto("csat_surveys")
    .values({
      ticket_id: ticketA.id,
      requester_id: t.people.customer.id,
      solved_at: new Date(),
      solved_tier: 1,
      escalated: false,
      expires_at: new Date(Date.now() + 86_400_000),
      rating: 5,
      comment: "Cepat sekali",
      rated_at: new Date(),
      created_at: new Date(),
    })
    .execute();
  ticketB = await t.createTicket({ subject: "Paket belum sampai" }, t.people.otherCustomer);
  await t.db
    .updateTable("tickets")
    .set({ created_at: new Date("2025-01-10T03:00:00Z") })
    .where("id", "=", ticketB.id)
    .execute();

  // Bulk tickets, with the progress a command shows when not on a terminal.
  const stream = { isTTY: false, write: (c: string) => void (progressText += c) };
  const bar = startProgress("seed", { total: 3000, unit: "tickets", stream, intervalMs: 0 });
  await seedBulkTickets(t.db, 3000, { batch: 1000, onProgress: (d) => bar.update(d) });
  bar.finish();
});
afterAll(async () => {
  await t?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("bulk seeding's progress off a terminal", () => {
  it("shows a line per batch with rate and time left, and a summary", () => {
    const lines = progressText.trim().split("\n");
    expect(lines[0]).toMatch(/^seed: 1000\/3000 tickets, \d+\/s, about \d+ (s|min) left$/);
    expect(lines[1]).toMatch(/^seed: 2000\/3000 tickets, \d+\/s/);
    expect(lines.at(-1)).toMatch(/^seed: 3000 tickets in \d+\.\d s \(\d+\/s\)$/);
  });
});

describe("eskala export", () => {
  it("writes everything: a manifest whose counts match the database, lines in the format, the attachments", async () => {
    const dir = outDir();
    const seen: number[] = [];
    let total = 0;
    const result = await exportData(t.db, {
      out: dir,
      batch: 700,
      onTotal: (n) => (total = n),
      onProgress: (d) => seen.push(d),
    });
    const manifest = TransferManifest.parse(manifestOf(dir));
    expect(manifest.filters).toBeNull();
    const tables = {
      tickets: "tickets",
      messages: "messages",
      users: "users",
      groups: "groups",
      organizations: "organizations",
      categories: "categories",
      escalations: "escalations",
    } as const;
    for (const [kind, table] of Object.entries(tables)) {
      expect(manifest.counts[kind as TransferKind], kind).toBe(await t.count(table));
      const lines = readLines(dir, kind as TransferKind);
      expect(lines, kind).toHaveLength(manifest.counts[kind as TransferKind]!);
      for (const line of lines) TRANSFER_FILES[kind as TransferKind].parse(line);
    }
    expect(manifest.counts.tickets).toBe(3002);
    expect(total).toBe(3002);
    expect(seen.at(-1)).toBe(3002);
    expect(seen.length).toBeGreaterThan(3);
    // Keys are unique: nothing read twice across the batches.
    const keys = readLines(dir, "tickets").map((l) => l.key);
    expect(new Set(keys).size).toBe(3002);

    expect(result.attachments).toBe(3);
    const a = readLines(dir, "tickets").find((l) => l.number === ticketA.number)!;
    expect(a).toMatchObject({
      subject: "Tagihan ganda bulan ini",
      satisfaction: { rating: 5, comment: "Cepat sekali" },
    });
    const own = (a.attachments as { path: string; name: string }[])[0]!;
    expect(own.name).toBe("struk pembayaran.txt");
    expect(readFileSync(join(dir, "attachments", own.path), "utf8")).toBe("struk 123");
    const messages = readLines(dir, "messages").filter((m) => m.ticket_key === a.key);
    expect(messages.map((m) => [m.public, m.body_text])).toEqual([
      [true, "Kami sedang memeriksa tagihan Anda"],
      [false, SECRET_NOTE],
    ]);
    const pdf = (messages[0]!.attachments as { path: string }[])[0]!;
    expect(readFileSync(join(dir, "attachments", pdf.path), "utf8")).toBe("%PDF-1 panduan");
  });

  it("limits to a period of ticket creation and to an organisation", async () => {
    const period = outDir();
    await exportData(t.db, {
      out: period,
      from: new Date("2025-01-01T00:00:00Z"),
      to: new Date("2025-02-01T00:00:00Z"),
    });
    const m = manifestOf(period);
    expect(m.counts.tickets).toBe(1);
    expect(readLines(period, "tickets")[0]).toMatchObject({ number: ticketB.number, subject: "Paket belum sampai" });
    expect(m.filters).toEqual({ from: "2025-01-01T00:00:00.000Z", to: "2025-02-01T00:00:00.000Z" });
    // The people of that period's tickets and the staff; not every customer.
    const emails = readLines(period, "users").map((u) => u.email);
    expect(emails).toContain(t.people.otherCustomer.email);
    expect(emails).toContain(t.people.agent1.email);
    expect(emails).not.toContain(t.people.customer.email);

    const byOrg = outDir();
    await exportData(t.db, { out: byOrg, organization: "acme" });
    const inOrg = await t.db.selectFrom("tickets").select("number").where("organization_id", "=", t.orgId).execute();
    expect(inOrg.length).toBeGreaterThan(0);
    expect(
      readLines(byOrg, "tickets")
        .map((l) => l.number)
        .sort(),
    ).toEqual(inOrg.map((r) => r.number).sort());
    expect(readLines(byOrg, "organizations").map((o) => o.name)).toEqual(["Acme"]);
    const byId = outDir();
    await exportData(t.db, { out: byId, organization: t.orgId });
    expect(manifestOf(byId).counts.tickets).toBe(inOrg.length);
  });

  it("exports one customer's own data alone: public messages, no internal note, no agent-only field", async () => {
    const dir = outDir();
    await exportData(t.db, { out: dir, requester: "Customer@Test.Local" });
    const m = manifestOf(dir);
    expect(m.filters).toMatchObject({ purpose: "access_request" });
    expect(readLines(dir, "users")).toEqual([
      expect.objectContaining({ email: t.people.customer.email, role: "customer" }),
    ]);
    const tickets = readLines(dir, "tickets");
    const own = await t.db
      .selectFrom("tickets")
      .select("number")
      .where("requester_id", "=", t.people.customer.id)
      .execute();
    expect(tickets.map((x) => x.number).sort()).toEqual(own.map((r) => r.number).sort());
    for (const x of tickets) {
      for (const field of [
        "priority",
        "assignee_key",
        "group_key",
        "tags",
        "category_key",
        "sla_policy_key",
        "resolution_code",
      ])
        expect(x, field).not.toHaveProperty(field);
    }
    expect(tickets.find((x) => x.number === ticketA.number)).toMatchObject({ satisfaction: { rating: 5 } });
    const messages = readLines(dir, "messages");
    expect(messages.every((x) => x.public === true)).toBe(true);
    expect(messages.map((x) => x.body_text)).toContain("Kami sedang memeriksa tagihan Anda");
    const text = allText(dir);
    expect(text).not.toContain("RAHASIA-INTERNAL");
    expect(text).not.toContain("log rahasia");
    expect(text).not.toContain(t.people.agent1.email);
    expect(text).toContain("%PDF-1 panduan");
    expect(existsSync(join(dir, "escalations.jsonl"))).toBe(false);
  });

  it("refuses an unknown customer, an unknown organisation and a folder that is not empty", async () => {
    await expect(exportData(t.db, { out: outDir(), requester: "nobody@nowhere.example" })).rejects.toThrow(ExportError);
    await expect(exportData(t.db, { out: outDir(), organization: "No Such Org" })).rejects.toThrow(
      /No organisation is named or numbered "No Such Org"/,
    );
    const dir = outDir();
    await exportData(t.db, { out: dir, requester: t.people.otherCustomer.email });
    await expect(exportData(t.db, { out: dir })).rejects.toThrow(/not empty/);
  });

  it.runIf(process.env.DATABASE_URL)("runs as `eskala export --out DIR` on the database the environment names", () => {
    const dir = outDir();
    const env = { ...process.env, DATABASE_URL: t.databaseUrl!, LOG_LEVEL: "warn", ESKALA_PROGRESS_INTERVAL_MS: "1" };
    const run = spawnSync(process.execPath, [BIN, "export", "--out", dir, "--to", "2025-02-01"], {
      encoding: "utf8",
      env,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Exported 1 ticket, 0 messages, \d+ (people|person) and 0 attachments to /m);
    expect(manifestOf(dir).counts.tickets).toBe(1);
  });
});
