/**
 * Tickets with their messages, a batch in one transaction: every reference resolved through the
 * mapping in one read, the new tickets, messages, timeline events, surveys and mapping rows each
 * written by one set-based statement (jsonb_to_recordset, as db/deferred.ts does), so a batch of
 * 500 tickets costs about a dozen statements. A ticket imported before is updated; its messages
 * already imported are left as they are and new ones are added. A ticket and its messages are
 * written together or not at all. Hooks do not run: an import sends no email, fires no rule and
 * routes nothing; the open tickets' clocks are set afterwards (open-clocks.ts).
 */
import { createHash, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, normalize } from "node:path";
import { sql, type Transaction } from "kysely";
import { PRIORITIES, type Priority } from "@eskala/core";
import type { DB } from "../../db/schema.ts";
import type { TransferMessage, TransferTicket } from "../format.ts";
import { mapKey, readMappings, writeMappings } from "./mappings.ts";
import type { Checked } from "./write-structure.ts";

type Trx = Transaction<DB>;

export interface TicketUnit {
  ticket: Checked<TransferTicket>;
  messages: Checked<TransferMessage>[];
}

export interface ImportedOpenTicket {
  id: string;
  /** Public messages, oldest first, for the SLA ledger: customer or agent. */
  messages: { at: Date; author: "customer" | "agent" }[];
}

export interface TicketBatchResult {
  /** Updated: a ticket imported before whose values changed; unchanged: one whose values are the same. */
  tickets: { created: number; updated: number; unchanged: number };
  /** Unchanged: messages imported before (a message is never rewritten). */
  messages: { created: number; unchanged: number };
  skips: { at: string; kind: string; key: string; reason: string }[];
  /** Records written without an optional reference that is not known here (an unknown group, organisation…). */
  warnings: { at: string; kind: string; key: string; reason: string }[];
  /** New tickets still open, for their SLA clocks. */
  open: ImportedOpenTicket[];
  /** Whether local numbers were taken from the source (the number sequence must move past them). */
  keptNumbers: boolean;
}

const DONE = new Set(["solved", "closed"]);

/** The columns a second run may change; a ticket whose values are all the same is left alone. */
const COMPARED = [
  "subject",
  "description",
  "status",
  "priority",
  "category_id",
  "tags",
  "group_id",
  "assignee_id",
  "resolution_code",
  "solved_at",
  "closed_at",
  "external_number",
] as const;
/** Of those, the ones the timeline names (the rest are told as "updated"). */
const SHOWN = new Set<string>([
  "subject",
  "status",
  "priority",
  "category_id",
  "tags",
  "group_id",
  "assignee_id",
  "resolution_code",
]);
/** A stored or incoming value in one comparable form: instants as ISO strings, lists as JSON. */
const plain = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : v === undefined ? null : v);
const sameValue = (stored: unknown, incoming: unknown) => {
  const a = plain(stored);
  const b = plain(incoming);
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
  return a === b;
};
const iso = (s: string | null | undefined) => (s ? new Date(s).toISOString() : null);

/** Options of a batch: keep the source's numbers as local numbers (an Eskala export), where attachments live. */
export interface TicketBatchOptions {
  keepNumbers: boolean;
  attachmentsDir: string | null;
  now: Date;
}

