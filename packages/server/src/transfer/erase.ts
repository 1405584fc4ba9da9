/**
 * `eskala erase --requester email` (issue 21): removes a customer's personal data and keeps the
 * anonymous statistics. What changes:
 *   - their user row: name → the placeholder, email → `erased-<id>@erased.invalid`, no password,
 *     disabled; their sessions, sign-in links and in-app notifications are deleted;
 *   - their tickets: subject and description → the placeholder; their messages' text → the
 *     placeholder; their attachments (on their messages and on their tickets' descriptions) deleted;
 *     their satisfaction comments and escalation-request words → the placeholder;
 *   - on their tickets, any text that repeats their words (timeline event data, handoff notes and
 *     escalation handoffs quoting them) or names them (staff replies "Halo Budi", email payloads);
 *   - everywhere else, every text or JSON column of every table that holds their email address.
 * What stays: the tickets themselves (status, priority, tier, times), escalations, SLA ledgers,
 * timers, satisfaction ratings, counts — reports count the same before and after.
 *
 * Tickets are rewritten a batch at a time (one transaction each); the user row, the sweep of the
 * other tables, the audit entry and the `erasures` record are the last transaction, so a run that
 * stops part-way is finished by running it again. Idempotent: a second run for the same address
 * finds the `erasures` record (a keyed hash of the address, never the address) and changes nothing.
 * The timeline and the audit log are append-only; migration 038 lets the erasure's transaction
 * (setting `eskala.erasure`) rewrite their words, never delete a row. The audit log records the
 * erasure (who was erased by id, and the counts) without the personal data.
 */
import { createHmac } from "node:crypto";
import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../db/schema.ts";
import { endUserSessions } from "../auth/session-end.ts";

export const ERASED = "[dihapus / erased]";

export interface EraseOptions {
  email: string;
  /** The instance's signing secret (channels/settings.ts), the key of the address's hash. */
  secret: string;
  dryRun?: boolean;
  now?: Date;
  /** Tickets per transaction (200). */
  batch?: number;
  onTotal?: (tickets: number) => void;
  onProgress?: (tickets: number) => void;
}

export interface EraseSummary {
  /** Already erased by an earlier run: nothing changed. */
  already: boolean;
  user_id: string | null;
  tickets: number;
  messages: number;
  attachments: number;
  satisfaction_comments: number;
  escalation_requests: number;
  /** Rows elsewhere that held the address or, on the customer's tickets, their name or words. */
  other_rows: number;
  dry_run: boolean;
}

export class EraseError extends Error {}

const escapeRe = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, (c) => `\\${c}`);
const jsRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A user's words, name and address, replaced in any string: exact substrings and excerpts of them. */
function scrubber(words: string[], name: string | null, email: string) {
  const texts = words.map((w) => w.trim()).filter((w) => w.length >= 8 && w !== ERASED);
  const patterns = [new RegExp(jsRe(email), "gi")];
  if (name) patterns.push(new RegExp(`(?<![\\p{L}\\p{N}])${jsRe(name)}(?![\\p{L}\\p{N}])`, "giu"));
  const scrubString = (s: string): string => {
    let out = s;
    for (const w of texts) if (out.includes(w)) out = out.split(w).join(ERASED);
    // An excerpt (a shortened quote: "Sejak kemarin saya tid…") of the customer's words.
    const bare = out.replace(/(…|\.\.\.)\s*$/u, "").trim();
    if (bare.length >= 8 && bare !== ERASED && texts.some((w) => w.includes(bare))) return ERASED;
    for (const p of patterns) out = out.replace(p, ERASED);
    return out;
  };
  const scrub = (v: unknown): unknown => {
    if (typeof v === "string") return scrubString(v);
    if (Array.isArray(v)) return v.map(scrub);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x)]));
    return v;
  };
  return { scrub, scrubString };
}

/** The text, JSON and text-array columns of every table, for the sweep. */
async function textColumns(db: Kysely<DB>) {
  const { rows } = await sql<{ table_name: string; column_name: string; data_type: string; has_ticket: boolean }>`
    select c.table_name, c.column_name, c.data_type,
      exists (select 1 from information_schema.columns k
        where k.table_schema = c.table_schema and k.table_name = c.table_name and k.column_name = 'ticket_id') as has_ticket
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE' and c.is_generated = 'NEVER'
      and (c.data_type in ('text', 'character varying', 'jsonb', 'json') or (c.data_type = 'ARRAY' and c.udt_name = '_text'))
      and c.table_name not in ('erasures', 'schema_migrations')
    order by c.table_name, c.ordinal_position`.execute(db);
  const tables = new Map<string, { columns: { name: string; type: string }[]; hasTicket: boolean }>();
  for (const r of rows) {
    const t = tables.get(r.table_name) ?? { columns: [], hasTicket: r.has_ticket };
    t.columns.push({ name: r.column_name, type: r.data_type });
    tables.set(r.table_name, t);
  }
  return tables;
}

