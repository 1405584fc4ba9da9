/**
 * The osTicket 1.18 source of `eskala import osticket mysql://user:pass@host:port/db`: reads an
 * osTicket database in MariaDB or MySQL directly (mysql2) and yields Eskala transfer records in
 * the pipeline's order — organisations, agents and customers, departments, help topics, SLA plans,
 * then each ticket followed by its thread entries. Large tables are read in keyset pages (by
 * primary key), a ticket page with its entries and attachments, so memory stays flat; attachment
 * contents (ost_file_chunk) are copied chunk by chunk to files under `attachmentsDir`.
 * Rows that cannot be imported (a ticket whose user does not exist, an entry whose thread has no
 * ticket, …) are reported through `onSkip` with their table, id and reason.
 *
 * The URL may carry `?prefix=ost_` (osTicket's table prefix, `ost_` by default) and
 * `?timezone=+07:00` (the zone osTicket's DATETIME columns are in, UTC by default).
 */
import { createWriteStream } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { once } from "node:events";
import path from "node:path";
import mysql from "mysql2/promise";
import type { TransferAttachment, TransferRecord } from "../format.ts";
import {
  mapCustomer,
  mapDepartment,
  mapEntry,
  mapOrganization,
  mapSlaPlan,
  mapStaff,
  mapTicket,
  mapTopic,
  osKey,
  type EntryRow,
  type Known,
  type OsTicketSkip,
  type TicketRow,
} from "./osticket-map.ts";

export type { OsTicketSkip } from "./osticket-map.ts";

/** A connection problem, said in one line fit for the terminal. */
export class OsTicketSourceError extends Error {
  override name = "OsTicketSourceError";
}

export interface OsTicketReadOptions {
  /** Where attachment contents are written (paths in the records are relative to it); null reads no contents. */
  attachmentsDir: string | null;
  onSkip?: (skip: OsTicketSkip) => void;
  /** Tickets per page (500). */
  pageSize?: number;
}

export interface OsTicketSource {
  /** host:port/database, for messages. */
  readonly label: string;
  records(opts: OsTicketReadOptions): AsyncGenerator<TransferRecord>;
  close(): Promise<void>;
}

const REQUIRED = ["ticket", "thread", "thread_entry", "user", "user_email", "ticket_status", "department", "staff"];
const OPTIONAL = [
  "ticket__cdata",
  "ticket_priority",
  "organization",
  "help_topic",
  "sla",
  "attachment",
  "file",
  "file_chunk",
  "user_account",
];

/** Connects and checks that the database looks like osTicket's; throws OsTicketSourceError with one clear line. */
export async function openOsTicket(url: string): Promise<OsTicketSource> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new OsTicketSourceError("the osTicket database is given as mysql://user:password@host:port/database");
  }
  if (u.protocol !== "mysql:" && u.protocol !== "mariadb:")
    throw new OsTicketSourceError(`expected a mysql:// URL, got ${u.protocol}//`);
  const host = u.hostname || "localhost";
  const port = Number(u.port || 3306);
  const user = decodeURIComponent(u.username || "root");
  const database = decodeURIComponent(u.pathname.replace(/^\//, ""));
  if (!database) throw new OsTicketSourceError("the URL names no database: mysql://user:password@host:port/database");
  const prefix = u.searchParams.get("prefix") ?? "ost_";
  if (!/^\w*$/.test(prefix)) throw new OsTicketSourceError(`the table prefix ${prefix} is not a plain name`);
  const where = `MariaDB at ${host}:${port}`;
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection({
      host,
      port,
      user,
      password: decodeURIComponent(u.password),
      database,
      timezone: u.searchParams.get("timezone") ?? "Z",
      charset: "utf8mb4",
      connectTimeout: 10_000,
      supportBigNumbers: true,
    });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === "ER_ACCESS_DENIED_ERROR" || e.code === "ER_DBACCESS_DENIED_ERROR")
      throw new OsTicketSourceError(`cannot connect to ${where} as ${user}: access denied`);
    if (e.code === "ER_BAD_DB_ERROR")
      throw new OsTicketSourceError(`cannot read ${where}: there is no database ${database}`);
    if (e.code === "ECONNREFUSED")
      throw new OsTicketSourceError(`cannot connect to ${where}: connection refused (is it running?)`);
    if (e.code === "ENOTFOUND") throw new OsTicketSourceError(`cannot connect to ${where}: no such host`);
    throw new OsTicketSourceError(`cannot connect to ${where} as ${user}: ${e.message ?? String(err)}`);
  }
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()",
  );
  const tables = new Set(rows.map((r) => String(r.name)));
  const missing = REQUIRED.filter((t) => !tables.has(prefix + t));
  if (missing.length) {
    await conn.end();
    throw new OsTicketSourceError(
      `${database} at ${host}:${port} is not an osTicket database: no table ${missing.map((t) => prefix + t).join(", ")}`,
    );
  }
  const has = new Set(OPTIONAL.filter((t) => tables.has(prefix + t)));
  return {
    label: `${host}:${port}/${database}`,
    records: (opts) => readRecords(conn, prefix, has, opts),
    close: () => conn.end(),
  };
}

