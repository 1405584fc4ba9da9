/**
 * `GET /api/v1/reports/escalations.csv`: the escalation records made in the period, one row per
 * record, streamed. Rows are read in keyset batches on `(created_at, id)` (migration 019's index),
 * so memory does not grow with the row count and no transaction or connection is held between
 * batches. Per batch: one query for the records with their tickets (joined once for the batch, the
 * instants already formatted by PostgreSQL), one for the earlier tier moves of the batch's tickets
 * (the "minutes in previous tier", worked out here instead of a subquery per row), and one CSV
 * chunk for the batch, pulled by the reply (backpressure: the next batch is read when the socket
 * has taken this one). Names of groups, staff and rules are read once.
 */
import { Readable } from "node:stream";
import { sql, type Kysely, type RawBuilder } from "kysely";
import { stringify } from "csv-stringify/sync";
import type { DB } from "../db/schema.ts";
import { escalationFilters, escalationsMadeIn, type ReportScope } from "./report-query.ts";
import { CSV_OPTIONS } from "./report-csv.ts";

export const EXPORT_BATCH = 5_000;

export const EXPORT_COLUMNS = [
  "Ticket number",
  "Subject",
  "Escalated at",
  "Escalated at (local)",
  "From tier",
  "To tier",
  "From group",
  "To group",
  "From agent",
  "To agent",
  "Type",
  "Reason",
  "Reason text",
  "Trigger",
  "Rule",
  "Escalated by",
  "Note written",
  "Minutes in previous tier",
];

interface ExportRow {
  id: string;
  ticket_id: string;
  at_text: string;
  /** Microseconds since the epoch (exact in a double for any date of this era). */
  at_us: number;
  at_iso: string;
  at_local: string;
  number: number;
  subject: string;
  ticket_us: number;
  from_tier: number | null;
  to_tier: number | null;
  from_group_id: string | null;
  to_group_id: string | null;
  from_assignee_id: string | null;
  to_assignee_id: string | null;
  type: string;
  reason: string;
  reason_text: string | null;
  trigger: string;
  rule_id: string | null;
  actor_id: string | null;
  note_written: boolean;
}

interface Move {
  ticket_id: string;
  at_us: number;
  to_tier: number | null;
}

/**
 * Minutes each record's ticket spent in the tier it left: since the latest earlier move (a record
 * changing the tier, strictly before this one) into that tier, or since the ticket was created.
 * `moves` are the batch's tickets' tier moves ordered by ticket and time.
 */
export function minutesInPreviousTier(rows: ExportRow[], moves: Move[]): (number | null)[] {
  const byTicket = new Map<string, Move[]>();
  for (const m of moves) {
    const list = byTicket.get(m.ticket_id);
    if (list) list.push(m);
    else byTicket.set(m.ticket_id, [m]);
  }
  return rows.map((r) => {
    let since = r.ticket_us;
    let best = -Infinity;
    for (const m of byTicket.get(r.ticket_id) ?? []) {
      if (m.at_us >= r.at_us) break;
      if (m.to_tier === r.from_tier && m.at_us > best) best = m.at_us;
    }
    if (best > -Infinity) since = best;
    return Math.round((r.at_us - since) / 6_000_000) / 10;
  });
}

interface Names {
  group: Map<string, string>;
  user: Map<string, string>;
  rule: Map<string, string>;
}

/** Names of groups, staff and rules, read once per export. */
async function namesOf(db: Kysely<DB>): Promise<Names> {
  const [groups, staff, rules] = await Promise.all([
    db.selectFrom("groups").select(["id", "name"]).execute(),
    db.selectFrom("users").select(["id", "name"]).where("role", "<>", "customer").execute(),
    db.selectFrom("escalation_rules").select(["id", "name"]).execute(),
  ]);
  return {
    group: new Map(groups.map((g) => [g.id, g.name])),
    user: new Map(staff.map((u) => [u.id, u.name])),
    rule: new Map(rules.map((r) => [r.id, r.name])),
  };
}

type Cell = string | number | boolean | null | undefined;

const HEADER = stringify([], { ...CSV_OPTIONS, columns: EXPORT_COLUMNS });
/** A batch's rows after the header: csv-stringify's sync writer over the whole batch at once (one call, not one a row). */
const { bom: _bom, header: _header, ...ROW_OPTIONS } = CSV_OPTIONS;

type CsvRow = Omit<ExportRow, "id" | "ticket_id" | "at_text" | "at_us" | "ticket_us">;

/** One batch's CSV text (the first with the byte-order mark and the header row). */
function toCsvChunk(rows: CsvRow[], minutes: (number | null)[], names: Names, first: boolean): string {
  const name = (m: Map<string, string>, id: string | null) => (id ? (m.get(id) ?? id) : null);
  const records: Cell[][] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    records[i] = [
      r.number,
      r.subject,
      r.at_iso,
      r.at_local,
      r.from_tier,
      r.to_tier,
      name(names.group, r.from_group_id),
      name(names.group, r.to_group_id),
      name(names.user, r.from_assignee_id),
      name(names.user, r.to_assignee_id),
      r.type,
      r.reason,
      r.reason_text,
      r.trigger,
      name(names.rule, r.rule_id),
      r.actor_id ? (names.user.get(r.actor_id) ?? null) : null,
      r.note_written,
      minutes[i],
    ];
  }
  return (first ? HEADER : "") + stringify(records, ROW_OPTIONS);
}

