import { useEffect } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, api, setCsrfToken, setUnauthenticatedHandler } from "../../lib/api.ts";
import { changeLanguage } from "../../lib/i18n.ts";
import type { Session, User } from "../../lib/types.ts";

export const SESSION_KEY = ["session"] as const;

async function fetchSession(): Promise<Session | null> {
  try {
    return await api.get<Session>("/auth/session");
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** The signed-in user (null when signed out); keeps the CSRF token and the UI language in step. */
export function useSession() {
  const qc = useQueryClient();
  const query = useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 5 * 60_000, retry: 1 });
  const session = query.data ?? null;

  useEffect(() => {
    setCsrfToken(session?.csrf_token ?? null);
  }, [session?.csrf_token]);

  useEffect(() => {
    if (session?.user.language) void changeLanguage(session.user.language);
  }, [session?.user.language]);

  useEffect(() => {
    setUnauthenticatedHandler(() => qc.setQueryData(SESSION_KEY, null));
    return () => setUnauthenticatedHandler(null);
  }, [qc]);

  return { user: session?.user ?? null, isLoading: query.isLoading, error: query.error };
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) => api.post<Session>("/auth/login", body),
    onSuccess: (session) => {
      setCsrfToken(session.csrf_token);
      qc.setQueryData(SESSION_KEY, session);
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>("/auth/logout"),
    onSettled: () => {
      setCsrfToken(null);
      // Keep the session query itself (its observers must see `null`); drop everything else.
      qc.setQueryData(SESSION_KEY, null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
    },
  });
}

/** PATCH /me and keep the session's copy of the user current. */
export function useUpdateMe() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<Pick<User, "name" | "language">> & { presence?: "online" | "away" | "offline" }) =>
      api.patch<User>("/me", body),
    onSuccess: (user) => {
      qc.setQueryData<Session | null>(SESSION_KEY, (s) => (s ? { ...s, user } : s));
      void qc.invalidateQueries({ queryKey: ["users"] });
    },
  });
}

export const isStaff = (user: User | null): boolean => !!user && user.role !== "customer";
export const canSupervise = (user: User | null): boolean => user?.role === "supervisor" || user?.role === "admin";
export const isAdmin = (user: User | null): boolean => user?.role === "admin";
