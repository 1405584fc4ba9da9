import { z } from "zod";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import {
  BouncingReport,
  EscalationCountsQuery,
  EscalationCountsReport,
  EscalationExportQuery,
  EscalationRateQuery,
  EscalationRateReport,
  EscalationTimesReport,
  Problem,
  ReportQuery,
  ReportTicketsPage,
  ReportTicketsQuery,
  SatisfactionReport,
  SlaAttainmentReport,
  SolvedTiersReport,
} from "@eskala/contracts";
import type { Api, Services } from "../http/context.ts";
import type { DB } from "../db/schema.ts";
import { previousPeriod, resolveReportQuery, type ReportScope } from "./report-query.ts";
import {
  bouncing,
  escalationCounts,
  escalationRate,
  escalationTimes,
  satisfaction,
  slaAttainment,
  solvedTiers,
} from "./reports.service.ts";
import {
  bouncingTable,
  countsTable,
  rateTable,
  satisfactionTable,
  slaTable,
  solvedTable,
  timesTable,
  toCsv,
  type Table,
} from "./report-csv.ts";
import { reportTickets } from "./report-tickets.ts";
import { escalationCsvStream } from "./escalation-export.ts";

const errors = { 400: Problem, 401: Problem, 403: Problem, 422: Problem };
const tags = ["reports"];
const CSV_NOTE =
  " As CSV with `format=csv` or `Accept: text/csv` (UTF-8 with BOM, header row of English column names, RFC 4180).";

/** CSV when asked by `format=csv` or an Accept header naming text/csv (and JSON not preferred by `format=json`). */
export function wantsCsv(req: FastifyRequest, format: string | undefined): boolean {
  if (format) return format === "csv";
  return /\btext\/csv\b/i.test(req.headers.accept ?? "");
}

function sendCsv(reply: FastifyReply, name: string, scope: ReportScope, body: string | NodeJS.ReadableStream) {
  return reply
    .header("content-type", "text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${name}-${scope.period.from}-${scope.period.to}.csv"`)
    .header("cache-control", "no-store")
    .send(body);
}

type Query = z.infer<typeof ReportQuery>;

/** The escalation review's reports (issue 17): supervisors and admins see all, agents their own, customers none. */
export function reportsRoutes(api: Api, s: Services): void {
  const db = s.database.db as Kysely<DB>;

  function report<Q extends Query, R extends object>(
    path: string,
    name: string,
    summary: string,
    querystring: z.ZodType<Q>,
    response: z.ZodType,
    run: (scope: ReportScope, q: Q) => Promise<R>,
    table: (r: R) => Table,
  ) {
    api.get(
      path,
      {
        schema: {
          tags,
          summary,
          description: `${summary}.${CSV_NOTE} With \`compare=previous\` the JSON also carries the previous period of the same length as \`previous\`.`,
          querystring,
          produces: ["application/json", "text/csv"],
          response: { 200: response, ...errors },
        },
      },
      async (req, reply) => {
        const q = req.query as Q;
        const scope = await resolveReportQuery(db, req.actor, q, s.clock.now());
        const current = await run(scope, q);
        if (wantsCsv(req, q.format)) return sendCsv(reply, name, scope, toCsv(table(current)));
        if (q.compare === "previous") {
          const previous = await run({ ...scope, period: previousPeriod(scope.period) }, q);
          return { ...current, previous };
        }
        return current;
      },
    );
  }

  report(
    "/api/v1/reports/escalation-rate",
    "escalation-rate",
    "Escalation rate: tickets created in the period that were escalated ÷ tickets created, in total and by `group_by`",
    EscalationRateQuery,
    EscalationRateReport,
    (scope, q) => escalationRate(db, scope, q.group_by),
    rateTable,
  );
  report(
    "/api/v1/reports/escalations",
    "escalations",
    "Escalation counts: escalation records made in the period by up to two dimensions (`group_by`, default `reason,category`), e.g. reason code and category",
    EscalationCountsQuery,
    EscalationCountsReport,
    (scope, q) => escalationCounts(db, scope, q.group_by),
    countsTable,
  );
  report(
    "/api/v1/reports/escalation-times",
    "escalation-times",
    "Time to first escalation and time spent in each tier (median and p90, wall and business minutes)",
    ReportQuery,
    EscalationTimesReport,
    (scope) => escalationTimes(db, scope),
    timesTable,
  );
  report(
    "/api/v1/reports/solved-tiers",
    "solved-tiers",
    "The level tickets are solved at: count and share per tier (0 = deflected by the help center)",
    ReportQuery,
    SolvedTiersReport,
    (scope) => solvedTiers(db, scope),
    solvedTable,
  );
  report(
    "/api/v1/reports/sla",
    "sla-attainment",
    "SLA attainment per target and priority: achieved, breached, still open (from the SLA ledgers)",
    ReportQuery,
    SlaAttainmentReport,
    (scope) => slaAttainment(db, scope),
    slaTable,
  );
  report(
    "/api/v1/reports/satisfaction",
    "satisfaction",
    "Satisfaction of escalated and not escalated tickets (mean, share rated 4-5, count) and by escalation path",
    ReportQuery,
    SatisfactionReport,
    (scope) => satisfaction(db, scope),
    satisfactionTable,
  );
  report(
    "/api/v1/reports/bouncing",
    "bouncing",
    "Bouncing tickets: moved back down, back to a tier they had left, or moved three times or more",
    ReportQuery,
    BouncingReport,
    (scope) => bouncing(db, scope),
    bouncingTable,
  );

  api.get(
    "/api/v1/reports/tickets",
    {
      schema: {
        tags,
        summary: "The tickets behind a report's figure: pass a row's `ticket_filter` as the query (newest first)",
        querystring: ReportTicketsQuery,
        response: { 200: ReportTicketsPage, ...errors },
      },
    },
    async (req) => {
      const scope = await resolveReportQuery(db, req.actor, req.query, s.clock.now());
      return reportTickets(db, scope, req.query);
    },
  );

  api.get(
    "/api/v1/reports/escalations.csv",
    {
      schema: {
        tags,
        summary:
          "Export of the escalation records made in the period, one row per record (ticket number, when, from/to tier, group and agent, type, reason, trigger, rule, whether a note was written, minutes in the previous tier); streamed",
        description: CSV_NOTE.trim(),
        querystring: EscalationExportQuery,
        produces: ["text/csv"],
        response: {
          200: z.string().describe("CSV, UTF-8 with BOM, a header row of English column names, RFC 4180"),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const scope = await resolveReportQuery(db, req.actor, req.query, s.clock.now());
      return sendCsv(reply, "escalations", scope, escalationCsvStream(db, scope, s.database.kind));
    },
  );
}
