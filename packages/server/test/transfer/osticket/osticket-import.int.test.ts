import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importRecords } from "../../../src/transfer/import/import-records.ts";
import { OsTicketSourceError } from "../../../src/transfer/sources/osticket.ts";
import {
  osticketAttachmentsDir,
  readOsTicketDatabase,
  removeOsTicketAttachments,
} from "../../../src/transfer/sources/osticket-source.ts";
import { startTestApp, type TestApp } from "../../harness.ts";
import { createOsTicketDatabase, type OsTicketFixture } from "./generate-osticket.ts";

// An osTicket 1.18 database in a real MariaDB imported into a fresh Eskala (PGlite or PostgreSQL).
const BIN = fileURLToPath(new URL("../../../bin/eskala.js", import.meta.url));
let app: TestApp;
let fx: OsTicketFixture;
const NOW = new Date("2026-02-02T03:00:00Z");

beforeAll(async () => {
  [app, fx] = await Promise.all([startTestApp(), createOsTicketDatabase({ tickets: 200 })]);
});
afterAll(async () => {
  await removeOsTicketAttachments(fx.url);
  await Promise.all([app?.close(), fx?.drop()]);
});

const run = (opts: { dryRun?: boolean } = {}) =>
  importRecords(app.services, readOsTicketDatabase(fx.url), {
    ...opts,
    now: NOW,
    attachmentsDir: osticketAttachmentsDir(fx.url),
  });

/** What an import can have written, counted in the Eskala database. */
async function counts() {
  const n = async (q: ReturnType<typeof sql<{ n: string }>>) => Number((await q.execute(app.db)).rows[0]!.n);
  return {
    tickets: await app.count("tickets"),
    replies: await n(sql`select count(*) as n from messages where kind = 'reply'`),
    notes: await n(sql`select count(*) as n from messages where kind = 'note'`),
    customers: await n(sql`select count(*) as n from users where role = 'customer'`),
    staff: await n(sql`select count(*) as n from users where role <> 'customer'`),
    organizations: await app.count("organizations"),
    departments: await n(sql`select count(*) as n from groups where kind = 'department'`),
    osticketDepartments: await n(
      sql`select count(*) as n from groups where kind = 'department' and name in ('Support', 'Sales', 'Billing', 'Support / Maintenance')`,
    ),
    attachments: await app.count("attachments"),
    mappings: await n(sql`select count(*) as n from import_mappings where source = 'osticket'`),
  };
}

describe("eskala import osticket", () => {
  let before: Awaited<ReturnType<typeof counts>>;

  it("a dry run writes nothing and lists every bad row with its reason", async () => {
    before = await counts();
    const report = await run({ dryRun: true });
    expect(await counts()).toEqual(before);
    expect(report.dryRun).toBe(true);
    expect(report.counts.tickets?.created).toBe(fx.expected.tickets);
    expect(report.skips.map((s) => [s.at, s.reason])).toEqual(
      expect.arrayContaining([
        [
          `ost_ticket ${fx.bad.ticketWithoutUser}`,
          expect.stringContaining(`its user ${fx.bad.missingUserId} does not exist`),
        ],
        ...fx.bad.orphanEntries.map((id) => [`ost_thread_entry ${id}`, "its thread 99999 does not exist"]),
        ["ost_sla 3", expect.stringContaining("grace period is 0")],
      ]),
    );
  });

  it("imports tickets, messages, internal notes, users, organisations and departments with matching counts", async () => {
    const report = await run();
    const after = await counts();
    const e = fx.expected;
    expect(after.tickets - before.tickets).toBe(e.tickets);
    expect(after.replies - before.replies).toBe(e.messages + e.responses);
    expect(after.notes - before.notes).toBe(e.notes);
    expect(after.customers - before.customers).toBe(e.users);
    expect(after.staff - before.staff).toBe(e.staff);
    expect(after.organizations - before.organizations).toBe(e.organizations);
    // The fresh instance has a Billing department already: osTicket's Billing is merged into it.
    expect(after.osticketDepartments).toBe(e.departments);
    expect(after.departments - before.departments).toBe(e.departments - 1);
    expect(after.attachments - before.attachments).toBe(e.attachments);
    expect(report.counts.tickets).toMatchObject({ created: e.tickets, updated: 0 });
    expect(report.skips).toHaveLength(4);
  });

  it("keeps the osTicket number (found by #number), times and state; solved tickets have no deadline waiting", async () => {
    const t = await app.db
      .selectFrom("tickets")
      .selectAll()
      .where(sql<boolean>`external_number = '100037'`)
      .executeTakeFirstOrThrow();
    // The original number finds it in the ticket search.
    const found = await app.inject("GET", "/api/v1/tickets", { query: { q: "#100037" } });
    expect(found.status).toBe(200);
    expect(found.body.items.map((x: { id: string }) => x.id)).toEqual([t.id]);
    expect(t.status).toBe("open");
    expect(t.created_at.toISOString()).toBe("2026-01-05T02:55:00.000Z");
    const solved = await sql<{
      n: string;
    }>`select count(*) as n from tickets where external_number is not null and status in ('solved', 'closed') and solved_at is not null`.execute(
      app.db,
    );
    expect(Number(solved.rows[0]!.n)).toBe(fx.expected.closedTickets);
    // Tickets imported as solved or closed have no deadline waiting.
    const armed = await sql<{ n: string }>`select count(*) as n from timers tm join tickets t on t.id = tm.ticket_id
      where t.external_number is not null and t.status in ('solved', 'closed') and tm.fired_at is null`.execute(app.db);
    expect(Number(armed.rows[0]!.n)).toBe(0);
  });

  it("a second run updates and duplicates nothing", async () => {
    const first = await counts();
    const report = await run();
    expect(await counts()).toEqual(first);
    expect(report.counts.tickets).toMatchObject({ created: 0, updated: 0, unchanged: fx.expected.tickets });
    expect(report.skips).toHaveLength(4);
  });

  it("a wrong password stops before anything, in one clear line", async () => {
    const u = new URL(fx.url);
    u.password = "not-the-password";
    const items = readOsTicketDatabase(u.toString());
    const err = await importRecords(app.services, items, { now: NOW }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OsTicketSourceError);
    expect((err as Error).message).toBe(
      `cannot connect to MariaDB at ${u.hostname}:${u.port || 3306} as ${u.username || "root"}: access denied`,
    );
  });

  // The CLI itself on the PostgreSQL run (on the embedded database each process would migrate a new one first).
  it.runIf(process.env.DATABASE_URL)(
    "runs as `eskala import osticket mysql://…`: a wrong password is one line and exit code 1",
    { timeout: 150_000 },
    () => {
      const env = {
        ...process.env,
        DATABASE_URL: app.databaseUrl!,
        LOG_LEVEL: "warn",
        ESKALA_PROGRESS_INTERVAL_MS: "1",
      };
      const u = new URL(fx.url);
      u.password = "not-the-password";
      const bad = spawnSync(process.execPath, [BIN, "import", "osticket", u.toString()], {
        encoding: "utf8",
        env,
        timeout: 120_000,
      });
      expect(bad.status, bad.stderr).toBe(1);
      expect(bad.stderr.trim().split("\n")).toEqual([
        `eskala import: cannot connect to MariaDB at ${u.hostname}:${u.port || 3306} as ${u.username || "root"}: access denied`,
      ]);
      expect(bad.stdout + bad.stderr).not.toContain("not-the-password");
    },
  );
});