export async function writeTicketBatch(
  trx: Trx,
  units: TicketUnit[],
  late: Checked<TransferMessage>[],
  opts: TicketBatchOptions,
): Promise<TicketBatchResult> {
  const { now } = opts;
  const skips: TicketBatchResult["skips"] = [];
  const allMessages = [...units.flatMap((u) => u.messages), ...late];
  const wanted: { kind: string; key: string }[] = [];
  const want = (kind: string, key: string | null | undefined) => key && wanted.push({ kind, key });
  for (const { ticket: t } of units) {
    want("tickets", t.record.key);
    want("users", t.record.requester_key);
    want("users", t.record.assignee_key);
    want("organizations", t.record.org_key);
    want("groups", t.record.group_key);
    want("categories", t.record.category_key);
    want("sla_policies", t.record.sla_policy_key);
  }
  for (const m of allMessages) {
    want("messages", m.record.key);
    want("users", m.record.author_key);
  }
  for (const m of late) want("tickets", m.record.ticket_key);
  const hashes = new Map<string, string | null>();
  const refs = await readMappings(trx, wanted, hashes);
  const ref = (kind: string, key: string | null | undefined) => (key ? (refs.get(mapKey(kind, key)) ?? null) : null);

  // 1. References: an unknown requester skips the record (a ticket with all of its messages); an
  // unknown optional one (assignee, organisation, group, category, SLA policy) is left out, with a warning.
  const warnings: TicketBatchResult["warnings"] = [];
  const units2 = units.filter(({ ticket: { record: t, at } }) => {
    if (!ref("users", t.requester_key)) {
      skips.push({ at, kind: "tickets", key: t.key, reason: `unknown reference: requester ${t.requester_key}` });
      return false;
    }
    const missing = (
      [
        ["users", t.assignee_key, "assignee"],
        ["organizations", t.org_key, "organisation"],
        ["groups", t.group_key, "group"],
        ["categories", t.category_key, "category"],
        ["sla_policies", t.sla_policy_key, "SLA policy"],
      ] as const
    ).filter(([kind, key]) => key && !ref(kind, key));
    if (missing.length)
      warnings.push({
        at,
        kind: "tickets",
        key: t.key,
        reason: `unknown reference: ${missing.map(([, key, what]) => `${what} ${key}`).join(", ")}; imported without it`,
      });
    return true;
  });
  const messageOk = (m: Checked<TransferMessage>) => {
    if (!m.record.author_key || ref("users", m.record.author_key)) return true;
    skips.push({
      at: m.at,
      kind: "messages",
      key: m.record.key,
      reason: `unknown reference: author ${m.record.author_key}`,
    });
    return false;
  };
  const lateOk = late.filter((m) => {
    if (!ref("tickets", m.record.ticket_key)) {
      skips.push({
        at: m.at,
        kind: "messages",
        key: m.record.key,
        reason: `unknown reference: ticket ${m.record.ticket_key}`,
      });
      return false;
    }
    return messageOk(m);
  });

  // 2. What the rows need of the people and groups they name.
  const userIds = new Set<string>();
  for (const { ticket, messages } of units2) {
    userIds.add(ref("users", ticket.record.requester_key)!);
    for (const m of messages) if (m.record.author_key) userIds.add(ref("users", m.record.author_key)!);
  }
  for (const m of lateOk) if (m.record.author_key) userIds.add(ref("users", m.record.author_key)!);
  const { rows: people } = await sql<{ id: string; role: string; organization_id: string | null; language: string }>`
    select id, role, organization_id, language from users where id = any(${[...userIds]}::uuid[])`.execute(trx);
  const person = new Map(people.map((p) => [p.id, p]));
  const groupIds = [...new Set(units2.flatMap((u) => ref("groups", u.ticket.record.group_key) ?? []))];
  const { rows: groups } = await sql<{ id: string; tier_level: number | null }>`
    select id, tier_level from groups where id = any(${groupIds}::uuid[])`.execute(trx);
  const tierOf = new Map(groups.map((g) => [g.id, g.tier_level]));
  // The tickets imported before: a second run writes only what changed. A ticket whose source record is the one it was last written from is left alone (its messages
  // still added); the others are compared with the row as it is now.
  const hashOf = new Map(
    units2.map(({ ticket: { record } }) => [
      record.key,
      createHash("sha1").update(JSON.stringify(record)).digest("base64url"),
    ]),
  );
  const existingIds = units2.flatMap(({ ticket: { record } }) => {
    const id = ref("tickets", record.key);
    return id && hashes.get(mapKey("tickets", record.key)) !== hashOf.get(record.key) ? [id] : [];
  });
  let unchanged = 0;
  const { rows: before } = existingIds.length
    ? await sql<Record<string, unknown> & { id: string }>`
        select id, ${sql.join(COMPARED.map((c) => sql.ref(c)))} from tickets
        where id = any(${existingIds}::uuid[])`.execute(trx)
    : { rows: [] };
  const current = new Map(before.map((r) => [r.id, r]));

  // 3. Rows.
  const ticketRows: Record<string, unknown>[] = [];
  const updateRows: Record<string, unknown>[] = [];
  const messageRows: Record<string, unknown>[] = [];
  const eventRows: Record<string, unknown>[] = [];
  const surveyRows: Record<string, unknown>[] = [];
  const ticketMaps: { key: string; id: string; hash: string }[] = [];
  const messageMaps: { key: string; id: string }[] = [];
  const attachmentJobs: { ticketId: string; messageId: string; m: TransferMessage; at: string }[] = [];
  const open: ImportedOpenTicket[] = [];
  let messagesUnchanged = 0;
  let keptNumbers = false;

  const addMessage = (ticketId: string, ticketChannel: string, m: Checked<TransferMessage>) => {
    const known = ref("messages", m.record.key);
    if (known) {
      messagesUnchanged++;
      return null;
    }
    const id = randomUUID();
    const authorId = ref("users", m.record.author_key);
    const role = authorId ? (person.get(authorId)?.role ?? "customer") : "system";
    const kind = m.record.public ? "reply" : "note";
    messageRows.push({
      id,
      ticket_id: ticketId,
      author_id: authorId,
      kind,
      body: m.record.body_text,
      channel: m.record.channel ?? ticketChannel,
      created_at: m.record.created_at,
    });
    eventRows.push({
      ticket_id: ticketId,
      type: "message.added",
      actor_kind: role === "customer" ? "customer" : authorId ? "user" : "system",
      actor_id: authorId,
      data: { message_id: id, kind, author_role: role, imported: true },
      at: m.record.created_at,
    });
    messageMaps.push({ key: m.record.key, id });
    if (m.record.attachments?.length) attachmentJobs.push({ ticketId, messageId: id, m: m.record, at: m.at });
    return { id, role, kind, at: new Date(m.record.created_at) };
  };

  for (const { ticket, messages } of units2) {
    const t = ticket.record;
    const requesterId = ref("users", t.requester_key)!;
    const requester = person.get(requesterId);
    const groupId = ref("groups", t.group_key);
    const tier = t.tier ?? (groupId ? tierOf.get(groupId) : null) ?? 1;
    const done = DONE.has(t.status);
    const solvedAt = done ? (t.solved_at ?? t.closed_at ?? t.updated_at ?? t.created_at) : null;
    const closedAt = t.status === "closed" ? (t.closed_at ?? t.updated_at ?? solvedAt) : null;
    const existing = ref("tickets", t.key);
    const id = existing ?? randomUUID();
    const good = messages.filter(messageOk);
    const firstPublic = good.find((m) => m.record.public);
    const columns = {
      id,
      subject: t.subject,
      description: t.description ?? firstPublic?.record.body_text ?? "",
      requester_id: requesterId,
      organization_id: ref("organizations", t.org_key) ?? requester?.organization_id ?? null,
      channel: t.channel,
      status: t.status,
      priority: t.priority,
      priority_rank: PRIORITIES.indexOf(t.priority as Priority),
      language: t.language ?? requester?.language ?? "id",
      category_id: ref("categories", t.category_key),
      tags: [...new Set(t.tags ?? [])],
      tier,
      group_id: groupId,
      assignee_id: ref("users", t.assignee_key),
      resolution_code: done ? (t.resolution_code ?? "answered") : null,
      solved_tier: done ? tier : null,
      solved_at: iso(solvedAt),
      closed_at: iso(closedAt),
      created_at: iso(t.created_at),
      updated_at: iso(t.updated_at ?? solvedAt ?? t.created_at),
      external_number: opts.keepNumbers || t.number == null ? null : String(t.number),
      keep_number:
        opts.keepNumbers && t.number != null && /^\d{1,15}$/.test(String(t.number)) ? Number(t.number) : null,
      sla_policy_id: ref("sla_policies", t.sla_policy_key),
    };
    ticketMaps.push({ key: t.key, id, hash: hashOf.get(t.key)! });
    if (existing) {
      const was = current.get(existing);
      // external_number is kept when the source has none (coalesce in the update).
      const changed = was
        ? COMPARED.filter((c) => !(c === "external_number" && columns[c] === null) && !sameValue(was[c], columns[c]))
        : [];
      if (changed.length) {
        updateRows.push(columns);
        // The timeline says the import changed it: the fields an agent reads, from → to.
        const changes = Object.fromEntries(
          changed.filter((c) => SHOWN.has(c)).map((c) => [c, [plain(was![c]), plain(columns[c])]]),
        );
        eventRows.push({
          ticket_id: id,
          type: "ticket.updated",
          actor_kind: "system",
          actor_id: null,
          data: { changes, fields: changed, by_import: true, source_key: t.key },
          at: now.toISOString(),
        });
      } else unchanged++;
      for (const m of good) addMessage(id, t.channel, m);
      continue;
    }
    if (columns.keep_number !== null) keptNumbers = true;
    const added = good.flatMap((m) => addMessage(id, t.channel, m) ?? []);
    // Eskala keeps a resolution's words as an internal note at the solve.
    if (t.resolution)
      addMessage(id, t.channel, {
        at: ticket.at,
        record: {
          key: `${t.key}#resolution`,
          ticket_key: t.key,
          public: false,
          body_text: t.resolution,
          created_at: solvedAt ?? t.updated_at ?? t.created_at,
        },
      });
    const replies = added.filter((m) => m.kind === "reply");
    const agentReplies = replies.filter((m) => m.role !== "customer" && m.role !== "system");
    const customerMessages = replies.filter((m) => m.role === "customer");
    Object.assign(columns, {
      first_response_at: iso(t.first_response_at) ?? agentReplies[0]?.at.toISOString() ?? null,
      last_agent_reply_at: agentReplies.at(-1)?.at.toISOString() ?? null,
      last_customer_message_at: customerMessages.at(-1)?.at.toISOString() ?? null,
    });
    ticketRows.push(columns);
    eventRows.push({
      ticket_id: id,
      type: "ticket.imported",
      actor_kind: "system",
      actor_id: null,
      data: {
        channel: t.channel,
        priority: t.priority,
        tier,
        group_id: groupId,
        imported_at: now.toISOString(),
        source_key: t.key,
        ...(t.number != null ? { external_number: String(t.number) } : {}),
      },
      at: iso(t.created_at),
    });
    const status = (from: string, to: string, at: string) =>
      eventRows.push({
        ticket_id: id,
        type: "ticket.updated",
        actor_kind: "system",
        actor_id: null,
        data: { changes: { status: [from, to] }, imported: true },
        at,
      });
    if (done) {
      status("new", "solved", iso(solvedAt)!);
      if (closedAt) status("solved", "closed", iso(closedAt)!);
      if (t.satisfaction)
        surveyRows.push({
          ticket_id: id,
          requester_id: requesterId,
          solved_at: iso(solvedAt),
          solved_tier: tier,
          rating: t.satisfaction.rating,
          comment: t.satisfaction.comment ?? null,
          rated_at: iso(t.satisfaction.rated_at) ?? iso(solvedAt),
        });
    } else {
      if (t.status !== "new") {
        const since = t.status === "open" ? (agentReplies[0]?.at.toISOString() ?? null) : null;
        status("new", t.status, since ?? iso(t.updated_at ?? t.created_at)!);
      }
      open.push({
        id,
        messages: replies
          .filter((m) => m.role !== "system")
          .map((m) => ({ at: m.at, author: m.role === "customer" ? ("customer" as const) : ("agent" as const) }))
          .sort((a, b) => a.at.getTime() - b.at.getTime()),
      });
    }
  }
  for (const m of lateOk) {
    const ticketId = ref("tickets", m.record.ticket_key)!;
    addMessage(ticketId, m.record.channel ?? "email", m);
  }

  // 4. Writes: each table in one statement.
  if (ticketRows.length)
    await sql`
      insert into tickets (id, number, subject, description, requester_id, organization_id, channel, status, priority,
        priority_rank, language, category_id, tags, tier, group_id, assignee_id, resolution_code, solved_tier,
        first_response_at, last_agent_reply_at, last_customer_message_at, solved_at, closed_at, created_at, updated_at,
        tier_entered_at, external_number, sla_policy_id)
      select r.id,
        case when r.keep_number is not null and not exists (select 1 from tickets x where x.number = r.keep_number)
          then r.keep_number else nextval('ticket_number_seq') end,
        r.subject, r.description, r.requester_id, r.organization_id, r.channel, r.status, r.priority,
        r.priority_rank, r.language, r.category_id, r.tags, r.tier, r.group_id, r.assignee_id, r.resolution_code,
        r.solved_tier, r.first_response_at, r.last_agent_reply_at, r.last_customer_message_at, r.solved_at,
        r.closed_at, r.created_at, r.updated_at, r.created_at, r.external_number, r.sla_policy_id
      from jsonb_to_recordset(${JSON.stringify(ticketRows)}::jsonb) as r(id uuid, keep_number bigint, subject text,
        description text, requester_id uuid, organization_id uuid, channel text, status text, priority text,
        priority_rank smallint, language text, category_id uuid, tags text[], tier int, group_id uuid,
        assignee_id uuid, resolution_code text, solved_tier int, first_response_at timestamptz,
        last_agent_reply_at timestamptz, last_customer_message_at timestamptz, solved_at timestamptz,
        closed_at timestamptz, created_at timestamptz, updated_at timestamptz, external_number text,
        sla_policy_id uuid)`.execute(trx);
  if (updateRows.length)
    await sql`
      update tickets t set subject = r.subject, description = r.description, status = r.status,
        priority = r.priority, priority_rank = r.priority_rank, category_id = r.category_id, tags = r.tags,
        group_id = r.group_id, assignee_id = r.assignee_id, resolution_code = r.resolution_code,
        solved_at = r.solved_at, closed_at = r.closed_at, updated_at = r.updated_at,
        external_number = coalesce(r.external_number, t.external_number), version = t.version + 1
      from jsonb_to_recordset(${JSON.stringify(updateRows)}::jsonb) as r(id uuid, subject text, description text,
        status text, priority text, priority_rank smallint, category_id uuid, tags text[], group_id uuid,
        assignee_id uuid, resolution_code text, solved_at timestamptz, closed_at timestamptz,
        updated_at timestamptz, external_number text)
      where t.id = any(${updateRows.map((r) => r.id as string)}::uuid[]) and t.id = r.id`.execute(trx);
  if (messageRows.length)
    await sql`
      insert into messages (id, ticket_id, author_id, kind, body, channel, created_at)
      select id, ticket_id, author_id, kind, body, channel, created_at
      from jsonb_to_recordset(${JSON.stringify(messageRows)}::jsonb) as r(id uuid, ticket_id uuid, author_id uuid,
        kind text, body text, channel text, created_at timestamptz)`.execute(trx);
  if (eventRows.length)
    await sql`
      insert into ticket_events (ticket_id, type, actor_kind, actor_id, data, at)
      select ticket_id, type, actor_kind, actor_id, data, at
      from jsonb_to_recordset(${JSON.stringify(eventRows)}::jsonb) as r(ticket_id uuid, type text, actor_kind text,
        actor_id uuid, data jsonb, at timestamptz)`.execute(trx);
  if (surveyRows.length)
    await sql`
      insert into csat_surveys (ticket_id, requester_id, solved_at, solved_tier, escalated, expires_at, rating,
        comment, rated_at, created_at)
      select ticket_id, requester_id, solved_at, solved_tier, false, solved_at, rating, comment, rated_at, solved_at
      from jsonb_to_recordset(${JSON.stringify(surveyRows)}::jsonb) as r(ticket_id uuid, requester_id uuid,
        solved_at timestamptz, solved_tier int, rating int, comment text, rated_at timestamptz)`.execute(trx);
  for (const job of attachmentJobs) skips.push(...(await writeAttachments(trx, job, opts.attachmentsDir)));
  await writeMappings(trx, "tickets", ticketMaps, now);
  await writeMappings(trx, "messages", messageMaps, now);
  return {
    tickets: { created: ticketRows.length, updated: updateRows.length, unchanged },
    messages: { created: messageRows.length, unchanged: messagesUnchanged },
    skips,
    warnings,
    open,
    keptNumbers,
  };
}