/** The export's CSV text, one chunk per batch (the first with the byte-order mark and header row). */
export async function* escalationCsvChunks(db: Kysely<DB>, scope: ReportScope): AsyncGenerator<string> {
  const names = await namesOf(db);
  const zone = scope.period.timeZone;
  const where = sql`${escalationsMadeIn(scope.period)} and ${escalationFilters(scope.filters)}`;
  let first = true;
  // The last row's instant as PostgreSQL wrote it (microseconds; a Date would round it to ms).
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const keyset: ReturnType<typeof sql> = after
      ? sql`and e.created_at >= ${after.at}::timestamptz and (e.created_at, e.id) > (${after.at}::timestamptz, ${after.id}::uuid)`
      : sql``;
    // The batch's records first (index range on (created_at, id)), then their tickets in one join.
    const { rows }: { rows: ExportRow[] } = await sql<ExportRow>`
      with b as materialized (
        select e.* from escalations e
        where ${where} ${keyset}
        order by e.created_at, e.id limit ${EXPORT_BATCH}
      )
      select b.id, b.ticket_id::text, b.created_at::text as at_text,
        (extract(epoch from b.created_at) * 1000000)::float8 as at_us,
        to_char(b.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at_iso,
        to_char(b.created_at at time zone ${zone}, 'YYYY-MM-DD HH24:MI') as at_local,
        t.number, t.subject, (extract(epoch from t.created_at) * 1000000)::float8 as ticket_us,
        b.from_tier, b.to_tier, b.from_group_id::text, b.to_group_id::text,
        b.from_assignee_id::text, b.to_assignee_id::text, b.type, b.reason, b.reason_text, b.trigger, b.rule_id::text,
        b.actor_id::text, coalesce(length(btrim(b.note)) > 0, false) as note_written
      from b join tickets t on t.id = b.ticket_id
      order by b.created_at, b.id`.execute(db);
    let minutes: (number | null)[] = [];
    if (rows.length > 0) {
      const tickets = [...new Set(rows.map((r) => r.ticket_id))];
      const { rows: moves }: { rows: Move[] } = await sql<Move>`
        select p.ticket_id::text, (extract(epoch from p.created_at) * 1000000)::float8 as at_us, p.to_tier
        from escalations p
        where p.ticket_id = any(${tickets}::uuid[]) and p.created_at <= ${rows.at(-1)!.at_text}::timestamptz
          and p.from_tier is distinct from p.to_tier
        order by p.ticket_id, p.created_at`.execute(db);
      minutes = minutesInPreviousTier(rows, moves);
    }
    yield toCsvChunk(rows, minutes, names, first);
    first = false;
    if (rows.length < EXPORT_BATCH) return;
    const last = rows.at(-1)!;
    after = { at: last.at_text, id: last.id };
  }
}

/**
 * A text cell of the CSV written by PostgreSQL, by csv-stringify's rules with {@link CSV_OPTIONS}:
 * a cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR or their full-width
 * forms first) gets a `'` in front; a cell holding a quote, comma, CR or LF is quoted, its quotes
 * doubled; null is empty. A test compares the bytes with csv-stringify's for the same rows.
 */
function csvCell(value: RawBuilder<unknown>): RawBuilder<string> {
  const v = sql`(${value})::text`;
  const escaped = sql`(case when left(${v}, 1) in ('=', '+', '-', '@', E'\t', E'\r', '＝', '＋', '－', '＠')
    then '''' || ${v} else ${v} end)`;
  return sql<string>`(case when ${escaped} ~ E'[",\r\n]' then '"' || replace(${escaped}, '"', '""') || '"'
    else coalesce(${escaped}, '') end)`;
}

/**
 * On PostgreSQL: the whole export as one query read through a cursor, 5,000 rows per fetch, in
 * one read-only transaction on its own connection. One query lets PostgreSQL join the period's
 * records to their tickets with a hash join (one pass over tickets) instead of a primary-key
 * lookup per record, and work out the minutes in the previous tier with a window over each
 * ticket's moves: the latest earlier move (strictly before, `1 microsecond preceding`) into the
 * tier the record left. PostgreSQL also writes each record's CSV line ({@link csvCell}), so Node
 * only passes text on: no parsing of 18 columns a row and no CSV writing here (most of the
 * export's CPU in Node). The next fetch waits until the reply has taken the previous chunk. The
 * transaction may use up to 64 MB of work_mem per sort or hash (PostgreSQL's memory, not Node's).
 */
