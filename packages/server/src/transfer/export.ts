/**
 * `eskala export --out DIR` (issue 21): writes the instance's data in the transfer format
 * (format.ts) — manifest.json, one JSON-lines file per kind, the files under attachments/.
 *
 * Streaming with flat memory whatever the size: tickets are read in keyset batches on
 * `(created_at, id)` (the `tickets_created_idx` index; the cursor is PostgreSQL's own text of the
 * instant, so microseconds are kept), users in keyset batches on `id`; per batch of tickets one
 * query each for their satisfaction answers, messages, attachments' metadata and escalations
 * (`= any($ids)`), and the attachments' bytes a few at a time. Each batch becomes one chunk per file
 * and the next batch is read when the files have taken it (backpressure: `drain`). No transaction
 * is held between batches, so on the embedded database its one connection stays free; a ticket
 * created while the export runs is exported if its place in the order is still ahead.
 *
 * Scopes: everything; a period of ticket creation (`from` inclusive, `to` exclusive); one
 * organisation's tickets (with that organisation's people and all staff); or one customer's own
 * data (`requester`), for an access request under UU PDP: their user record, their tickets as the
 * customer view shows them (no group, assignee, priority, tags, SLA or escalations), their PUBLIC
 * messages (no internal notes) with their attachments, and their satisfaction answers. Such an
 * export is a copy for the customer, marked `purpose: "access_request"`, not meant for import.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import { join } from "node:path";
import { sql, type Expression, type Kysely, type SqlBool } from "kysely";
import type { DB } from "../db/schema.ts";
import {
  TRANSFER_FORMAT,
  TRANSFER_VERSION,
  transferKey,
  type TransferAttachment,
  type TransferKind,
  type TransferManifest,
} from "./format.ts";

export interface ExportOptions {
  out: string;
  /** Tickets created at or after this instant. */
  from?: Date | undefined;
  /** Tickets created before this instant. */
  to?: Date | undefined;
  /** An organisation's name or id. */
  organization?: string | undefined;
  /** A customer's email: their own data alone. */
  requester?: string | undefined;
  /** Tickets per batch (2,000). */
  batch?: number;
  now?: Date;
  /** The total once known, then the tickets written so far (a Progress from lib/progress.ts). */
  onTotal?: (tickets: number) => void;
  onProgress?: (tickets: number) => void;
}

export interface ExportResult {
  manifest: TransferManifest;
  attachments: number;
  bytes: number;
}

/** A refusal the CLI prints as is (exit code 1). */
export class ExportError extends Error {}

const key = (kind: string, id: string) => transferKey("eskala", kind, id);
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** One JSON-lines file, written chunk by chunk with backpressure. */
class Lines {
  count = 0;
  private readonly stream: WriteStream;
  constructor(path: string) {
    this.stream = createWriteStream(path);
  }
  async write(records: unknown[]) {
    if (!records.length) return;
    this.count += records.length;
    let text = "";
    for (const r of records) text += JSON.stringify(r) + "\n";
    if (!this.stream.write(text)) await once(this.stream, "drain");
  }
  async close() {
    this.stream.end();
    await finished(this.stream);
  }
}

/** A file name safe on any file system, keeping the extension readable. */
function safeName(name: string): string {
  const cleaned = name.replace(/[^\p{L}\p{N}._-]+/gu, "_").replace(/^\.+/, "_");
  return cleaned.slice(-100) || "file";
}

