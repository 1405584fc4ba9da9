import { useQuery } from "@tanstack/react-query";
import { api } from "../../lib/api.ts";
import type { Category, Group, Items, Tier, User } from "../../lib/types.ts";

const LONG = 5 * 60_000;

/** Reference data the console and admin share; cached for minutes and refreshed after edits. */
export function useTiers() {
  return useQuery({
    queryKey: ["tiers"],
    queryFn: () => api.get<Items<Tier>>("/tiers"),
    staleTime: LONG,
    select: (d) => d.items,
  });
}

export function useGroups() {
  return useQuery({
    queryKey: ["groups"],
    queryFn: () => api.get<Items<Group>>("/groups"),
    staleTime: LONG,
    select: (d) => d.items,
  });
}

export function useCategories() {
  return useQuery({
    queryKey: ["categories"],
    queryFn: () => api.get<Items<Category>>("/categories"),
    staleTime: LONG,
    select: (d) => d.items,
  });
}

/** Agents, supervisors and admins (for assignment, @mentions and the admin's agent list). */
export function useStaff(enabled = true) {
  return useQuery({
    queryKey: ["users", "staff"],
    enabled,
    staleTime: 60_000,
    queryFn: async () => {
      const roles = ["agent", "supervisor", "admin"] as const;
      const pages = await Promise.all(roles.map((role) => api.get<Items<User>>("/users", { role, limit: 500 })));
      return pages.flatMap((p) => p.items).sort((a, b) => a.name.localeCompare(b.name));
    },
  });
}

export function tierName(tiers: Tier[] | undefined, level: number | null | undefined): string {
  if (level === null || level === undefined) return "";
  return tiers?.find((t) => t.level === level)?.name ?? `Tier ${level}`;
}
