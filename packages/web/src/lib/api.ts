import type { Problem } from "@eskala/contracts";
import { connectionLost } from "./live.ts";

/** A failed API call: a problem+json body, or no answer at all (`isNetwork`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string | undefined;
  readonly fieldErrors: NonNullable<Problem["errors"]>;

  constructor(status: number, problem: Partial<Problem>, message?: string) {
    super(message ?? problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = problem.code ?? (status === 0 ? "network" : "internal");
    this.detail = problem.detail;
    this.fieldErrors = problem.errors ?? [];
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }

  /** The endpoint does not exist on this server yet (Fastify's "No route" 404). */
  get isNotAvailable(): boolean {
    return this.status === 404 && (this.detail ?? "").startsWith("No route");
  }
}

export function isNotAvailable(err: unknown): boolean {
  return err instanceof ApiError && err.isNotAvailable;
}

type Query = Record<string, string | number | boolean | readonly string[] | null | undefined>;

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** The session's CSRF token, sent as X-CSRF-Token on every change. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** A POST sent as the page unloads (keepalive), e.g. "I left this ticket"; its answer is not awaited. */
export function postOnUnload(path: string, body: unknown): void {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (csrfToken) headers["x-csrf-token"] = csrfToken;
  void fetch(`/api/v1${path}`, {
    method: "POST",
    keepalive: true,
    credentials: "same-origin",
    headers,
    body: JSON.stringify(body),
  }).catch(() => {});
}

/** Called when a request comes back 401 (the session expired or was revoked). */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

export function buildQuery(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(","));
    } else params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  query?: Query,
  signal?: AbortSignal,
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json, application/problem+json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}${buildQuery(query)}`, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: signal ?? null,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    // Said at once, before any retry: the banner tells the user nothing is being saved.
    connectionLost.set(true);
    throw new ApiError(0, { code: "network" }, "network error");
  }
  connectionLost.set(false);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith("/auth/")) onUnauthenticated?.();
    // A proxy's HTML error page or an empty 502 means the server itself is unreachable.
    if (data === undefined && res.status >= 502) throw new ApiError(0, { code: "network" });
    throw new ApiError(res.status, (data ?? {}) as Partial<Problem>);
  }
  return data as T;
}

/** The typed client for /api/v1: paths are relative to it. */
export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>("GET", path, undefined, query, signal),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, body),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, body),
  del: <T = void>(path: string) => request<T>("DELETE", path),
};

/** Field errors keyed by dotted path ("requester.email"), for showing beside the fields. */
export function fieldErrorsOf(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof ApiError)) return out;
  for (const e of err.fieldErrors) {
    const key = e.path.join(".");
    if (!(key in out)) out[key] = e.message;
  }
  return out;
}
