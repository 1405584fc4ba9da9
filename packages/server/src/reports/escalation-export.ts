/**
 * `GET /api/v1/reports/escalations.csv`: the escalation records made in the period, one row per
 * record, streamed. Rows are read in keyset batches on `(created_at, id)` (migration 019's index)
 * and piped through csv-stringify, so memory does not grow with the row count and no transaction
 * or connection is held between batches. Names of groups, staff and rules are read once.
 */
import { Readable } from "node:stream";
import { sql, type Kysely } from "kysely";
import { stringify } from "csv-stringify";
import type { DB } from "../db/schema.ts";
import { escalationFilters, escalationsMadeIn, type ReportScope } from "./report-query.ts";
import { CSV_OPTIONS } from "./report-csv.ts";

export const EXPORT_BATCH = 2_000;

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
  created_at: Date;
  at_text: string;
  number: number;
  subject: string;
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
  minutes: number | null;
}

/** Local wall time `YYYY-MM-DD HH:MM` of an instant in a zone. */
function localFormatter(timeZone: string) {
  const f = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  return (d: Date) => {
    const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  };
}

/** The rows of the export, batch by batch (an async generator of CSV records). */
export async function* escalationRecords(db: Kysely<DB>, scope: ReportScope): AsyncGenerator<unknown[]> {
  const [groups, staff, rules] = await Promise.all([
    db.selectFrom("groups").select(["id", "name"]).execute(),
    db.selectFrom("users").select(["id", "name"]).where("role", "<>", "customer").execute(),
    db.selectFrom("escalation_rules").select(["id", "name"]).execute(),
  ]);
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  const userName = new Map(staff.map((u) => [u.id, u.name]));
  const ruleName = new Map(rules.map((r) => [r.id, r.name]));
  const local = localFormatter(scope.period.timeZone);
  const where = sql`${escalationsMadeIn(scope.period)} and ${escalationFilters(scope.filters)}`;
  // The last row's instant as PostgreSQL wrote it (microseconds; a Date would round it to ms).
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const keyset: ReturnType<typeof sql> = after
      ? sql`and e.created_at >= ${after.at}::timestamptz and (e.created_at, e.id) > (${after.at}::timestamptz, ${after.id}::uuid)`
      : sql``;
    const { rows }: { rows: ExportRow[] } = await sql<ExportRow>`
      select e.id, e.created_at, e.created_at::text as at_text, t.number, t.subject, e.from_tier, e.to_tier, e.from_group_id::text, e.to_group_id::text,
        e.from_assignee_id::text, e.to_assignee_id::text, e.type, e.reason, e.reason_text, e.trigger, e.rule_id::text,
        e.actor_id::text, coalesce(length(btrim(e.note)) > 0, false) as note_written,
        (extract(epoch from e.created_at - coalesce(
          (select max(p.created_at) from escalations p where p.ticket_id = e.ticket_id and p.created_at < e.created_at
            and p.to_tier is not distinct from e.from_tier and p.from_tier is distinct from p.to_tier),
          t.created_at)) / 60)::float8 as minutes
      from escalations e join tickets t on t.id = e.ticket_id
      where ${where} ${keyset}
      order by e.created_at, e.id limit ${EXPORT_BATCH}`.execute(db);
    for (const r of rows) {
      const at = new Date(r.created_at);
      yield [
        r.number,
        r.subject,
        at.toISOString(),
        local(at),
        r.from_tier,
        r.to_tier,
        r.from_group_id ? (groupName.get(r.from_group_id) ?? r.from_group_id) : null,
        r.to_group_id ? (groupName.get(r.to_group_id) ?? r.to_group_id) : null,
        r.from_assignee_id ? (userName.get(r.from_assignee_id) ?? r.from_assignee_id) : null,
        r.to_assignee_id ? (userName.get(r.to_assignee_id) ?? r.to_assignee_id) : null,
        r.type,
        r.reason,
        r.reason_text,
        r.trigger,
        r.rule_id ? (ruleName.get(r.rule_id) ?? r.rule_id) : null,
        r.actor_id ? (userName.get(r.actor_id) ?? null) : null,
        r.note_written,
        r.minutes === null ? null : Math.round(r.minutes * 10) / 10,
      ];
    }
    if (rows.length < EXPORT_BATCH) return;
    const last = rows.at(-1)!;
    after = { at: last.at_text, id: last.id };
  }
}

/** The export as a stream of CSV text (UTF-8, header row, RFC 4180). */
export function escalationCsvStream(db: Kysely<DB>, scope: ReportScope): Readable {
  const source = Readable.from(escalationRecords(db, scope));
  const csv = stringify({ ...CSV_OPTIONS, columns: EXPORT_COLUMNS });
  source.on("error", (err) => csv.destroy(err));
  return source.pipe(csv);
}
