import { useTranslation } from "react-i18next";
import { formatDateTime, formatTime } from "../../lib/time.ts";
import type { CustomerTicket, TicketEvent } from "../../lib/types.ts";
import { slaOf } from "../ticket/ticket-api.ts";

const PROMISES = ["first_response", "next_response", "periodic_update"] as const;

/** The customer wording of a timeline event (the server's customer view gives it in both languages). */
function eventText(event: TicketEvent | undefined, lang: string): string | null {
  const text = event?.data.text as { id?: unknown; en?: unknown } | undefined;
  const chosen = lang.startsWith("en") ? text?.en : text?.id;
  return typeof chosen === "string" ? chosen : null;
}

/**
 * What the customer most wants to know: who is handling it now ("escalated to level 2 at 10:42";
 * tiers by level, never the names an admin gave them) and when they will hear from us next (the
 * earliest running response or update clock).
 */
export function LiveStatus({ ticket, events }: { ticket: CustomerTicket; events: TicketEvent[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const lastEscalation = [...events].reverse().find((e) => e.type === "escalated");
  const sla = slaOf(ticket);
  const running = (sla?.clocks ?? []).filter(
    (c) =>
      (PROMISES as readonly string[]).includes(c.target) && c.state !== "achieved" && c.state !== "paused" && c.due_at,
  );
  // A promise already missed is not repeated as a time in the past: the customer is told we are late.
  const nowIso = new Date().toISOString();
  const next = running.filter((c) => c.due_at! > nowIso).sort((a, b) => a.due_at!.localeCompare(b.due_at!))[0];
  const late = running.some((c) => c.due_at! <= nowIso);
  const open = ticket.status !== "solved" && ticket.status !== "closed";
  const toTier = lastEscalation ? Number(lastEscalation.data.to_tier) : null;
  const customerText = eventText(lastEscalation, lang);

  return (
    <section className="live-status card" aria-labelledby="live-status-title" aria-live="polite">
      <h2 id="live-status-title">{t("portal.live_status")}</h2>
      <p className="live-level">{t("portal.handled_by", { tier: t("portal.level_team", { level: ticket.tier }) })}</p>
      {lastEscalation && toTier !== null && (
        <p className="live-escalated">
          <strong>
            {t("portal.escalated_at", {
              tier: t("portal.level", { level: toTier }),
              time: formatTime(lastEscalation.at, lang),
            })}
          </strong>
          <span className="muted small"> · {formatDateTime(lastEscalation.at, lang)}</span>
        </p>
      )}
      {customerText && <p className="muted">{customerText}</p>}
      {open && next?.due_at && (
        <p className="live-next">
          {t(next.target === "periodic_update" ? "portal.next_update" : "portal.next_response", {
            time: formatDateTime(next.due_at, lang),
          })}
        </p>
      )}
      {open && late && ticket.status !== "pending" && <p className="live-late">{t("portal.late")}</p>}
      {ticket.status === "pending" && <p>{t("portal.waiting_on_you")}</p>}
      {!open && <p>{t(ticket.status === "solved" ? "portal.solved_note" : "portal.closed_note")}</p>}
    </section>
  );
}
