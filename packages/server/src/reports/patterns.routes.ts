import type { FastifyReply } from "fastify";
import {
  Problem,
  RecurringProblemsQuery,
  RecurringProblemsReport,
  TrainingNeedsQuery,
  TrainingNeedsReport,
} from "@eskala/contracts";
import type { Api, Services } from "../http/context.ts";
import { resolveReportQuery } from "./report-query.ts";
import { recurringProblems } from "./recurring.ts";
import { trainingNeeds } from "./training.ts";
import { toCsv, type Table } from "./report-csv.ts";
import { wantsCsv } from "./reports.routes.ts";

const errors = { 400: Problem, 401: Problem, 403: Problem, 422: Problem };
/** Both reports answer JSON, or CSV with `Accept: text/csv` or `format=csv`. */
const produces = ["application/json", "text/csv"];

/** Recurring problems and training needs (issue 17): supervisors and admins; an agent their own figures. */
export function patternRoutes(api: Api, s: Services): void {
  api.get(
    "/api/v1/reports/recurring-problems",
    {
      schema: {
        tags: ["reports"],
        summary:
          "Recurring problems: groups of similar escalated tickets (subject and description, trigram similarity), and categories and tags whose escalations rise against the period before",
        querystring: RecurringProblemsQuery,
        produces,
        response: { 200: RecurringProblemsReport, ...errors },
      },
    },
    async (req, reply) => {
      const scope = await resolveReportQuery(s.database.db, req.actor, req.query, s.clock.now());
      const report = await recurringProblems(s.database.db, scope, {
        minTickets: req.query.min_tickets,
        limit: req.query.limit,
      });
      if (wantsCsv(req, req.query.format))
        return sendCsv(reply, `recurring-problems-${report.period.from}-${report.period.to}`, recurringTable(report));
      return report;
    },
  );

  api.get(
    "/api/v1/reports/training-needs",
    {
      schema: {
        tags: ["reports"],
        summary:
          "Training needs: agents whose missing_skill and too_complex escalations in a category stand out from their team's (one-sided Fisher exact test, from 5 tickets)",
        querystring: TrainingNeedsQuery,
        produces,
        response: { 200: TrainingNeedsReport, ...errors },
      },
    },
    async (req, reply) => {
      const scope = await resolveReportQuery(s.database.db, req.actor, req.query, s.clock.now());
      const report = await trainingNeeds(s.database.db, scope, { show: req.query.show, limit: req.query.limit });
      if (wantsCsv(req, req.query.format))
        return sendCsv(reply, `training-needs-${report.period.from}-${report.period.to}`, trainingTable(report));
      return report;
    },
  );
}

function sendCsv(reply: FastifyReply, name: string, table: Table) {
  return reply
    .header("content-type", "text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${name}.csv"`)
    .header("cache-control", "no-store")
    .send(toCsv(table));
}

const num = (v: number | null) => (v === null ? null : Math.round(v * 1e6) / 1e6);

/** One row per ticket of each group, then one per rising category and tag; plain English headers. */
export function recurringTable(r: RecurringProblemsReport): Table {
  const columns = [
    "Section",
    "Group",
    "Label",
    "Tickets",
    "Escalations",
    "Previous escalations",
    "p-value",
    "Confidence",
    "Ticket number",
    "Ticket subject",
    "Ticket language",
    "Ticket escalations",
    "Last escalated at",
  ];
  const rows: Table["rows"] = [];
  r.groups.forEach((g, i) => {
    for (const t of g.items)
      rows.push([
        "similar tickets",
        i + 1,
        g.label,
        g.tickets,
        g.escalations,
        null,
        null,
        null,
        t.number,
        t.subject,
        t.language,
        t.escalations,
        t.last_escalated_at,
      ]);
  });
  for (const [section, list] of [
    ["rising category", r.rising.categories],
    ["rising tag", r.rising.tags],
  ] as const)
    list.forEach((x, i) =>
      rows.push([
        section,
        i + 1,
        x.label,
        x.tickets,
        x.escalations,
        x.previous,
        num(x.p_value),
        x.confidence,
        null,
        null,
        null,
        null,
        null,
      ]),
    );
  return { columns, rows };
}

export function trainingTable(r: TrainingNeedsReport): Table {
  return {
    columns: [
      "Agent",
      "Category",
      "Team",
      "Tickets",
      "Escalations",
      "Missing skill",
      "Too complex",
      "Rate",
      "Team tickets",
      "Team escalations",
      "Team rate",
      "p-value",
      "Confidence",
      "Stands out",
    ],
    rows: r.rows.map((x) => [
      x.agent.name,
      x.category.name,
      x.team.map((t) => t.name).join("; "),
      x.tickets,
      x.escalations,
      x.reasons.missing_skill,
      x.reasons.too_complex,
      num(x.rate),
      x.team_tickets,
      x.team_escalations,
      num(x.team_rate),
      num(x.p_value),
      x.confidence,
      x.stands_out,
    ]),
  };
}
