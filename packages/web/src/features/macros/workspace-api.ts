import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { BulkAction, BulkResult, Macro, RenderedMacro, SavedView, ViewBody, ViewCounts } from "@eskala/contracts";
import { api } from "../../lib/api.ts";
import type { Message, Ticket } from "../../lib/types.ts";

export type { BulkAction, BulkResult, Macro, RenderedMacro, SavedView, ViewCounts };

/** The macros the agent may use: their own and the shared ones. */
export function useMacros() {
  return useQuery({
    queryKey: ["macros"],
    queryFn: () => api.get<{ items: Macro[] }>("/macros").then((r) => r.items),
    staleTime: 60_000,
  });
}

/** A macro's text for a ticket, in the ticket's language, placeholders filled in. */
export const renderMacro = (ticketId: string, macroId: string) =>
  api.get<RenderedMacro>(`/tickets/${ticketId}/macros/${macroId}`);

/** Applies a macro: its reply (the text as edited) and its field changes, in one change. */
export function useApplyMacro(ticketId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { macroId: string; body: string; kind?: "reply" | "note" }) =>
      api.post<{ message: Message | null; ticket: Ticket }>(`/tickets/${ticketId}/macros/${v.macroId}/apply`, {
        body: v.body,
        ...(v.kind ? { kind: v.kind } : {}),
      }),
    onSuccess: () =>
      qc
        .invalidateQueries({ queryKey: ["ticket", ticketId] })
        .then(() => qc.invalidateQueries({ queryKey: ["queue"] })),
  });
}

export function useSavedViews() {
  return useQuery({
    queryKey: ["views"],
    queryFn: () => api.get<{ items: SavedView[] }>("/views").then((r) => r.items),
    staleTime: 60_000,
  });
}

/**
 * How many tickets each saved view lists now. Its key starts with "queue", so every live update
 * that refreshes the lists and the queues' counts refreshes these too.
 */
export function useViewCounts(pollMs: number | false, enabled: boolean) {
  return useQuery({
    queryKey: ["queue", "view-counts"],
    queryFn: () => api.get<ViewCounts>("/views/counts").then((r) => new Map(r.items.map((i) => [i.id, i]))),
    refetchInterval: pollMs,
    staleTime: 10_000,
    enabled,
  });
}

export function useSaveView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ViewBody) => api.post<SavedView>("/views", body),
    onSuccess: () =>
      qc.invalidateQueries({ queryKey: ["views"] }).then(() => qc.invalidateQueries({ queryKey: ["queue", "view-counts"] })),
  });
}

export function useDeleteView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del(`/views/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["views"] }),
  });
}

/** The console URL that shows a saved view's list. */
export function viewHref(view: SavedView): string {
  const p = new URLSearchParams({ queue: view.filters.queue, view: view.id });
  if (view.filters.q) p.set("q", view.filters.q);
  if (view.filters.status) p.set("status", view.filters.status);
  if (view.filters.priority) p.set("priority", view.filters.priority);
  if (view.sort) p.set("sort", view.sort);
  return `/app/tickets?${p.toString()}`;
}

export function useBulk() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { ticket_ids: string[]; action: BulkAction }) => api.post<BulkResult>("/tickets/bulk", body),
    onSuccess: () =>
      qc.invalidateQueries({ queryKey: ["queue"] }).then(() => qc.invalidateQueries({ queryKey: ["ticket"] })),
  });
}
