import { useEffect, useState, useSyncExternalStore } from "react";
import { api, postOnUnload } from "../../lib/api.ts";
import { onPresence } from "../../lib/live.ts";
import type { Items } from "../../lib/types.ts";
import type { TicketPresence } from "./agent-tools-api.ts";

/** How often the browser says again what its user is doing, and how long an unrepeated report lasts. */
const REPORT_MS = 20_000;
const TTL_MS = 45_000;

/** Which ticket the user is writing a reply or note on right now (set by the composer). */
let composingOn: string | null = null;
const composingListeners = new Set<() => void>();
export function setComposing(ticketId: string, composing: boolean): void {
  const next = composing ? ticketId : composingOn === ticketId ? null : composingOn;
  if (next === composingOn) return;
  composingOn = next;
  for (const l of composingListeners) l();
}
function useComposingOn() {
  return useSyncExternalStore(
    (l) => {
      composingListeners.add(l);
      return () => void composingListeners.delete(l);
    },
    () => composingOn,
  );
}

type Seen = TicketPresence & { heardAt: number };

/**
 * Collision detection: reports that the user views (or replies to) the ticket, every 20 s and at
 * each change, says "left" on leaving, and returns who else is there, heard over the live stream
 * and dropped after 45 s without a report.
 */
export function useTicketPresence(ticketId: string): TicketPresence[] {
  const composing = useComposingOn() === ticketId;
  const [others, setOthers] = useState<Map<string, Seen>>(new Map());
  const [, tick] = useState(0);

  useEffect(() => {
    setOthers(new Map());
    const off = onPresence((raw) => {
      const p = raw as TicketPresence;
      if (p.ticket_id !== ticketId) return;
      setOthers((prev) => {
        const next = new Map(prev);
        if (p.state === "left") next.delete(p.user.id);
        else next.set(p.user.id, { ...p, heardAt: Date.now() });
        return next;
      });
    });
    const timer = setInterval(() => tick((n) => n + 1), 5_000);
    // Leaving by closing the tab or loading another page: said while the page unloads.
    const leave = () => postOnUnload(`/tickets/${ticketId}/presence`, { state: "left" });
    window.addEventListener("pagehide", leave);
    return () => {
      off();
      clearInterval(timer);
      window.removeEventListener("pagehide", leave);
      leave();
    };
  }, [ticketId]);

  useEffect(() => {
    const report = () =>
      api
        .post<Items<TicketPresence>>(`/tickets/${ticketId}/presence`, { state: composing ? "replying" : "viewing" })
        .then((res) =>
          setOthers((prev) => {
            const next = new Map(prev);
            for (const p of res.items) if (!next.has(p.user.id)) next.set(p.user.id, { ...p, heardAt: Date.now() });
            return next;
          }),
        )
        .catch(() => {});
    void report();
    const timer = setInterval(() => void report(), REPORT_MS);
    return () => clearInterval(timer);
  }, [ticketId, composing]);

  const now = Date.now();
  return [...others.values()].filter((p) => now - p.heardAt < TTL_MS);
}
