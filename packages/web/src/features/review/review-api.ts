import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  BouncingReport,
  EscalationCountsReport,
  EscalationRateReport,
  EscalationTimesReport,
  RecurringProblemsReport,
  ReportDimension,
  ReportTicketsPage,
  SatisfactionReport,
  SlaAttainmentReport,
  SolvedTiersReport,
  TicketDimension,
  TicketFilter,
  TrainingNeedsReport,
} from "@eskala/contracts";
import { buildQuery, api } from "../../lib/api.ts";
import { createProblem } from "../problems/problems-api.ts";
import type { Period } from "./period.ts";

// The contracts' lists, repeated as types only: importing values from contracts would bring zod
// into the console's first load.
export const TICKET_DIMENSIONS = [
  "category",
  "channel",
  "agent",
  "tier",
  "group",
  "priority",
  "organization",
] as const satisfies readonly TicketDimension[];
export const REPORT_DIMENSIONS = [
  "reason",
  "trigger",
  "type",
  ...TICKET_DIMENSIONS,
] as const satisfies readonly ReportDimension[];
export const BOUNCE_KINDS = [
  "moved_down",
  "returned",
  "many_moves",
] as const satisfies readonly BouncingReport["kinds"][number]["kind"][];

/** The filters of the review page, as the reports API names them (empty = all). */
export const REVIEW_FILTERS = [
  "tier",
  "group_id",
  "category_id",
  "channel",
  "priority",
  "agent_id",
  "organization_id",
] as const;
export type ReviewFilter = (typeof REVIEW_FILTERS)[number];
export type ReviewFilters = Partial<Record<ReviewFilter, string>>;

/** What every report on the page is asked for: the period and the filters. */
export type ReviewQuery = Period & ReviewFilters;

/** The reports' paths under /api/v1/reports. */
export const REPORT_PATHS = {
  rate: "/reports/escalation-rate",
  counts: "/reports/escalations",
  times: "/reports/escalation-times",
  solved: "/reports/solved-tiers",
  sla: "/reports/sla",
  satisfaction: "/reports/satisfaction",
  bouncing: "/reports/bouncing",
  recurring: "/reports/recurring-problems",
  training: "/reports/training-needs",
  tickets: "/reports/tickets",
  escalationsCsv: "/reports/escalations.csv",
} as const;
export type ReportName = Exclude<keyof typeof REPORT_PATHS, "tickets" | "escalationsCsv">;

type Extra = Record<string, string | undefined>;

function queryOf(q: ReviewQuery, extra: Extra = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...q, ...extra })) if (v !== undefined && v !== "") out[k] = v;
  return out;
}

/** One report with the previous period of the same length beside it (`compare=previous`). */
function useReport<T>(name: ReportName, q: ReviewQuery, extra: Extra = {}, enabled = true) {
  return useQuery({
    queryKey: ["report", name, q, extra],
    enabled,
    queryFn: ({ signal }) => api.get<T>(REPORT_PATHS[name], { ...queryOf(q, extra), compare: "previous" }, signal),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    retry: false,
  });
}

export const useEscalationRate = (q: ReviewQuery, groupBy: string) =>
  useReport<EscalationRateReport>("rate", q, { group_by: groupBy });
export const useEscalationCounts = (q: ReviewQuery, groupBy: string) =>
  useReport<EscalationCountsReport>("counts", q, { group_by: groupBy });
export const useEscalationTimes = (q: ReviewQuery) => useReport<EscalationTimesReport>("times", q);
export const useSolvedTiers = (q: ReviewQuery) => useReport<SolvedTiersReport>("solved", q);
export const useSlaAttainment = (q: ReviewQuery) => useReport<SlaAttainmentReport>("sla", q);
export const useSatisfaction = (q: ReviewQuery) => useReport<SatisfactionReport>("satisfaction", q);
export const useBouncing = (q: ReviewQuery) => useReport<BouncingReport>("bouncing", q);

/** Pattern reports take the period and filters but have no `compare` (they compare inside). */
function usePatternReport<T>(name: "recurring" | "training", q: ReviewQuery, extra: Extra, enabled: boolean) {
  return useQuery({
    queryKey: ["report", name, q, extra],
    enabled,
    queryFn: ({ signal }) => api.get<T>(REPORT_PATHS[name], queryOf(q, extra), signal),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    retry: false,
  });
}

export const useRecurringProblems = (q: ReviewQuery) =>
  usePatternReport<RecurringProblemsReport>("recurring", q, {}, true);
export const useTrainingNeeds = (q: ReviewQuery, show: "standing_out" | "all", enabled = true) =>
  usePatternReport<TrainingNeedsReport>("training", q, { show }, enabled);

/** A recurring group made a problem record in one click: its tickets linked at creation. */
export function useMakeProblem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { title: string; ticket_ids: string[] }) => createProblem(body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["problems"] }),
  });
}

/** The tickets behind one figure, page by page (the report row's `ticket_filter`). */
export function useReportTickets(filter: TicketFilter | null) {
  return useInfiniteQuery({
    queryKey: ["report", "tickets", filter],
    enabled: filter !== null,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.get<ReportTicketsPage>(REPORT_PATHS.tickets, { ...filter, limit: 50, cursor: pageParam }, signal),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    retry: false,
  });
}

/** The address of a report as CSV (the browser downloads it with the session cookie). */
export function csvUrl(name: ReportName | "escalationsCsv", q: ReviewQuery, extra: Extra = {}): string {
  const query = name === "escalationsCsv" ? queryOf(q) : { ...queryOf(q, extra), format: "csv" };
  return `/api/v1${REPORT_PATHS[name]}${buildQuery(query)}`;
}