type Row = mysql.RowDataPacket;

async function* readRecords(
  conn: mysql.Connection,
  p: string,
  has: Set<string>,
  opts: OsTicketReadOptions,
): AsyncGenerator<TransferRecord> {
  const skip = opts.onSkip ?? (() => {});
  const pageSize = opts.pageSize ?? 500;
  const q = async <T = Row>(sql: string, params: unknown[] = []) =>
    (await conn.query<Row[]>(sql.replaceAll("ost_", p), params))[0] as T[];
  /** Rows of a table in pages of its primary key. */
  async function* pages(sql: string, idColumn: string, size = 1000): AsyncGenerator<Row[]> {
    let after: number = -1;
    for (;;) {
      const rows = await q(`${sql} AND ${idColumn} > ? ORDER BY ${idColumn} LIMIT ${size}`, [after]);
      if (rows.length === 0) return;
      yield rows;
      after = Number(rows[rows.length - 1]![idColumn.split(".").pop()!]);
      if (rows.length < size) return;
    }
  }

  const known = {
    orgs: new Set<number>(),
    departments: new Set<number>(),
    topics: new Set<number>(),
    slas: new Set<number>(),
    staff: new Set<number>(),
  };
  const customers = new Set<number>();

  if (has.has("organization"))
    for await (const rows of pages("SELECT id, name, domain, created FROM ost_organization WHERE 1=1", "id"))
      for (const r of rows) {
        const m = mapOrganization(r as never);
        if (m.ok) {
          known.orgs.add(r.id);
          yield { kind: "organizations", record: m.record };
        } else skip({ table: `${p}organization`, id: r.id, reason: m.reason });
      }

  // Departments and help topics are few: read whole, to name children after their parents.
  const depts = await q("SELECT id, pid, name, sla_id, created FROM ost_department ORDER BY id");
  const deptById = new Map(depts.map((d) => [Number(d.id), d]));
  const pathName = (byId: Map<number, Row>, id: number, name: (r: Row) => string, parent: (r: Row) => number) => {
    const parts: string[] = [];
    for (let cur = byId.get(id), guard = 0; cur && guard < 10; cur = byId.get(parent(cur)), guard++)
      parts.unshift(name(cur));
    return parts.join(" / ");
  };
  for (const d of depts) known.departments.add(Number(d.id));
  const topics = has.has("help_topic")
    ? await q("SELECT topic_id, topic_pid, topic, dept_id, sla_id FROM ost_help_topic ORDER BY topic_id")
    : [];
  const topicById = new Map(topics.map((t) => [Number(t.topic_id), t]));

  const staff = await q(
    "SELECT staff_id, username, firstname, lastname, email, isadmin, isactive, lang, dept_id, created FROM ost_staff ORDER BY staff_id",
  );
  for (const s of staff) {
    const m = mapStaff(s as never, known.departments);
    if (m.ok) {
      known.staff.add(Number(s.staff_id));
      yield { kind: "users", record: m.record };
    } else skip({ table: `${p}staff`, id: s.staff_id, reason: m.reason });
  }
  const emailOf = "COALESCE(e.address, (SELECT MIN(address) FROM ost_user_email x WHERE x.user_id = u.id))";
  const langOf = has.has("user_account")
    ? "(SELECT MAX(a.lang) FROM ost_user_account a WHERE a.user_id = u.id)"
    : "NULL";
  for await (const rows of pages(
    `SELECT u.id, u.name, u.org_id, ${emailOf} AS email, ${langOf} AS lang, u.created FROM ost_user u LEFT JOIN ost_user_email e ON e.id = u.default_email_id WHERE 1=1`,
    "u.id",
  ))
    for (const r of rows) {
      const m = mapCustomer(r as never, known.orgs);
      if (m.ok) {
        customers.add(Number(r.id));
        yield { kind: "users", record: m.record };
      } else skip({ table: `${p}user`, id: r.id, reason: m.reason });
    }

  for (const d of depts) {
    const m = mapDepartment({
      id: d.id,
      name: d.name,
      created: d.created,
      path_name: pathName(
        deptById,
        Number(d.id),
        (r) => r.name,
        (r) => Number(r.pid ?? 0),
      ),
    });
    if (m.ok) yield { kind: "groups", record: m.record };
    else {
      known.departments.delete(Number(d.id));
      skip({ table: `${p}department`, id: d.id, reason: m.reason });
    }
  }
  for (const t of topics) {
    const m = mapTopic({
      topic_id: t.topic_id,
      path_name: pathName(
        topicById,
        Number(t.topic_id),
        (r) => r.topic,
        (r) => Number(r.topic_pid),
      ),
    });
    if (m.ok) {
      known.topics.add(Number(t.topic_id));
      yield { kind: "categories", record: m.record };
    } else skip({ table: `${p}help_topic`, id: t.topic_id, reason: m.reason });
  }
  if (has.has("sla")) {
    const plans = await q("SELECT id, name, grace_period, flags, schedule_id FROM ost_sla ORDER BY grace_period, id");
    let position = 0;
    for (const s of plans) {
      const usedBy = {
        departmentKeys: depts
          .filter((d) => Number(d.sla_id) === Number(s.id) && known.departments.has(Number(d.id)))
          .map((d) => osKey("department", d.id)),
        topicKeys: topics
          .filter((t) => Number(t.sla_id) === Number(s.id) && known.topics.has(Number(t.topic_id)))
          .map((t) => osKey("topic", t.topic_id)),
      };
      const m = mapSlaPlan(s as never, usedBy, position);
      if (m.ok) {
        position++;
        known.slas.add(Number(s.id));
        yield { kind: "sla_policies", record: m.record };
      } else skip({ table: `${p}sla`, id: s.id, reason: m.reason });
    }
  }

  yield* readTickets(q, pages, p, has, { known, customers, pageSize, skip, attachmentsDir: opts.attachmentsDir });
  await reportOrphanEntries(pages, p, skip);
}

