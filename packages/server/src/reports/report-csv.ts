/**
 * Reports as CSV: UTF-8 with a byte-order mark (spreadsheets then read Indonesian names right),
 * a header row of plain English column names, RFC 4180 quoting by csv-stringify. Each report's
 * rows are its JSON rows, with a last "Total" row where the report has a total.
 */
import { stringify } from "csv-stringify/sync";
import type {
  BouncingReport,
  EscalationCountsReport,
  EscalationRateReport,
  EscalationTimesReport,
  SatisfactionReport,
  SlaAttainmentReport,
  SolvedTiersReport,
} from "@eskala/contracts";

type Cell = string | number | boolean | null | undefined;
export interface Table {
  columns: string[];
  rows: Cell[][];
}

const DIMENSION_TITLES: Record<string, string> = {
  reason: "Reason",
  trigger: "Trigger",
  type: "Type",
  category: "Category",
  channel: "Channel",
  agent: "Agent",
  tier: "Tier",
  group: "Group",
  priority: "Priority",
  organization: "Organization",
};
const ID_DIMENSIONS = new Set(["category", "agent", "group", "organization", "tier"]);

/** A dimension's columns: its raw value, and its name when it is an id or a tier. */
function dimensionColumns(d: string): string[] {
  const title = DIMENSION_TITLES[d] ?? d;
  return ID_DIMENSIONS.has(d) ? [`${title} ${d === "tier" ? "level" : "id"}`, title] : [title];
}
function dimensionCells(d: string, key: unknown, label: string | null | undefined): Cell[] {
  return ID_DIMENSIONS.has(d) ? [key as Cell, label ?? null] : [key as Cell];
}

/**
 * The options every CSV of Eskala is written with: booleans as yes/no, and a text cell that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@` first: a customer wrote the subject) is
 * prefixed with `'`.
 */
export const CSV_OPTIONS = {
  header: true,
  bom: true,
  record_delimiter: "\r\n",
  escape_formulas: true,
  cast: { boolean: (v: boolean) => (v ? "yes" : "no") },
} as const;

export function toCsv(t: Table): string {
  return stringify(t.rows, { ...CSV_OPTIONS, columns: t.columns });
}

export function rateTable(r: EscalationRateReport): Table {
  const dims = r.group_by ? [r.group_by] : [];
  const columns = [...dims.flatMap(dimensionColumns), "Created", "Escalated", "Escalation rate"];
  const rows: Cell[][] = r.rows.map((row) => [
    ...dims.flatMap((d) => dimensionCells(d, row.keys[d], row.labels[d])),
    row.created,
    row.escalated,
    row.rate,
  ]);
  rows.push([
    ...dims.flatMap((d) => (ID_DIMENSIONS.has(d) ? ["Total", null] : ["Total"])),
    r.total.created,
    r.total.escalated,
    r.total.rate,
  ]);
  return { columns, rows };
}

export function countsTable(r: EscalationCountsReport): Table {
  const dims = r.group_by;
  const columns = [...dims.flatMap(dimensionColumns), "Escalations", "Tickets"];
  const rows: Cell[][] = r.rows.map((row) => [
    ...dims.flatMap((d) => dimensionCells(d, row.keys[d], row.labels[d])),
    row.escalations,
    row.tickets,
  ]);
  const blank: Cell[] = dims.flatMap((d) => (ID_DIMENSIONS.has(d) ? [null, null] : [null]));
  blank[0] = "Total";
  rows.push([...blank, r.total.escalations, r.total.tickets]);
  return { columns, rows };
}

export function timesTable(r: EscalationTimesReport): Table {
  const columns = [
    "Measure",
    "Tier level",
    "Tier",
    "Count",
    "Median wall minutes",
    "P90 wall minutes",
    "Median business minutes",
    "P90 business minutes",
  ];
  const f = r.first_escalation;
  const rows: Cell[][] = [
    [
      "Time to first escalation",
      null,
      null,
      f.count,
      f.wall_minutes.median,
      f.wall_minutes.p90,
      f.business_minutes.median,
      f.business_minutes.p90,
    ],
    ...r.tiers.map((t) => [
      "Time in tier",
      t.tier,
      t.label,
      t.count,
      t.wall_minutes.median,
      t.wall_minutes.p90,
      t.business_minutes.median,
      t.business_minutes.p90,
    ]),
  ];
  return { columns, rows };
}

export function solvedTable(r: SolvedTiersReport): Table {
  const rows: Cell[][] = r.rows.map((row) => [row.tier, row.label, row.solved, row.share]);
  rows.push(["Total", null, r.total.solved, r.total.solved ? 1 : null]);
  return { columns: ["Tier level", "Tier", "Solved", "Share"], rows };
}

export function slaTable(r: SlaAttainmentReport): Table {
  return {
    columns: ["Target", "Priority", "Achieved", "Breached", "Open", "Attainment"],
    rows: r.rows.map((row) => [row.target, row.priority, row.achieved, row.breached, row.open, row.attainment]),
  };
}

export function satisfactionTable(r: SatisfactionReport): Table {
  return {
    columns: ["Group", "Path", "Ratings", "Mean rating", "Share rated 4-5"],
    rows: [
      ["Escalated", null, r.escalated.count, r.escalated.mean, r.escalated.share_4_5],
      ["Not escalated", null, r.not_escalated.count, r.not_escalated.mean, r.not_escalated.share_4_5],
      ...r.paths.map((p) => ["Path", p.path, p.count, p.mean, p.share_4_5]),
    ],
  };
}

export function bouncingTable(r: BouncingReport): Table {
  return {
    columns: [
      "Ticket number",
      "Subject",
      "Status",
      "Tier",
      "Moves",
      "Path",
      "Moved down",
      "Returned",
      "Three or more moves",
    ],
    rows: r.tickets.map((t) => [
      t.number,
      t.subject,
      t.status,
      t.tier,
      t.moves,
      t.path.join("-"),
      t.kinds.includes("moved_down"),
      t.kinds.includes("returned"),
      t.kinds.includes("many_moves"),
    ]),
  };
}
