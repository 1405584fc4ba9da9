import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/api.ts";
import type {
  EscalateBody,
  Escalation,
  EscalationRequest,
  Items,
  Message,
  Ticket,
  TicketEvent,
  TicketSla,
  UpdateTicketBody,
} from "../../lib/types.ts";

export const ticketKey = (id: string) => ["ticket", id] as const;

export function useTicket(id: string, pollMs: number | false = false) {
  return useQuery({
    queryKey: ticketKey(id),
    queryFn: () => api.get<Ticket>(`/tickets/${id}`),
    refetchInterval: pollMs,
  });
}

export function useMessages(id: string, pollMs: number | false = false) {
  return useQuery({
    queryKey: [...ticketKey(id), "messages"],
    queryFn: () => api.get<Items<Message>>(`/tickets/${id}/messages`),
    select: (d) => d.items,
    refetchInterval: pollMs,
  });
}

export function useEvents(id: string, enabled = true) {
  return useQuery({
    queryKey: [...ticketKey(id), "events"],
    queryFn: () => api.get<Items<TicketEvent>>(`/tickets/${id}/events`),
    select: (d) => d.items,
    enabled,
  });
}

/** The engine's escalation records (404 until it lands: callers hide the feature). */
export function useEscalations(id: string) {
  return useQuery({
    queryKey: [...ticketKey(id), "escalations"],
    queryFn: () => api.get<Items<Escalation>>(`/tickets/${id}/escalations`),
    select: (d) => d.items,
    retry: false,
  });
}

export function useEscalationRequests(id: string) {
  return useQuery({
    queryKey: [...ticketKey(id), "escalation-requests"],
    queryFn: () => api.get<Items<EscalationRequest>>(`/tickets/${id}/escalation-requests`),
    select: (d) => d.items,
    retry: false,
  });
}

/** The SLA block, when the server sends one. */
export function slaOf(ticket: Pick<Ticket, "sla">): TicketSla | undefined {
  const sla = (ticket as { sla?: unknown }).sla;
  return sla && typeof sla === "object" && Array.isArray((sla as TicketSla).clocks) ? (sla as TicketSla) : undefined;
}

function useInvalidateTicket(id: string) {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ticketKey(id) });
    void qc.invalidateQueries({ queryKey: ["queue"] });
    void qc.invalidateQueries({ queryKey: ["board"] });
  };
}

/** PATCH with the version the agent saw, so a concurrent change is reported instead of overwritten. */
export function useUpdateTicket(id: string) {
  const invalidate = useInvalidateTicket(id);
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateTicketBody) => api.patch<Ticket>(`/tickets/${id}`, body),
    onSuccess: (ticket) => qc.setQueryData(ticketKey(id), ticket),
    onSettled: invalidate,
  });
}

export function useAddMessage(id: string) {
  const invalidate = useInvalidateTicket(id);
  return useMutation({
    mutationFn: (body: {
      body: string;
      kind: "reply" | "note";
      status?: string;
      resolution_code?: string;
      attachments?: { filename: string; content_type: string; content_base64: string }[];
    }) => api.post<Message>(`/tickets/${id}/messages`, body),
    onSuccess: invalidate,
  });
}

export function useEscalate(id: string) {
  const invalidate = useInvalidateTicket(id);
  return useMutation({
    mutationFn: (body: EscalateBody) => api.post<Escalation>(`/tickets/${id}/escalations`, body),
    onSuccess: invalidate,
  });
}