export async function exportData(db: Kysely<DB>, opts: ExportOptions): Promise<ExportResult> {
  const batch = opts.batch ?? 2_000;
  const now = opts.now ?? new Date();
  if (opts.requester && (opts.organization || opts.from || opts.to))
    throw new ExportError("--requester exports one customer's own data: it takes no --from, --to or --organization");
  if (opts.from && opts.to && opts.from >= opts.to) throw new ExportError("--from must be before --to");

  // The scope: which tickets, which people.
  let org: { id: string; name: string } | undefined;
  if (opts.organization) {
    const wanted = opts.organization.trim();
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(wanted);
    org = await db
      .selectFrom("organizations")
      .select(["id", "name"])
      .where((eb) =>
        isUuid
          ? eb.or([eb("id", "=", wanted), eb(eb.fn("lower", ["name"]), "=", wanted.toLowerCase())])
          : eb(eb.fn("lower", ["name"]), "=", wanted.toLowerCase()),
      )
      .executeTakeFirst();
    if (!org) throw new ExportError(`No organisation is named or numbered "${wanted}"`);
  }
  let customer: { id: string; organization_id: string | null } | undefined;
  if (opts.requester) {
    const email = opts.requester.trim().toLowerCase();
    customer = await db
      .selectFrom("users")
      .select(["id", "organization_id", "role"])
      .where(sql<SqlBool>`lower(email) = ${email}`)
      .executeTakeFirst();
    if (!customer) throw new ExportError(`No customer has the email address ${opts.requester.trim()}`);
  }
  const personal = customer !== undefined;
  const ticketScope = (t: string): Expression<SqlBool>[] => {
    const where: Expression<SqlBool>[] = [];
    if (opts.from) where.push(sql<SqlBool>`${sql.ref(`${t}.created_at`)} >= ${opts.from}`);
    if (opts.to) where.push(sql<SqlBool>`${sql.ref(`${t}.created_at`)} < ${opts.to}`);
    if (org) where.push(sql<SqlBool>`${sql.ref(`${t}.organization_id`)} = ${org.id}`);
    if (customer) where.push(sql<SqlBool>`${sql.ref(`${t}.requester_id`)} = ${customer.id}`);
    return where;
  };
  const filtered = Boolean(opts.from || opts.to || org);

  // The folder: new or empty, never mixed with an earlier export.
  await mkdir(opts.out, { recursive: true });
  if ((await readdir(opts.out)).length > 0) throw new ExportError(`${opts.out} is not empty: export into a new folder`);
  const attachmentsDir = join(opts.out, "attachments");
  await mkdir(attachmentsDir);

  const files = {} as Record<TransferKind, Lines>;
  const kinds: TransferKind[] = personal
    ? ["organizations", "users", "tickets", "messages"]
    : ["organizations", "users", "groups", "categories", "tickets", "messages", "escalations"];
  for (const k of kinds) files[k] = new Lines(join(opts.out, `${k}.jsonl`));
  let attachments = 0;
  let bytes = 0;

  try {
    // Organisations, groups, categories: configuration-sized tables, one read each.
    const orgs = await db
      .selectFrom("organizations")
      .selectAll()
      .$if(Boolean(org), (q) => q.where("id", "=", org!.id))
      .$if(personal, (q) => q.where("id", "=", customer!.organization_id ?? "00000000-0000-0000-0000-000000000000"))
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    await files.organizations.write(
      orgs.map((o) =>
        personal
          ? { key: key("organization", o.id), name: o.name }
          : {
              key: key("organization", o.id),
              name: o.name,
              domain: o.domain,
              segment: o.segment,
              shared_tickets: o.shared_tickets,
              created_at: iso(o.created_at),
            },
      ),
    );
    if (!personal) {
      const groups = await db.selectFrom("groups").selectAll().orderBy("created_at").orderBy("id").execute();
      await files.groups.write(
        groups.map((g) => ({
          key: key("group", g.id),
          name: g.name,
          kind: g.kind,
          tier_level: g.tier_level,
          email_address: g.email_address,
          created_at: iso(g.created_at),
        })),
      );
      const categories = await db.selectFrom("categories").selectAll().orderBy("created_at").orderBy("id").execute();
      await files.categories.write(
        categories.map((c) => ({ key: key("category", c.id), name: c.name, skill: c.skill })),
      );
    }

    // People, in keyset batches on id: all of them, or staff and the people of the scope's tickets.
    let lastUser: string | null = null;
    for (;;) {
      const users = await db
        .selectFrom("users as u")
        .leftJoin("agent_profiles as p", "p.user_id", "u.id")
        .select([
          "u.id",
          "u.email",
          "u.name",
          "u.role",
          "u.language",
          "u.organization_id",
          "u.disabled",
          "u.created_at",
          "p.tier",
        ])
        .$if(lastUser !== null, (q) => q.where("u.id", ">", lastUser!))
        .$if(personal, (q) => q.where("u.id", "=", customer!.id))
        .$if(filtered, (q) =>
          q.where((eb) =>
            eb.or([
              eb("u.role", "<>", "customer"),
              ...(org ? [eb("u.organization_id", "=", org.id)] : []),
              eb.exists(
                eb
                  .selectFrom("tickets as t")
                  .select(sql`1`.as("one"))
                  .where((w) => w.and([w("t.requester_id", "=", w.ref("u.id")), ...ticketScope("t")])),
              ),
            ]),
          ),
        )
        .orderBy("u.id")
        .limit(batch)
        .execute();
      if (!users.length) break;
      lastUser = users.at(-1)!.id;
      const staffIds = users.filter((u) => u.role !== "customer").map((u) => u.id);
      const memberships = new Map<string, string[]>();
      if (staffIds.length && !personal) {
        const rows = await db
          .selectFrom("group_members")
          .select(["user_id", "group_id"])
          .where("user_id", "=", sql<string>`any(${staffIds}::uuid[])`)
          .execute();
        for (const r of rows)
          memberships.set(r.user_id, [...(memberships.get(r.user_id) ?? []), key("group", r.group_id)]);
      }
      await files.users.write(
        users.map((u) =>
          personal
            ? {
                key: key("user", u.id),
                email: u.email,
                name: u.name,
                role: u.role,
                language: u.language,
                org_key: u.organization_id ? key("organization", u.organization_id) : null,
                created_at: iso(u.created_at),
              }
            : {
                key: key("user", u.id),
                email: u.email,
                name: u.name,
                role: u.role,
                language: u.language,
                org_key: u.organization_id ? key("organization", u.organization_id) : null,
                disabled: u.disabled,
                ...(u.role !== "customer" ? { tier: u.tier ?? null, group_keys: memberships.get(u.id) ?? [] } : {}),
                created_at: iso(u.created_at),
              },
        ),
      );
      if (users.length < batch) break;
    }

    // Tickets, with their messages, attachments and escalations, batch by batch.
    const total = await db
      .selectFrom("tickets as t")
      .select(sql<number>`count(*)::int`.as("n"))
      .where((eb) => eb.and(ticketScope("t")))
      .executeTakeFirstOrThrow();
    opts.onTotal?.(total.n);
    let cursor = null as { at: string; id: string } | null;
    let done = 0;
    for (;;) {
      const c = cursor;
      const tickets = await db
        .selectFrom("tickets as t")
        .selectAll("t")
        .select(sql<string>`t.created_at::text`.as("cursor_at"))
        .where((eb) =>
          eb.and([
            ...ticketScope("t"),
            ...(c ? [sql<SqlBool>`(t.created_at, t.id) > (${c.at}::timestamptz, ${c.id}::uuid)`] : []),
          ]),
        )
        .orderBy("t.created_at")
        .orderBy("t.id")
        .limit(batch)
        .execute();
      if (!tickets.length) break;
      cursor = { at: tickets.at(-1)!.cursor_at, id: tickets.at(-1)!.id };
      const ids = tickets.map((t) => t.id);
      const idList = sql<string>`any(${ids}::uuid[])`;

      const [surveys, messages, escalations] = await Promise.all([
        db
          .selectFrom("csat_surveys")
          .select(["ticket_id", "rating", "comment", "rated_at"])
          .where("ticket_id", "=", idList)
          .where("rating", "is not", null)
          .orderBy("created_at")
          .execute(),
        db
          .selectFrom("messages")
          .select(["id", "ticket_id", "author_id", "kind", "body", "channel", "created_at"])
          .where("ticket_id", "=", idList)
          .$if(personal, (q) => q.where("kind", "=", "reply"))
          .orderBy("ticket_id")
          .orderBy("created_at")
          .orderBy("id")
          .execute(),
        personal
          ? Promise.resolve([])
          : db
              .selectFrom("escalations")
              .selectAll()
              .where("ticket_id", "=", idList)
              .orderBy("ticket_id")
              .orderBy("created_at")
              .orderBy("id")
              .execute(),
      ]);
      const messageIds = messages.map((m) => m.id);
      const files_ = await db
        .selectFrom("attachments")
        .select(["id", "message_id", "ticket_id", "filename", "content_type", "size"])
        .where((eb) =>
          eb.or([
            ...(messageIds.length ? [eb("message_id", "=", sql<string>`any(${messageIds}::uuid[])`)] : []),
            eb.and([eb("message_id", "is", null), eb("ticket_id", "=", idList)]),
          ]),
        )
        .orderBy("created_at")
        .orderBy("id")
        .execute();

      // The bytes, a few files at a time, each to attachments/<2 hex>/<id>-<name>.
      const paths = new Map<string, string>();
      for (let i = 0; i < files_.length; i += 16) {
        const chunk = files_.slice(i, i + 16);
        const data = await db
          .selectFrom("attachments")
          .select(["id", "data"])
          .where("id", "=", sql<string>`any(${chunk.map((f) => f.id)}::uuid[])`)
          .execute();
        for (const d of data) {
          const meta = chunk.find((f) => f.id === d.id)!;
          const rel = `${d.id.slice(0, 2)}/${d.id}-${safeName(meta.filename)}`;
          await mkdir(join(attachmentsDir, d.id.slice(0, 2)), { recursive: true });
          await writeFile(join(attachmentsDir, rel), d.data);
          paths.set(d.id, rel);
          attachments++;
          bytes += d.data.length;
        }
      }
      const attachmentsOf = new Map<string, TransferAttachment[]>();
      for (const f of files_) {
        const owner = f.message_id ?? `ticket:${f.ticket_id}`;
        const list = attachmentsOf.get(owner) ?? [];
        list.push({ name: f.filename, content_type: f.content_type, size: f.size, path: paths.get(f.id) ?? null });
        attachmentsOf.set(owner, list);
      }
      const satisfaction = new Map(surveys.map((s) => [s.ticket_id, s]));

      await files.tickets.write(
        tickets.map((t) => {
          const s = satisfaction.get(t.id);
          const own = attachmentsOf.get(`ticket:${t.id}`);
          const common = {
            key: key("ticket", t.id),
            number: t.number,
            subject: t.subject,
            description: t.description,
            status: t.status,
            channel: t.channel,
            language: t.language,
            requester_key: key("user", t.requester_id),
            tier: t.tier,
            created_at: t.created_at.toISOString(),
            updated_at: iso(t.updated_at),
            first_response_at: iso(t.first_response_at),
            solved_at: iso(t.solved_at),
            closed_at: iso(t.closed_at),
            satisfaction: s ? { rating: s.rating!, comment: s.comment, rated_at: iso(s.rated_at) } : null,
            ...(own ? { attachments: own } : {}),
          };
          if (personal)
            return { ...common, org_key: t.organization_id ? key("organization", t.organization_id) : null };
          return {
            ...common,
            priority: t.priority,
            org_key: t.organization_id ? key("organization", t.organization_id) : null,
            group_key: t.group_id ? key("group", t.group_id) : null,
            assignee_key: t.assignee_id ? key("user", t.assignee_id) : null,
            category_key: t.category_id ? key("category", t.category_id) : null,
            tags: t.tags,
            resolution_code: t.resolution_code,
          };
        }),
      );
      // Messages in the order of the tickets, each ticket's in time order.
      const order = new Map(ids.map((id, i) => [id, i]));
      messages.sort((a, b) => order.get(a.ticket_id)! - order.get(b.ticket_id)!);
      await files.messages.write(
        messages.map((m) => ({
          key: key("message", m.id),
          ticket_key: key("ticket", m.ticket_id),
          // The customer's copy names the customer; staff are "the help desk", not people.
          author_key: m.author_id && (!personal || m.author_id === customer!.id) ? key("user", m.author_id) : null,
          public: m.kind === "reply",
          body_text: m.body,
          channel: m.channel,
          created_at: m.created_at.toISOString(),
          ...(attachmentsOf.has(m.id) ? { attachments: attachmentsOf.get(m.id) } : {}),
        })),
      );
      if (!personal) {
        escalations.sort((a, b) => order.get(a.ticket_id)! - order.get(b.ticket_id)!);
        await files.escalations.write(
          escalations.map((e) => ({
            key: key("escalation", e.id),
            ticket_key: key("ticket", e.ticket_id),
            type: e.type,
            reason: e.reason,
            trigger: e.trigger,
            actor_key: e.actor_id ? key("user", e.actor_id) : null,
            from_tier: e.from_tier,
            to_tier: e.to_tier,
            from_group_key: e.from_group_id ? key("group", e.from_group_id) : null,
            to_group_key: e.to_group_id ? key("group", e.to_group_id) : null,
            note: e.note,
            created_at: e.created_at.toISOString(),
          })),
        );
      }
      done += tickets.length;
      opts.onProgress?.(done);
      if (tickets.length < batch) break;
    }
  } finally {
    await Promise.all(Object.values(files).map((f) => f.close()));
  }

  const filters: Record<string, unknown> = {};
  if (opts.from) filters.from = opts.from.toISOString();
  if (opts.to) filters.to = opts.to.toISOString();
  if (org) filters.organization = { key: key("organization", org.id), name: org.name };
  if (customer) {
    filters.requester = opts.requester!.trim();
    filters.purpose = "access_request";
  }
  const manifest: TransferManifest = {
    format: TRANSFER_FORMAT,
    version: TRANSFER_VERSION,
    exported_at: now.toISOString(),
    source: "eskala",
    counts: Object.fromEntries(kinds.map((k) => [k, files[k].count])),
    filters: Object.keys(filters).length ? filters : null,
  };
  await writeFile(join(opts.out, "manifest.json"), JSON.stringify({ ...manifest, attachments }, null, 2) + "\n");
  return { manifest, attachments, bytes };
}
