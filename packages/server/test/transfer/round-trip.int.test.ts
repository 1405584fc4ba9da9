import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportData } from "../../src/transfer/export.ts";
import { importRecords } from "../../src/transfer/import/import-records.ts";
import { IMPORT_SOURCES } from "../../src/transfer/sources/index.ts";
import { startTestApp, type TestApp } from "../harness.ts";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const NOW = new Date("2026-12-01T10:00:00Z");

let source: TestApp;
let target: TestApp;
const dir = mkdtempSync(join(tmpdir(), "eskala-round-trip-"));
beforeAll(async () => {
  source = await startTestApp();
  target = await startTestApp();
});
afterAll(async () => {
  await source?.close();
  await target?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the API shows of every ticket: the list's fields and each one's messages. */
async function byApi(t: TestApp) {
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const page = await t.inject("GET", "/api/v1/tickets", {
      query: { limit: "100", sort: "number", ...(cursor ? { cursor } : {}) },
    });
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.next_cursor ?? null;
  } while (cursor);
  const shown = [];
  for (const i of items) {
    const messages = (await t.inject("GET", `/api/v1/tickets/${i.id as string}/messages`)).body.items;
    shown.push({
      number: i.number,
      subject: i.subject,
      status: i.status,
      priority: i.priority,
      channel: i.channel,
      created_at: i.created_at,
      messages: messages.map((m: { kind: string; body: string; created_at: string; author?: { email?: string } }) => [
        m.kind,
        m.body,
        m.created_at,
        m.author?.email ?? null,
      ]),
    });
  }
  return shown;
}

describe("eskala export → eskala import", () => {
  it("an export of an instance re-imports into a fresh one identical by the API", async () => {
    const dirZ = fixtures + "zendesk";
    await importRecords(source.services, IMPORT_SOURCES.zendesk!.read(dirZ), {
      attachmentsDir: IMPORT_SOURCES.zendesk!.attachmentsDir!(dirZ),
      now: NOW,
    });
    await exportData(source.db, { out: dir, now: NOW });
    const report = await importRecords(target.services, IMPORT_SOURCES.eskala!.read(dir), {
      attachmentsDir: IMPORT_SOURCES.eskala!.attachmentsDir!(dir),
      keepNumbers: true,
      now: NOW,
    });
    expect(report.skips.filter((s) => s.kind === "tickets" || s.kind === "messages")).toEqual([]);
    const before = await byApi(source);
    const after = await byApi(target);
    expect(before.length).toBe(31);
    expect(after.length).toBe(before.length);
    expect(after).toEqual(before);
  });
});
