import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  DigestSettings,
  ProblemRecordDetail,
  ProblemRecordPage,
  ProblemStatus,
  UpdateDigestSettingsBody,
  UpdateProblemBody,
} from "@eskala/contracts";
import { api } from "../../lib/api.ts";

export type { ProblemRecord, ProblemRecordDetail, ProblemStatus } from "@eskala/contracts";

export const PROBLEM_STATUSES: ProblemStatus[] = ["investigating", "known_error", "fixed"];

/**
 * Makes a problem and links tickets to it in one call: the review page's "make this recurring
 * group a problem" and the ticket view's "create a problem" both use it. Returns the problem.
 */
export function createProblem(body: { title: string; description?: string; ticket_ids?: string[] }) {
  return api.post<ProblemRecordDetail>("/problems", body);
}

export function linkTicketToProblem(problemId: string, ticketId: string) {
  return api.post<ProblemRecordDetail>(`/problems/${problemId}/tickets`, { ticket_id: ticketId });
}

export function unlinkTicketFromProblem(problemId: string, ticketId: string) {
  return api.del<ProblemRecordDetail>(`/problems/${problemId}/tickets/${ticketId}`);
}

export function updateProblem(problemId: string, body: UpdateProblemBody) {
  return api.patch<ProblemRecordDetail>(`/problems/${problemId}`, body);
}

export function useProblems(query: { status?: ProblemStatus | undefined; q?: string | undefined }, enabled = true) {
  return useQuery({
    queryKey: ["problems", query],
    queryFn: () => api.get<ProblemRecordPage>("/problems", { ...query, limit: 100 }),
    enabled,
  });
}

export function useProblem(id: string) {
  return useQuery({
    queryKey: ["problems", "one", id],
    queryFn: () => api.get<ProblemRecordDetail>(`/problems/${id}`),
  });
}

/** After any change: problem lists and details, and the tickets that show their problem. */
export function useProblemMutation<A>(fn: (arg: A) => Promise<ProblemRecordDetail>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ["problems"] });
      await qc.invalidateQueries({ queryKey: ["ticket"] });
    },
  });
}

export function useDigestSettings(enabled: boolean) {
  return useQuery({
    queryKey: ["digest-settings"],
    queryFn: () => api.get<DigestSettings>("/settings/review-digest"),
    enabled,
  });
}

export function useSaveDigestSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateDigestSettingsBody) => api.patch<DigestSettings>("/settings/review-digest", body),
    onSuccess: (data) => qc.setQueryData(["digest-settings"], data),
  });
}
