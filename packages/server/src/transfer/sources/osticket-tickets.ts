/**
 * The ticket part of the osTicket source (osticket.ts): tickets in keyset pages, each page's
 * thread entries and attachments in one query each, attachment contents copied chunk by chunk,
 * and the thread entries that belong to no ticket reported at the end.
 */
import { createWriteStream } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { once } from "node:events";
import path from "node:path";
import type mysql from "mysql2/promise";
import type { TransferAttachment, TransferRecord } from "../format.ts";
import { mapEntry, mapTicket, type EntryRow, type Known, type OsTicketSkip, type TicketRow } from "./osticket-map.ts";

type Row = mysql.RowDataPacket;
export type Query = <T = Row>(sql: string, params?: unknown[]) => Promise<T[]>;
export type Pages = (sql: string, idColumn: string, size?: number) => AsyncGenerator<Row[]>;

export async function* readTickets(
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
export async function reportOrphanEntries(pages: Pages, p: string, skip: (s: OsTicketSkip) => void): Promise<void> {
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