/** `col ~* pattern` for any column kind, and the column with the pattern replaced. */
function columnSql(c: { name: string; type: string }, pattern: string) {
  const col = sql.ref(c.name);
  if (c.type === "ARRAY")
    return {
      matches: sql`array_to_string(${col}, ' ') ~* ${pattern}`,
      replaced: sql`array(select regexp_replace(x, ${pattern}, ${ERASED}, 'gi') from unnest(${col}) x)`,
    };
  if (c.type === "jsonb" || c.type === "json") {
    // The placeholder has no character JSON escapes, so replacing inside the JSON text keeps it valid.
    return {
      matches: sql`${col}::text ~* ${pattern}`,
      replaced: sql`regexp_replace(${col}::text, ${pattern}, ${ERASED}, 'gi')::${sql.raw(c.type)}`,
    };
  }
  return { matches: sql`${col} ~* ${pattern}`, replaced: sql`regexp_replace(${col}, ${pattern}, ${ERASED}, 'gi')` };
}

/** Rewrites (or, for a dry run, counts) the rows of every table holding the pattern; returns the rows. */
async function sweep(
  trx: Kysely<DB>,
  tables: Awaited<ReturnType<typeof textColumns>>,
  pattern: string,
  ticketIds: string[] | null,
  dryRun: boolean,
): Promise<number> {
  let changed = 0;
  for (const [table, t] of tables) {
    if (ticketIds && !t.hasTicket) continue;
    const cols = t.columns.map((c) => ({ c, ...columnSql(c, pattern) }));
    const any = sql.join(
      cols.map((x) => x.matches),
      sql` or `,
    );
    const scope = ticketIds ? sql`ticket_id = any(${ticketIds}::uuid[]) and` : sql``;
    if (dryRun) {
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from ${sql.table(table)} where ${scope} (${any})`.execute(trx);
      changed += rows[0]!.n;
      continue;
    }
    const sets = sql.join(
      cols.map(
        (x) => sql`${sql.ref(x.c.name)} = case when ${x.matches} then ${x.replaced} else ${sql.ref(x.c.name)} end`,
      ),
    );
    const res = await sql`update ${sql.table(table)} set ${sets} where ${scope} (${any})`.execute(trx);
    changed += Number(res.numAffectedRows ?? 0);
  }
  return changed;
}

/** Rewrites, row by row, the text of every table's rows that belong to the given tickets. */
async function scrubTicketRows(
  trx: Kysely<DB>,
  tables: Awaited<ReturnType<typeof textColumns>>,
  ids: string[],
  scrub: (v: unknown) => unknown,
): Promise<number> {
  let changed = 0;
  for (const [table, t] of tables) {
    if (!t.hasTicket) continue;
    const cols = sql.join(t.columns.map((c) => sql.ref(c.name)));
    const { rows } = await sql<Record<string, unknown>>`
      select ctid::text as row_ctid, ${cols} from ${sql.table(table)} where ticket_id = any(${ids}::uuid[])`.execute(
      trx,
    );
    for (const row of rows) {
      const sets = [];
      for (const c of t.columns) {
        const v = row[c.name];
        if (v === null || v === undefined) continue;
        const next = scrub(v);
        if (JSON.stringify(next) === JSON.stringify(v)) continue;
        const value =
          c.type === "jsonb" || c.type === "json" ? sql`${JSON.stringify(next)}::${sql.raw(c.type)}` : sql`${next}`;
        sets.push(sql`${sql.ref(c.name)} = ${value}`);
      }
      if (!sets.length) continue;
      await sql`update ${sql.table(table)} set ${sql.join(sets)} where ctid = ${row.row_ctid}::tid`.execute(trx);
      changed++;
    }
  }
  return changed;
}

const erasing = (trx: Transaction<DB>) => sql`select set_config('eskala.erasure', 'on', true)`.execute(trx);

export async function eraseRequester(db: Kysely<DB>, opts: EraseOptions): Promise<EraseSummary> {
  const email = opts.email.trim().toLowerCase();
  const now = opts.now ?? new Date();
  const batch = opts.batch ?? 200;
  const dryRun = Boolean(opts.dryRun);
  const hash = createHmac("sha256", opts.secret).update(`erasure:${email}`).digest("hex");
  const none: EraseSummary = {
    already: true,
    user_id: null,
    tickets: 0,
    messages: 0,
    attachments: 0,
    satisfaction_comments: 0,
    escalation_requests: 0,
    other_rows: 0,
    dry_run: dryRun,
  };

  const user = await db
    .selectFrom("users")
    .select(["id", "name", "email", "role"])
    .where(sql<boolean>`lower(email) = ${email}`)
    .executeTakeFirst();
  if (!user) {
    const done = await db
      .withTables<{ erasures: { user_id: string; email_hash: string } }>()
      .selectFrom("erasures")
      .select("user_id")
      .where("email_hash", "=", hash)
      .executeTakeFirst();
    if (done) return { ...none, user_id: done.user_id };
    throw new EraseError(`No customer has the email address ${opts.email.trim()}`);
  }
  if (user.role !== "customer")
    throw new EraseError(`${opts.email.trim()} is a staff member (${user.role}): erase removes customers' data only`);

  const ticketIds = (
    await db
      .selectFrom("tickets")
      .select("id")
      .where("requester_id", "=", user.id)
      .orderBy("created_at")
      .orderBy("id")
      .execute()
  ).map((r) => r.id);
  opts.onTotal?.(ticketIds.length);
  const summary: EraseSummary = { ...none, already: false, user_id: user.id };
  const tables = await textColumns(db);
  const name = user.name.trim().length >= 3 ? user.name.trim() : null;
  const namePattern = name ? `\\m${escapeRe(name)}\\M` : null;
  const emailPattern = escapeRe(email);

  let done = 0;
  for (let i = 0; i < ticketIds.length; i += batch) {
    const ids = ticketIds.slice(i, i + batch);
    await db.transaction().execute(async (trx) => {
      await erasing(trx);
      const tickets = await trx
        .selectFrom("tickets")
        .select(["id", "subject", "description", "handoff_note"])
        .where("id", "=", sql<string>`any(${ids}::uuid[])`)
        .forUpdate()
        .execute();
      const messages = await trx
        .selectFrom("messages")
        .select(["id", "body"])
        .where("ticket_id", "=", sql<string>`any(${ids}::uuid[])`)
        .where("author_id", "=", user.id)
        .execute();
      const requests = await trx
        .selectFrom("escalation_requests")
        .select(["id", "text"])
        .where("ticket_id", "=", sql<string>`any(${ids}::uuid[])`)
        .where("requester_id", "=", user.id)
        .execute();
      const words = [
        ...tickets.flatMap((t) => [t.subject, t.description]),
        ...messages.map((m) => m.body),
        ...requests.map((r) => r.text ?? ""),
      ];
      const { scrub } = scrubber(words, name, email);
      const attachments = await trx
        .selectFrom("attachments")
        .select("id")
        .where((eb) =>
          eb.or([
            ...(messages.length ? [eb("message_id", "=", sql<string>`any(${messages.map((m) => m.id)}::uuid[])`)] : []),
            eb.and([eb("message_id", "is", null), eb("ticket_id", "=", sql<string>`any(${ids}::uuid[])`)]),
          ]),
        )
        .execute();
      const comments = await trx
        .selectFrom("csat_surveys")
        .select("id")
        .where("ticket_id", "=", sql<string>`any(${ids}::uuid[])`)
        .where("comment", "is not", null)
        .where("comment", "<>", ERASED)
        .execute();
      summary.tickets += tickets.length;
      summary.messages += messages.filter((m) => m.body !== ERASED).length;
      summary.attachments += attachments.length;
      summary.satisfaction_comments += comments.length;
      summary.escalation_requests += requests.filter((r) => r.text !== null && r.text !== ERASED).length;
      if (dryRun) return;

      await trx
        .updateTable("tickets")
        .set({ subject: ERASED, description: ERASED })
        .where("id", "=", sql<string>`any(${ids}::uuid[])`)
        .execute();
      for (const t of tickets) {
        if (t.handoff_note)
          await trx
            .updateTable("tickets")
            .set({ handoff_note: JSON.stringify(scrub(t.handoff_note)) })
            .where("id", "=", t.id)
            .execute();
      }
      if (messages.length)
        await trx
          .updateTable("messages")
          .set({ body: ERASED })
          .where("id", "=", sql<string>`any(${messages.map((m) => m.id)}::uuid[])`)
          .execute();
      if (attachments.length)
        await trx
          .deleteFrom("attachments")
          .where("id", "=", sql<string>`any(${attachments.map((a) => a.id)}::uuid[])`)
          .execute();
      if (comments.length)
        await trx
          .updateTable("csat_surveys")
          .set({ comment: ERASED })
          .where("id", "=", sql<string>`any(${comments.map((c) => c.id)}::uuid[])`)
          .execute();
      if (requests.length)
        await trx
          .updateTable("escalation_requests")
          .set({ text: ERASED })
          .where("id", "=", sql<string>`any(${requests.map((r) => r.id)}::uuid[])`)
          .where("text", "is not", null)
          .execute();
      // Their words, name and address wherever rows of their tickets repeat them: the timeline,
      // escalations' handoffs, staff replies ("Halo Budi"), email and webhook payloads.
      summary.other_rows += await scrubTicketRows(trx, tables, ids, scrub);
    });
    done += ids.length;
    opts.onProgress?.(done);
  }

  // The person, the sweep of the address everywhere, the audit entry and the record of the erasure.
  const finish = async (trx: Kysely<DB>) => {
    summary.other_rows += await sweep(trx, tables, emailPattern, null, dryRun);
    // What they wrote on tickets of others (an organisation's shared tickets).
    const elsewhere = (
      await trx
        .selectFrom("messages")
        .select("id")
        .where("author_id", "=", user.id)
        .where("body", "<>", ERASED)
        .where(sql<boolean>`not (ticket_id = any(${ticketIds}::uuid[]))`)
        .execute()
    ).map((m) => m.id);
    summary.messages += elsewhere.length;
    if (dryRun) return;
    if (elsewhere.length) {
      await trx
        .updateTable("messages")
        .set({ body: ERASED })
        .where("id", "=", sql<string>`any(${elsewhere}::uuid[])`)
        .execute();
      const files = await trx
        .deleteFrom("attachments")
        .where("message_id", "=", sql<string>`any(${elsewhere}::uuid[])`)
        .executeTakeFirst();
      summary.attachments += Number(files.numDeletedRows);
    }
    await trx
      .updateTable("users")
      .set({ name: ERASED, email: `erased-${user.id}@erased.invalid`, password_hash: null, disabled: true })
      .where("id", "=", user.id)
      .execute();
    // Signed out everywhere: sessions deleted (and every process told), API tokens revoked.
    await endUserSessions(trx, user.id);
    await trx
      .updateTable("api_tokens")
      .set({ revoked_at: now })
      .where("user_id", "=", user.id)
      .where("revoked_at", "is", null)
      .execute();
    await trx.deleteFrom("magic_links").where("user_id", "=", user.id).execute();
    await trx.deleteFrom("notifications").where("user_id", "=", user.id).execute();
    // The audit log's rows of this person (their creation by an admin, and the update just made).
    if (namePattern)
      await sql`update audit_log set before = regexp_replace(before::text, ${namePattern}, ${ERASED}, 'gi')::jsonb,
        after = regexp_replace(after::text, ${namePattern}, ${ERASED}, 'gi')::jsonb
      where entity = 'user' and entity_id = ${user.id}`.execute(trx);
    await sql`update audit_log set before = regexp_replace(before::text, ${emailPattern}, ${ERASED}, 'gi')::jsonb,
        after = regexp_replace(after::text, ${emailPattern}, ${ERASED}, 'gi')::jsonb, entity_name = ${ERASED}
      where entity = 'user' and entity_id = ${user.id}`.execute(trx);
    const counts = {
      erased: true,
      tickets: summary.tickets,
      messages: summary.messages,
      attachments: summary.attachments,
      satisfaction_comments: summary.satisfaction_comments,
      other_rows: summary.other_rows,
    };
    await sql`insert into audit_log (at, actor_id, actor_name, action, entity, entity_id, entity_name, before, after)
      values (${now}, null, 'Eskala', 'updated', 'user', ${user.id}, ${ERASED}, null, ${JSON.stringify(counts)}::jsonb)`.execute(
      trx,
    );
    await sql`insert into erasures (user_id, email_hash, erased_at, summary)
      values (${user.id}, ${hash}, ${now}, ${JSON.stringify(counts)}::jsonb)`.execute(trx);
  };
  if (dryRun) await finish(db);
  else
    await db.transaction().execute(async (trx) => {
      await erasing(trx);
      await finish(trx);
    });
  return summary;
}