export async function* escalationCsvChunksByCursor(db: Kysely<DB>, scope: ReportScope): AsyncGenerator<string> {
  const zone = scope.period.timeZone;
  const where = sql`${escalationsMadeIn(scope.period)} and ${escalationFilters(scope.filters)}`;
  let gotConnection!: (c: Kysely<DB>) => void;
  let release!: () => void;
  const connection = new Promise<Kysely<DB>>((resolve) => (gotConnection = resolve));
  const held = db.connection().execute(
    (c) =>
      new Promise<void>((resolve) => {
        release = resolve;
        gotConnection(c);
      }),
  );
  const c = await connection;
  let open = false;
  // A group's, staff member's or rule's name; its id when it has none (as namesOf's maps read).
  const named = (name: string, id: string) => csvCell(sql`coalesce(${sql.ref(name)}, ${sql.ref(id)}::text)`);
  const cells: RawBuilder<unknown>[] = [
    sql`t.number`,
    csvCell(sql`t.subject`),
    sql`to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    sql`to_char(e.created_at at time zone ${zone}, 'YYYY-MM-DD HH24:MI')`,
    sql`e.from_tier`,
    sql`e.to_tier`,
    named("gf.name", "e.from_group_id"),
    named("gt.name", "e.to_group_id"),
    named("uf.name", "e.from_assignee_id"),
    named("ut.name", "e.to_assignee_id"),
    csvCell(sql`e.type`),
    csvCell(sql`e.reason`),
    csvCell(sql`e.reason_text`),
    csvCell(sql`e.trigger`),
    named("r.name", "e.rule_id"),
    csvCell(sql`ua.name`),
    sql`case when length(btrim(e.note)) > 0 then 'yes' else 'no' end`,
    // As Math.round(minutes * 10) / 10 prints: at most one decimal, none when whole.
    sql`trim_scale(round(extract(epoch from e.created_at - coalesce(e.previous, t.created_at)) / 6) / 10)`,
  ];
  try {
    await sql`begin transaction read only`.execute(c);
    open = true;
    // A cursor is planned for its first rows by default (nested loops); this one is read to the end.
    await sql`set local cursor_tuple_fraction = 1`.execute(c);
    // Room for the sorts and the hash of tickets in memory (PostgreSQL's, for this transaction only).
    await sql`set local work_mem = '64MB'`.execute(c);
    await sql`declare escalation_export no scroll cursor for
      with e as materialized (
        select e.* from escalations e where ${where}
      ),
      moves as (
        select e.id, e.ticket_id, e.created_at, e.from_tier, e.to_tier, e.from_group_id, e.to_group_id,
          e.from_assignee_id, e.to_assignee_id, e.type, e.reason, e.reason_text, e.trigger, e.rule_id, e.actor_id,
          e.note, e.from_tier as tier, null::timestamptz as entered
        from e
        union all
        select null, p.ticket_id, p.created_at, null, null, null, null, null, null, null, null, null, null, null, null,
          null, p.to_tier, p.created_at
        from escalations p
        where p.ticket_id in (select ticket_id from e) and p.created_at < ${scope.period.end}
          and p.from_tier is distinct from p.to_tier
      ),
      w as (
        select m.*, max(m.entered) over (partition by m.ticket_id, m.tier order by m.created_at
          range between unbounded preceding and '1 microsecond' preceding) as previous
        from moves m
      )
      select concat_ws(',', ${sql.join(cells.map((x) => sql`coalesce((${x})::text, '')`))}) || E'\r\n' as line
      from w e join tickets t on t.id = e.ticket_id
        left join groups gf on gf.id = e.from_group_id
        left join groups gt on gt.id = e.to_group_id
        left join users uf on uf.id = e.from_assignee_id and uf.role <> 'customer'
        left join users ut on ut.id = e.to_assignee_id and ut.role <> 'customer'
        left join users ua on ua.id = e.actor_id and ua.role <> 'customer'
        left join escalation_rules r on r.id = e.rule_id
      where e.id is not null
      order by e.created_at, e.id`.execute(c);
    yield HEADER;
    for (;;) {
      const { rows } = await sql<{ line: string }>`fetch ${sql.raw(String(EXPORT_BATCH))} from escalation_export`.execute(
        c,
      );
      let text = "";
      for (const r of rows) text += r.line;
      if (text) yield text;
      if (rows.length < EXPORT_BATCH) break;
    }
    await sql`commit`.execute(c);
    open = false;
  } finally {
    if (open) await sql`rollback`.execute(c).catch(() => {});
    release();
    await held;
  }
}

/** The export as a stream of CSV text (UTF-8, header row, RFC 4180), read batch by batch as the reply drains. */
export function escalationCsvStream(
  db: Kysely<DB>,
  scope: ReportScope,
  kind: "pglite" | "postgres" = "pglite",
): Readable {
  const chunks = kind === "postgres" ? escalationCsvChunksByCursor(db, scope) : escalationCsvChunks(db, scope);
  return Readable.from(chunks, { objectMode: false, highWaterMark: 1 });
}
