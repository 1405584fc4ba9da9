import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importRecords } from "../../src/transfer/import/import-records.ts";
import type { SourceItem } from "../../src/transfer/import/source.ts";
import { ImportStopped } from "../../src/transfer/import/source.ts";
import { IMPORT_SOURCES } from "../../src/transfer/sources/index.ts";
import { startTestApp, type TestApp } from "../harness.ts";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const NOW = new Date("2026-12-01T10:00:00Z");

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

function run(source: "zendesk" | "freshdesk", opts: Parameters<typeof importRecords>[2] = {}) {
  const dir = fixtures + source;
  return importRecords(t.services, IMPORT_SOURCES[source]!.read(dir), {
    attachmentsDir: IMPORT_SOURCES[source]!.attachmentsDir!(dir),
    now: NOW,
    ...opts,
  });
}

async function countOf(table: string, where = sql`true`): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${where}`.execute(t.db);
  return Number(rows[0]!.n);
}
const tickets = (prefix: string) => countOf("tickets", sql`subject like ${prefix + "%"}`);
const messagesOf = (prefix: string) =>
  countOf("messages", sql`ticket_id in (select id from tickets where subject like ${prefix + "%"})`);

describe("eskala import: Zendesk", () => {
  it("imports the export with counts matching, skipping the bad records with where they are", async () => {
    const report = await run("zendesk");
    expect(report.counts.organizations).toMatchObject({ created: 2, skipped: 0 });
    expect(report.counts.groups).toMatchObject({ created: 2 });
    expect(report.counts.users).toMatchObject({ created: 13, skipped: 1 });
    expect(report.counts.tickets).toMatchObject({ created: 31, updated: 0, skipped: 2 });
    expect(report.counts.messages).toMatchObject({ created: 62, skipped: 2 });
    expect(await tickets("Zendesk ticket")).toBe(31);
    expect(await messagesOf("Zendesk ticket")).toBe(62);
    const at = report.skips.map((s) => `${s.at} ${s.reason}`);
    expect(at).toContainEqual(expect.stringMatching(/^users\.json\[13\] missing required field email/));
    expect(at).toContainEqual(
      expect.stringMatching(/^tickets\.json\[5\] unknown reference: requester zendesk:user:2999/),
    );
    expect(at).toContainEqual(expect.stringMatching(/^tickets\.jsonl:13 missing required field subject/));
    expect(at).toContainEqual(expect.stringMatching(/^tickets\.jsonl:14 malformed JSON/));

    // Originals kept: the number (searchable as #105), created_at, authors, public and internal, solved state.
    const found = await t.inject("GET", "/api/v1/tickets", { query: { q: "#105" } });
    expect(found.status).toBe(200);
    const z105 = found.body.items.find((i: { subject: string }) => i.subject.startsWith("Zendesk ticket 105"));
    expect(z105).toMatchObject({ status: "closed", priority: "low", channel: "phone" });
    const ticket = (await t.inject("GET", `/api/v1/tickets/${z105.id}`)).body;
    expect(ticket.created_at).toBe("2026-11-06T08:00:00.000Z");
    expect(ticket.tags).toEqual(["vip", "billing"]);
    const msgs = (await t.inject("GET", `/api/v1/tickets/${z105.id}/messages`)).body.items;
    expect(msgs.map((m: { kind: string; body: string }) => [m.kind, m.body])).toEqual([
      ["reply", "Reply to 105"],
      ["note", "Internal note on 105"],
    ]);
    expect(msgs[0].author).toMatchObject({ name: "Budi Agent" });
    // The customer sees the reply, not the note.
    const customer = await t.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", "customer6@zd-customer.example")
      .executeTakeFirstOrThrow();
    expect(customer.id).toBe(
      (await t.db.selectFrom("tickets").select("requester_id").where("id", "=", z105.id).executeTakeFirstOrThrow())
        .requester_id,
    );
    // A downloaded attachment is kept with its message; satisfaction ratings become survey answers.
    expect(await countOf("attachments", sql`filename = 'screenshot.txt'`)).toBe(1);
    expect(await countOf("csat_surveys", sql`ticket_id = ${z105.id}`)).toBe(1);
    // Solved tickets fire no deadlines.
    expect(await countOf("timers", sql`ticket_id in (select id from tickets where subject like 'Zendesk%')`)).toBe(0);
  });

  it("a second run of the same export duplicates nothing and changes nothing", async () => {
    const eventsBefore = await countOf("ticket_events");
    const report = await run("zendesk");
    expect(report.counts.tickets).toMatchObject({ created: 0, updated: 0, unchanged: 31 });
    expect(report.counts.messages).toMatchObject({ created: 0, unchanged: 62 });
    // An unchanged record leaves nothing on any timeline.
    expect(await countOf("ticket_events")).toBe(eventsBefore);
    expect(report.counts.users).toMatchObject({ created: 0, updated: 13 });
    expect(await tickets("Zendesk ticket")).toBe(31);
    expect(await messagesOf("Zendesk ticket")).toBe(62);
    expect(await countOf("attachments", sql`filename = 'screenshot.txt'`)).toBe(1);
  });
});

describe("eskala import: Freshdesk", () => {
  it("a dry run writes nothing and lists what it would create and skip", async () => {
    const before = await countOf("import_mappings");
    const report = await run("freshdesk", { dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.counts.tickets).toMatchObject({ created: 22, skipped: 2 });
    expect(report.skips.map((s) => s.at)).toContain("conversations/323.json");
    expect(await tickets("Freshdesk ticket")).toBe(0);
    expect(await countOf("users", sql`email like '%fd.example' or email like '%fd-customer.example'`)).toBe(0);
    expect(await countOf("import_mappings")).toBe(before);
  });

  it("imports with counts matching, notes internal, numbers and ratings kept", async () => {
    const report = await run("freshdesk");
    expect(report.counts.users).toMatchObject({ created: 10, skipped: 1 });
    expect(report.counts.tickets).toMatchObject({ created: 22, skipped: 2 });
    expect(report.counts.messages).toMatchObject({ created: 62 });
    expect(await tickets("Freshdesk ticket")).toBe(22);
    expect(await messagesOf("Freshdesk ticket")).toBe(62);
    const reasons = report.skips.map((s) => `${s.at} ${s.reason}`);
    expect(reasons).toContainEqual(expect.stringMatching(/^tickets\.json\[4\] invalid priority/));
    expect(reasons).toContainEqual(
      expect.stringMatching(/^conversations\/307\.json\[2\] unknown reference: author freshdesk:agent:999/),
    );
    expect(reasons).toContainEqual(expect.stringMatching(/^conversations\/323\.json malformed JSON/));
    const notes = await countOf("messages", sql`kind = 'note' and body like 'Catatan%'`);
    expect(notes).toBe(20);
    const f301 = await t.db
      .selectFrom("tickets")
      .selectAll()
      .where(sql<boolean>`external_number = '301'`)
      .executeTakeFirstOrThrow();
    expect(f301).toMatchObject({ status: "solved", priority: "low", channel: "email" });
    expect(await countOf("csat_surveys", sql`ticket_id = ${f301.id} and rating = 5`)).toBe(1);
    const again = await run("freshdesk");
    expect(again.counts.tickets).toMatchObject({ created: 0, updated: 0, unchanged: 22 });
    expect(await tickets("Freshdesk ticket")).toBe(22);
  });
});

/** Records in the transfer format, as any source yields them. */
function eskalaRecords(n: number, prefix: string, opts: { open?: boolean; createdAt?: string } = {}): SourceItem[] {
  const items: SourceItem[] = [
    {
      kind: "users",
      at: "users:1",
      record: { key: `${prefix}:user:1`, email: `${prefix}@resume.example`, name: "Resume Customer", role: "customer" },
    },
  ];
  for (let i = 1; i <= n; i++) {
    items.push({
      kind: "tickets",
      at: `tickets:${i}`,
      record: {
        key: `${prefix}:ticket:${i}`,
        number: 7000 + i,
        subject: `${prefix} ticket ${i}`,
        status: opts.open ? "open" : "solved",
        priority: "medium",
        channel: "email",
        requester_key: `${prefix}:user:1`,
        created_at: opts.createdAt ?? "2026-11-20T03:00:00Z",
        resolution: opts.open ? null : "Restarted the router",
      },
    });
    items.push({
      kind: "messages",
      at: `messages:${i}`,
      record: {
        key: `${prefix}:message:${i}`,
        ticket_key: `${prefix}:ticket:${i}`,
        author_key: `${prefix}:user:1`,
        public: true,
        body_text: "Halo",
        created_at: "2026-11-20T03:00:00Z",
      },
    });
  }
  return items;
}

async function* stream(items: SourceItem[]) {
  for (const item of items) yield item;
}

describe("eskala import: batches", () => {
  it("an interrupted import resumes where it stopped, with no ticket half-imported", async () => {
    const items = eskalaRecords(12, "resume");
    const controller = new AbortController();
    const first = await importRecords(t.services, stream(items), {
      batchSize: 5,
      now: NOW,
      signal: controller.signal,
      onProgress: (done) => done.tickets > 0 && controller.abort(),
    });
    expect(first.interrupted).toBe(true);
    expect(await tickets("resume ticket")).toBe(5);
    expect(await messagesOf("resume ticket")).toBe(5 * 2); // the message and the resolution note
    const second = await importRecords(t.services, stream(items), { batchSize: 5, now: NOW });
    expect(second.interrupted).toBe(false);
    expect(second.counts.tickets).toMatchObject({ created: 7, updated: 0, unchanged: 5 });
    expect(await tickets("resume ticket")).toBe(12);
    expect(await messagesOf("resume ticket")).toBe(24);
  });

  it("--strict stops at the first bad record, the batches before it written", async () => {
    const items = eskalaRecords(6, "strict");
    items.splice(8, 0, {
      kind: "tickets",
      at: "tickets.jsonl:99",
      record: { key: "strict:ticket:bad", subject: "no status" },
    });
    await expect(importRecords(t.services, stream(items), { batchSize: 2, strict: true, now: NOW })).rejects.toThrow(
      ImportStopped,
    );
    await expect(importRecords(t.services, stream(items), { batchSize: 2, strict: true, now: NOW })).rejects.toThrow(
      /tickets\.jsonl:99: missing required field status/,
    );
    expect(await tickets("strict ticket")).toBe(2);
  });
});

describe("eskala import: SLA of open tickets", () => {
  it("an open ticket gets its clocks from its original times, past breaches as history and one escalation decision", async () => {
    const rule = await t.inject("POST", "/api/v1/escalation-rules", {
      body: {
        name: "Any breach → next tier",
        event: "sla.breached",
        actions: [{ type: "escalate", to: { tier: "next" }, reason: "sla_breach" }],
      },
    });
    expect(rule.status).toBe(201);
    const policy: SourceItem = {
      kind: "sla_policies",
      at: "sla_policies:1",
      record: {
        key: "sla:policy:1",
        name: "Imported 24/7",
        targets: { medium: { first_response: 60, resolution: 480 } },
      },
    };
    const items = [policy, ...eskalaRecords(1, "openbreach", { open: true, createdAt: "2026-11-29T10:00:00Z" })];
    const report = await importRecords(t.services, stream(items), { now: NOW });
    expect(report.sla).toEqual({ clocked: 1, breachesRecorded: 2, decisions: 1 });
    const ticket = await t.db
      .selectFrom("tickets")
      .selectAll()
      .where("subject", "=", "openbreach ticket 1")
      .executeTakeFirstOrThrow();
    const events = await t.db
      .selectFrom("ticket_events")
      .select(["type", "at"])
      .where("ticket_id", "=", ticket.id)
      .orderBy("id")
      .execute();
    const breaches = events.filter((e) => e.type === "sla.breached");
    expect(breaches.map((e) => e.at.toISOString())).toEqual(["2026-11-29T11:00:00.000Z", "2026-11-29T18:00:00.000Z"]);
    expect(await countOf("escalations", sql`ticket_id = ${ticket.id}`)).toBe(1);
    expect(
      (await t.db.selectFrom("tickets").select("tier").where("id", "=", ticket.id).executeTakeFirstOrThrow()).tier,
    ).toBe(2);
    // Nothing left for the timer worker to fire at start.
    expect(await countOf("timers", sql`ticket_id = ${ticket.id} and fired_at is null and due_at <= ${NOW}`)).toBe(0);

    // A solved ticket under the same policy gets no clocks and no timers.
    await importRecords(t.services, stream(eskalaRecords(1, "solvedclock", { createdAt: "2026-11-29T10:00:00Z" })), {
      now: NOW,
    });
    const solved = await t.db
      .selectFrom("tickets")
      .select("id")
      .where("subject", "=", "solvedclock ticket 1")
      .executeTakeFirstOrThrow();
    expect(await countOf("timers", sql`ticket_id = ${solved.id}`)).toBe(0);
    expect(await countOf("ticket_events", sql`ticket_id = ${solved.id} and type like 'sla.%'`)).toBe(0);
  });
});

describe("eskala import: unknown optional references and second runs", () => {
  const ticketRecord = (over: Record<string, unknown> = {}) => ({
    key: "opt:ticket:1",
    number: 8801,
    subject: "opt ticket 1",
    // Solved: no SLA clocks, so no rule of the tests above escalates it at import.
    status: "solved",
    priority: "medium",
    channel: "email",
    requester_key: "opt:user:1",
    created_at: "2026-11-20T03:00:00Z",
    ...over,
  });
  const base = (ticket: Record<string, unknown>): SourceItem[] => [
    { kind: "groups", at: "groups.jsonl:1", record: { key: "opt:group:1", name: "Opt Billing", kind: "department" } },
    {
      kind: "users",
      at: "users.jsonl:1",
      record: {
        key: "opt:user:1",
        email: "opt@optional.example",
        name: "Opt Customer",
        role: "customer",
        org_key: "opt:org:404",
      },
    },
    { kind: "tickets", at: "tickets.jsonl:7", record: ticket },
  ];

  it("imports a record whose optional reference is unknown without it, and warns with where and which", async () => {
    const warned: string[] = [];
    const report = await importRecords(
      t.services,
      stream(base(ticketRecord({ group_key: "opt:group:404", assignee_key: "opt:user:404" }))),
      { now: NOW, onWarning: (w) => warned.push(`${w.at} ${w.key} ${w.reason}`) },
    );
    expect(report.counts.users).toMatchObject({ created: 1, skipped: 0 });
    expect(report.counts.tickets).toMatchObject({ created: 1, skipped: 0 });
    expect(report.skips).toEqual([]);
    expect(warned).toEqual([
      "users.jsonl:1 opt:user:1 unknown reference: organisation opt:org:404; imported without it",
      "tickets.jsonl:7 opt:ticket:1 unknown reference: assignee opt:user:404, group opt:group:404; imported without it",
    ]);
    expect(report.warnings).toHaveLength(2);
    const found = (await t.inject("GET", "/api/v1/tickets", { query: { q: "#8801" } })).body.items;
    expect(found).toHaveLength(1);
    const ticket = (await t.inject("GET", `/api/v1/tickets/${found[0].id}`)).body;
    expect(ticket).toMatchObject({ subject: "opt ticket 1", group: null, assignee: null });
  });

  it("a second run that changed a ticket updates it and says so on its timeline; an unchanged one writes nothing", async () => {
    const group = await t.db
      .selectFrom("groups")
      .select("id")
      .where("name", "=", "Opt Billing")
      .executeTakeFirstOrThrow();
    const changed = ticketRecord({ priority: "high", group_key: "opt:group:1", subject: "opt ticket 1 (again)" });
    const report = await importRecords(t.services, stream(base(changed)), { now: NOW });
    expect(report.counts.tickets).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    const { id } = (await t.inject("GET", "/api/v1/tickets", { query: { q: "#8801" } })).body.items[0];
    const ticket = (await t.inject("GET", `/api/v1/tickets/${id}`)).body;
    expect(ticket).toMatchObject({ priority: "high", group: { id: group.id }, subject: "opt ticket 1 (again)" });
    const timeline = async () =>
      (await t.inject("GET", `/api/v1/tickets/${ticket.id}/events`)).body.items as {
        type: string;
        data: Record<string, unknown>;
      }[];
    const byImport = (await timeline()).filter((e) => e.data.by_import);
    expect(byImport).toHaveLength(1);
    expect(byImport[0]).toMatchObject({
      type: "ticket.updated",
      data: {
        changes: {
          priority: ["medium", "high"],
          group_id: [null, group.id],
          subject: ["opt ticket 1", "opt ticket 1 (again)"],
        },
      },
    });
    const events = (await timeline()).length;
    const again = await importRecords(t.services, stream(base(changed)), { now: NOW });
    expect(again.counts.tickets).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect((await timeline()).length).toBe(events);
  });
});