type Query = <T = Row>(sql: string, params?: unknown[]) => Promise<T[]>;
type Pages = (sql: string, idColumn: string, size?: number) => AsyncGenerator<Row[]>;

async function* readTickets(
  q: Query,
  pages: Pages,
  p: string,
  has: Set<string>,
  ctx: {
    known: Known;
    customers: Set<number>;
    pageSize: number;
    skip: (s: OsTicketSkip) => void;
    attachmentsDir: string | null;
  },
): AsyncGenerator<TransferRecord> {
  const cdata = has.has("ticket__cdata");
  const priority = cdata && has.has("ticket_priority");
  const sql = `SELECT t.ticket_id, t.number, t.user_id, u.id AS user_exists, u.org_id, s.name AS status_name, s.state,
      t.dept_id, t.sla_id, t.topic_id, t.staff_id, t.source, t.isoverdue, t.created, t.updated, t.closed,
      ${cdata ? "c.subject" : "NULL AS subject"}, ${priority ? "pr.priority" : "NULL"} AS priority_name
    FROM ost_ticket t
    LEFT JOIN ost_user u ON u.id = t.user_id
    LEFT JOIN ost_ticket_status s ON s.id = t.status_id
    ${cdata ? "LEFT JOIN ost_ticket__cdata c ON c.ticket_id = t.ticket_id" : ""}
    ${priority ? "LEFT JOIN ost_ticket_priority pr ON pr.priority_id = c.priority" : ""}
    WHERE 1=1`;
  const withFiles = has.has("attachment") && has.has("file");
  for await (const page of pages(sql, "t.ticket_id", ctx.pageSize)) {
    const first = Number(page[0]!.ticket_id);
    const last = Number(page[page.length - 1]!.ticket_id);
    const entries = await q<EntryRow & Row>(
      `SELECT e.id, th.object_id AS ticket_id, e.type, e.staff_id, e.user_id, e.body, e.format, e.created
       FROM ost_thread th JOIN ost_thread_entry e ON e.thread_id = th.id
       WHERE th.object_type = 'T' AND th.object_id BETWEEN ? AND ? ORDER BY th.object_id, e.created, e.id`,
      [first, last],
    );
    const files = withFiles
      ? await q(
          `SELECT a.object_id AS entry_id, a.file_id, COALESCE(a.name, f.name) AS name, f.id AS file_exists, f.type, f.size, f.bk
           FROM ost_thread th JOIN ost_thread_entry e ON e.thread_id = th.id
           JOIN ost_attachment a ON a.object_id = e.id AND a.type = 'H' LEFT JOIN ost_file f ON f.id = a.file_id
           WHERE th.object_type = 'T' AND th.object_id BETWEEN ? AND ? ORDER BY a.object_id, a.id`,
          [first, last],
        )
      : [];
    const filesByEntry = new Map<number, Row[]>();
    for (const f of files) filesByEntry.set(Number(f.entry_id), [...(filesByEntry.get(Number(f.entry_id)) ?? []), f]);
    const entriesByTicket = new Map<number, (EntryRow & Row)[]>();
    for (const e of entries)
      entriesByTicket.set(Number(e.ticket_id), [...(entriesByTicket.get(Number(e.ticket_id)) ?? []), e]);

    for (const t of page as (TicketRow & Row)[]) {
      const its = entriesByTicket.get(Number(t.ticket_id)) ?? [];
      const m = mapTicket(t, ctx.known);
      if (!m.ok) {
        const more = its.length ? ` (its ${its.length} thread entries are left out with it)` : "";
        ctx.skip({
          table: `${p}ticket`,
          id: t.ticket_id,
          reason: `ticket #${t.number ?? t.ticket_id}: ${m.reason}${more}`,
        });
        continue;
      }
      yield { kind: "tickets", record: m.record };
      for (const e of its) {
        if (e.type === "M" && !ctx.customers.has(Number(e.user_id))) e.user_id = t.user_id;
        const attachments: TransferAttachment[] = [];
        for (const f of filesByEntry.get(Number(e.id)) ?? []) {
          const a = await attachmentOf(q, f, ctx.attachmentsDir);
          if (a.ok) attachments.push(a.attachment);
          if (a.note) ctx.skip({ table: `${p}attachment`, id: `${e.id}/${f.file_id}`, reason: a.note });
        }
        const mapped = mapEntry(e, Number(t.user_id), ctx.known, attachments);
        if (mapped.ok) yield { kind: "messages", record: mapped.record };
        else ctx.skip({ table: `${p}thread_entry`, id: e.id, reason: mapped.reason });
      }
    }
  }
}