/** Moves the number sequence past numbers taken from the source. */
export async function advanceNumbers(trx: Trx): Promise<void> {
  await sql`select setval('ticket_number_seq', greatest((select max(number) from tickets),
    (select last_value from ticket_number_seq)))`.execute(trx);
}

/** A message's attachments whose files came with the export; one without a file is reported. */
async function writeAttachments(
  trx: Trx,
  job: { ticketId: string; messageId: string; m: TransferMessage; at: string },
  dir: string | null,
): Promise<TicketBatchResult["skips"]> {
  const skips: TicketBatchResult["skips"] = [];
  for (const a of job.m.attachments ?? []) {
    const path = a.path ? normalize(a.path) : null;
    if (!dir || !path || path.startsWith("..") || path.startsWith("/")) {
      skips.push({ at: job.at, kind: "attachments", key: a.name, reason: "attachment file not in the export" });
      continue;
    }
    let data: Buffer;
    try {
      data = await readFile(join(dir, path));
    } catch {
      skips.push({ at: job.at, kind: "attachments", key: a.name, reason: `attachment file missing: ${path}` });
      continue;
    }
    await trx
      .insertInto("attachments")
      .values({
        message_id: job.messageId,
        ticket_id: job.ticketId,
        filename: a.name,
        content_type: a.content_type,
        size: data.length,
        data,
      })
      .execute();
  }
  return skips;
}
