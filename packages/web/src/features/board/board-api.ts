import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/api.ts";
import type { Board, BoardAgent, Items, User } from "../../lib/types.ts";

export function useBoard(pollMs: number | false) {
  return useQuery({
    queryKey: ["board"],
    queryFn: () => api.get<Board>("/board"),
    retry: false,
    refetchInterval: pollMs,
  });
}

/** Agent load from /users, for when the board endpoint is not there yet. */
export function useAgentLoad(enabled: boolean, pollMs: number | false) {
  return useQuery({
    queryKey: ["board", "agents-fallback"],
    enabled,
    refetchInterval: pollMs,
    queryFn: async (): Promise<BoardAgent[]> => {
      const pages = await Promise.all(
        (["agent", "supervisor"] as const).map((role) => api.get<Items<User>>("/users", { role })),
      );
      return pages
        .flatMap((p) => p.items)
        .filter((u) => u.agent && !u.disabled)
        .map((u) => ({
          id: u.id,
          name: u.name,
          tier: u.agent!.tier,
          presence: u.agent!.presence,
          open_tickets: u.agent!.open_tickets,
          capacity: u.agent!.capacity,
        }));
    },
  });
}

export function useReassign() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ ticketId, assigneeId }: { ticketId: string; assigneeId: string | null }) =>
      api.patch(`/tickets/${ticketId}`, { assignee_id: assigneeId }),
    onSettled: (_d, _e, v) => {
      void qc.invalidateQueries({ queryKey: ["board"] });
      void qc.invalidateQueries({ queryKey: ["ticket", v.ticketId] });
      void qc.invalidateQueries({ queryKey: ["queue"] });
    },
  });
}