/** An attachment's record, its content copied chunk by chunk when the file is kept in the database. */
async function attachmentOf(
  q: Query,
  f: Row,
  dir: string | null,
): Promise<{ ok: true; attachment: TransferAttachment; note?: string } | { ok: false; note: string }> {
  if (!f.file_exists) return { ok: false, note: `its file ${f.file_id} does not exist` };
  const name = String(f.name || `file-${f.file_id}`).slice(0, 255);
  const base = { name, content_type: String(f.type || "application/octet-stream"), size: Number(f.size) };
  if (f.bk !== "D")
    return {
      ok: true,
      attachment: { ...base, path: null },
      note: `${name} is stored outside the database (backend ${f.bk}): listed without its content`,
    };
  if (!dir) return { ok: true, attachment: { ...base, path: null } };
  const rel = path.posix.join("osticket", String(f.file_id), name.replace(/[/\\\0]/g, "_"));
  const target = path.join(dir, rel);
  const written = await stat(target).then(
    (s) => s.size,
    () => -1,
  );
  if (written < 0) {
    await mkdir(path.dirname(target), { recursive: true });
    const out = createWriteStream(target);
    for (let chunk = 0; ; chunk++) {
      const [row] = await q("SELECT filedata FROM ost_file_chunk WHERE file_id = ? AND chunk_id = ?", [
        f.file_id,
        chunk,
      ]);
      if (!row) break;
      if (!out.write(row.filedata as Buffer)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
  }
  return { ok: true, attachment: { ...base, path: rel } };
}

/** Thread entries whose thread is gone or belongs to no ticket: reported, never imported. */
async function reportOrphanEntries(pages: Pages, p: string, skip: (s: OsTicketSkip) => void): Promise<void> {
  const sql = `SELECT e.id, e.thread_id, th.id AS thread_exists FROM ost_thread_entry e
    LEFT JOIN ost_thread th ON th.id = e.thread_id
    LEFT JOIN ost_ticket t ON th.object_type = 'T' AND t.ticket_id = th.object_id
    WHERE (th.id IS NULL OR (th.object_type = 'T' AND t.ticket_id IS NULL))`;
  for await (const rows of pages(sql, "e.id"))
    for (const r of rows)
      skip({
        table: `${p}thread_entry`,
        id: r.id,
        reason: r.thread_exists
          ? `its thread ${r.thread_id} belongs to no ticket`
          : `its thread ${r.thread_id} does not exist`,
      });
}
