import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import mysql from "mysql2/promise";
import {
  TRANSFER_FILES,
  type TransferMessage,
  type TransferRecord,
  type TransferSlaPolicy,
  type TransferTicket,
} from "../../../src/transfer/format.ts";
import { openOsTicket, OsTicketSourceError, type OsTicketSkip } from "../../../src/transfer/sources/osticket.ts";
import { createOsTicketDatabase, mariadbUrl, type OsTicketFixture } from "./generate-osticket.ts";

// The osTicket reader alone, against a real MariaDB holding osTicket 1.18's schema and a few hundred tickets.
let fx: OsTicketFixture;
let dir: string;
const records: TransferRecord[] = [];
const skips: OsTicketSkip[] = [];

beforeAll(async () => {
  fx = await createOsTicketDatabase({ tickets: 300 });
  dir = await mkdtemp(path.join(tmpdir(), "eskala-osticket-"));
  const source = await openOsTicket(fx.url);
  try {
    for await (const r of source.records({ attachmentsDir: dir, onSkip: (s) => skips.push(s), pageSize: 70 }))
      records.push(r);
  } finally {
    await source.close();
  }
});
afterAll(async () => {
  await fx?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const of = <K extends TransferRecord["kind"]>(kind: K) =>
  records.filter((r) => r.kind === kind).map((r) => r.record) as Extract<TransferRecord, { kind: K }>["record"][];

describe("osTicket reader", () => {
  it("reads every valid row as a record the transfer format accepts", () => {
    for (const r of records) expect(TRANSFER_FILES[r.kind].safeParse(r.record).success, JSON.stringify(r)).toBe(true);
    const e = fx.expected;
    expect(of("organizations")).toHaveLength(e.organizations);
    expect(of("users").filter((u) => u.role === "customer")).toHaveLength(e.users);
    expect(of("users").filter((u) => u.role !== "customer")).toHaveLength(e.staff);
    expect(of("groups")).toHaveLength(e.departments);
    expect(of("categories")).toHaveLength(e.topics);
    expect(of("tickets")).toHaveLength(e.tickets);
    const messages = of("messages");
    expect(messages.filter((m) => m.public)).toHaveLength(e.messages + e.responses);
    expect(messages.filter((m) => !m.public)).toHaveLength(e.notes);
  });

  it("yields each ticket before its thread, people and structure before tickets", () => {
    const order = records.map((r) => r.kind);
    expect(order.indexOf("tickets")).toBeGreaterThan(order.lastIndexOf("sla_policies"));
    const seen = new Set<string>();
    for (const r of records) {
      if (r.kind === "tickets") seen.add(r.record.key);
      if (r.kind === "messages") expect(seen.has(r.record.ticket_key)).toBe(true);
    }
  });

  it("keeps numbers, states, times, departments, topics and the overdue flag", () => {
    const tickets = of("tickets") as TransferTicket[];
    const first = tickets.find((t) => t.key === "osticket:ticket:1")!;
    expect(first).toMatchObject({
      number: "100037",
      status: "open",
      created_at: "2026-01-05T02:55:00.000Z",
      group_key: "osticket:department:4",
    });
    expect(first.category_key).toBe("osticket:topic:3");
    expect(tickets.filter((t) => t.status === "open")).toHaveLength(fx.expected.openTickets);
    expect(tickets.filter((t) => t.status === "solved" || t.status === "closed")).toHaveLength(
      fx.expected.closedTickets,
    );
    expect(tickets.filter((t) => t.tags?.includes("osticket-overdue"))).toHaveLength(fx.expected.overdueOpenTickets);
    // "Resolved" is a solved ticket, "Closed" and "Archived" closed ones; both keep when they ended.
    expect(tickets.filter((t) => t.status === "solved").length).toBeGreaterThan(0);
    for (const t of tickets.filter((x) => x.status !== "open")) expect(t.solved_at).toBeTruthy();
    expect(of("categories").map((c) => c.name)).toContain("Report a Problem / Access Issue");
    expect(of("groups").map((g) => g.name)).toContain("Support / Maintenance");
  });

  it("maps SLA plans with a grace period to a starting policy on their departments and topics", () => {
    const plans = of("sla_policies") as TransferSlaPolicy[];
    expect(plans.map((p) => p.name)).toEqual(["Priority support", "Default SLA"]);
    expect(plans[0]!.targets.urgent).toEqual({ resolution: 8 * 60 });
    expect(plans[1]!.conditions?.group_keys).toEqual(["osticket:department:1"]);
    expect(plans[0]!.conditions?.category_keys).toEqual(["osticket:topic:2", "osticket:topic:4"]);
  });

  it("turns HTML entries into text, keeps the authors and copies attachments byte for byte", async () => {
    const messages = of("messages") as TransferMessage[];
    const reply = messages.find((m) => m.author_key?.startsWith("osticket:staff:") && m.public)!;
    expect(reply.body_text).toMatch(/^Pesan \d+ & detail$/);
    expect(reply.body_html).toContain("<b>detail</b>");
    expect(messages.filter((m) => !m.public).every((m) => m.author_key?.startsWith("osticket:staff:"))).toBe(true);
    const files = messages.flatMap((m) => m.attachments ?? []);
    expect(files).toHaveLength(fx.expected.attachments);
    const c = await mysql.createConnection({ uri: fx.url });
    try {
      for (const f of files.slice(0, 6)) {
        const id = Number(f.path!.split("/")[1]);
        const [rows] = await c.query<mysql.RowDataPacket[]>(
          "SELECT filedata FROM ost_file_chunk WHERE file_id = ? ORDER BY chunk_id",
          [id],
        );
        const original = Buffer.concat(rows.map((r) => r.filedata as Buffer));
        const copied = await readFile(path.join(dir, f.path!));
        expect(copied.equals(original)).toBe(true);
        expect(f.size).toBe(original.length);
      }
    } finally {
      await c.end();
    }
  });

  it("reports every bad row with its table, id and reason", () => {
    expect(skips).toEqual(
      expect.arrayContaining([
        {
          table: "ost_ticket",
          id: fx.bad.ticketWithoutUser,
          reason: expect.stringContaining(`its user ${fx.bad.missingUserId} does not exist`),
        },
        ...fx.bad.orphanEntries.map((id) => ({
          table: "ost_thread_entry",
          id,
          reason: "its thread 99999 does not exist",
        })),
        { table: "ost_sla", id: 3, reason: expect.stringContaining("grace period is 0") },
      ]),
    );
    expect(skips).toHaveLength(4);
    expect(of("tickets").some((t) => t.key === `osticket:ticket:${fx.bad.ticketWithoutUser}`)).toBe(false);
  });

  it("says in one line that a wrong password is refused", async () => {
    const u = new URL(fx.url);
    u.password = "wrong-password";
    const err = await openOsTicket(u.toString()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OsTicketSourceError);
    expect((err as Error).message).toBe(
      `cannot connect to MariaDB at ${u.hostname}:${u.port || 3306} as ${u.username || "root"}: access denied`,
    );
  });

  it("says so when the database is missing or is not osTicket's", async () => {
    const missing = await openOsTicket(`${mariadbUrl}/eskala_osticket_no_such_db`).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/there is no database eskala_osticket_no_such_db$/);
    const wrongPrefix = await openOsTicket(`${fx.url}?prefix=xyz_`).catch((e: unknown) => e);
    expect((wrongPrefix as Error).message).toMatch(/is not an osTicket database: no table xyz_ticket/);
  });
});
