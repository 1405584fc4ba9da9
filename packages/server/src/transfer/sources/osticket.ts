/**
 * The osTicket 1.18 source of `eskala import osticket mysql://user:pass@host:port/db`: reads an
 * osTicket database in MariaDB or MySQL directly (mysql2) and yields Eskala transfer records,
 * each before what refers to it — organisations, departments, help topics, SLA plans, agents
 * (members of their department) and customers, then each ticket followed by its thread entries. Large tables are read in keyset pages (by
 * primary key), a ticket page with its entries and attachments, so memory stays flat; attachment
 * contents (ost_file_chunk) are copied chunk by chunk to files under `attachmentsDir`.
 * Rows that cannot be imported (a ticket whose user does not exist, an entry whose thread has no
 * ticket, …) are reported through `onSkip` with their table, id and reason.
 *
 * The URL may carry `?prefix=ost_` (osTicket's table prefix, `ost_` by default) and
 * `?timezone=+07:00` (the zone osTicket's DATETIME columns are in, UTC by default).
 */
import mysql from "mysql2/promise";
import type { TransferRecord } from "../format.ts";
import { readTickets, reportOrphanEntries } from "./osticket-tickets.ts";
import {
  mapCustomer,
  mapDepartment,
  mapOrganization,
  mapSlaPlan,
  mapStaff,
  mapTopic,
  osKey,
  type OsTicketSkip,
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

  yield* readTickets(q, pages, p, has, { known, customers, pageSize, skip, attachmentsDir: opts.attachmentsDir });
  await reportOrphanEntries(pages, p, skip);
}
