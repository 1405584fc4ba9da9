import { useEffect, useSyncExternalStore } from "react";
import { useQueryClient, type QueryClient } from "@tanstack/react-query";

/**
 * Live updates over Server-Sent Events. EventSource reconnects by itself after a dropped
 * connection; when the server refuses the stream outright (it closes the source), we probe
 * once: a 404 means the server has no stream yet, so pages fall back to polling.
 */
export type LiveState = "connecting" | "open" | "reconnecting" | "unavailable";

type Store<T> = { get: () => T; set: (v: T) => void; subscribe: (l: () => void) => () => void };
function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set: (v) => {
      if (v === value) return;
      value = v;
      for (const l of listeners) l();
    },
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

const liveState = createStore<LiveState>("connecting");
/** True after a fetch failed for want of a connection; cleared by the next success. */
export const connectionLost = createStore<boolean>(false);

export function useLiveState(): LiveState {
  return useSyncExternalStore(liveState.subscribe, liveState.get);
}

export function useConnectionLost(): boolean {
  return useSyncExternalStore(connectionLost.subscribe, connectionLost.get);
}

/** How often pages poll when there is no live stream (ms), or false when the stream is up. */
export function usePollInterval(ms: number): number | false {
  const state = useLiveState();
  return state === "open" ? false : ms;
}

type TicketEventData = { ticket_id?: string; type?: string };

/** Which caches a batch of ticket changes makes stale. */
export function invalidateForTickets(qc: QueryClient, ticketIds: Set<string | undefined>): void {
  void qc.invalidateQueries({ queryKey: ["queue"] });
  void qc.invalidateQueries({ queryKey: ["board"] });
  void qc.invalidateQueries({ queryKey: ["escalation-requests"] });
  if (ticketIds.has(undefined)) void qc.invalidateQueries({ queryKey: ["ticket"] });
  for (const id of ticketIds) if (id) void qc.invalidateQueries({ queryKey: ["ticket", id] });
}

/**
 * Collects ticket events for a moment before invalidating, so a burst (a rule touching
 * hundreds of tickets) refetches each list once instead of hundreds of times.
 */
function createBatcher(qc: QueryClient, delayMs = 400) {
  let pending = new Set<string | undefined>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    add(id: string | undefined) {
      pending.add(id);
      timer ??= setTimeout(() => {
        const ids = pending;
        pending = new Set();
        timer = null;
        invalidateForTickets(qc, ids);
      }, delayMs);
    },
    cancel() {
      if (timer) clearTimeout(timer);
    },
  };
}

async function streamExists(signal: AbortSignal): Promise<boolean> {
  try {
    const res = await fetch("/api/v1/stream", { signal, headers: { accept: "text/event-stream" } });
    const ok = res.status !== 404;
    void res.body?.cancel();
    return ok;
  } catch {
    return true; // unreachable server: keep retrying
  }
}

/** Hear who else views or replies to tickets (`event: presence`, staff streams only). */
const presenceListeners = new Set<(item: unknown) => void>();
export function onPresence(listener: (item: unknown) => void): () => void {
  presenceListeners.add(listener);
  return () => void presenceListeners.delete(listener);
}

/** Opens the stream while mounted (signed-in screens) and invalidates caches on each event. */
export function useLiveUpdates(enabled: boolean): void {
  const qc = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let retryMs = 2000;
    let stopped = false;
    const probe = new AbortController();
    const batch = createBatcher(qc);

    const open = () => {
      if (stopped) return;
      source = new EventSource("/api/v1/stream", { withCredentials: true });
      source.onopen = () => {
        retryMs = 2000;
        liveState.set("open");
        connectionLost.set(false);
      };
      source.addEventListener("ticket", (e) => {
        let data: TicketEventData = {};
        try {
          data = JSON.parse((e as MessageEvent<string>).data) as TicketEventData;
        } catch {
          /* an event without a body still means "something changed" */
        }
        batch.add(data.ticket_id);
      });
      source.addEventListener("presence", (e) => {
        let data: unknown;
        try {
          data = JSON.parse((e as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const listener of presenceListeners) listener(data);
      });
      source.addEventListener("notification", () => {
        void qc.invalidateQueries({ queryKey: ["notifications"] });
      });
      source.onerror = () => {
        if (!source || stopped) return;
        if (source.readyState === EventSource.CONNECTING) {
          liveState.set("reconnecting");
          return;
        }
        source.close();
        void streamExists(probe.signal).then((exists) => {
          if (stopped) return;
          if (!exists) {
            liveState.set("unavailable");
            return;
          }
          liveState.set("reconnecting");
          retryTimer = setTimeout(open, retryMs);
          retryMs = Math.min(retryMs * 2, 30_000);
        });
      };
    };
    open();
    return () => {
      stopped = true;
      probe.abort();
      batch.cancel();
      if (retryTimer) clearTimeout(retryTimer);
      source?.close();
      liveState.set("connecting");
    };
  }, [enabled, qc]);
}
