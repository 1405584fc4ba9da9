import { useQuery } from "@tanstack/react-query";
import { api } from "../../lib/api.ts";
import type { CustomerTicket } from "../../lib/types.ts";
import { ticketKey } from "../ticket/ticket-api.ts";

/** The customer's view of one of their tickets (the API gives customers this shape). */
export function useCustomerTicket(id: string, pollMs: number | false = false) {
  return useQuery({
    queryKey: ticketKey(id),
    queryFn: () => api.get<CustomerTicket>(`/tickets/${id}`),
    refetchInterval: pollMs,
  });
}
