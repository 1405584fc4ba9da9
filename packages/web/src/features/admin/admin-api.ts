import { useMutation, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { api } from "../../lib/api.ts";
import type { Items } from "../../lib/types.ts";

/** A list resource under /api/v1 (tiers, groups, calendars, rules…); 404 until the engine adds it. */
export function useList<T>(key: QueryKey, path: string, query?: Record<string, string>) {
  return useQuery({
    queryKey: key,
    queryFn: () => api.get<Items<T>>(path, query),
    select: (d) => d.items,
    retry: false,
  });
}

/** Create (POST path) or update (PATCH path/id), then refresh every cache that shows the resource. */
export function useSave<T>(path: string, invalidate: QueryKey[]) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string | number | undefined; body: unknown }) =>
      id !== undefined ? api.patch<T>(`${path}/${id}`, body) : api.post<T>(path, body),
    onSuccess: () => {
      for (const key of invalidate) void qc.invalidateQueries({ queryKey: key });
    },
  });
}

export function useRemove(path: string, invalidate: QueryKey[]) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del(`${path}/${id}`),
    onSuccess: () => {
      for (const key of invalidate) void qc.invalidateQueries({ queryKey: key });
    },
  });
}
