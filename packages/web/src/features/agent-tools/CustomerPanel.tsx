import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { formatDateTime } from "../../lib/time.ts";
import type { TicketStatus } from "../../lib/types.ts";
import { StatusBadge } from "../../ui/Badges.tsx";
import { ErrorNote } from "../../ui/Notice.tsx";
import { useRequesterSummary } from "./agent-tools-api.ts";

/** The requester at a glance: organisation, their other tickets (open first) and past ratings. */
export function CustomerPanel({ requesterId, ticketId }: { requesterId: string; ticketId: string }) {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const summary = useRequesterSummary(requesterId);
  if (summary.error) return <ErrorNote error={summary.error} />;
  const s = summary.data;
  if (!s) return null;
  const others = s.tickets.filter((tk) => tk.id !== ticketId);
  return (
    <section className="customer-panel card" aria-labelledby="customer-panel-title">
      <h2 id="customer-panel-title">{t("agent_tools.panel.title")}</h2>
      <p>
        <strong>{s.user.name}</strong>
        <br />
        <span className="muted small">{s.user.email}</span>
      </p>
      <dl className="customer-panel-facts">
        <dt>{t("agent_tools.panel.organization")}</dt>
        <dd>
          {s.organization ? s.organization.name : t("agent_tools.panel.no_organization")}
          {s.organization?.segment ? <span className="muted small"> · {s.organization.segment}</span> : null}
        </dd>
        <dt>{t("agent_tools.panel.tickets")}</dt>
        <dd>{t("agent_tools.panel.ticket_counts", { open: s.open_count, count: s.total_count })}</dd>
        <dt>{t("agent_tools.panel.satisfaction")}</dt>
        <dd>
          {s.average_rating === null
            ? t("agent_tools.panel.no_ratings")
            : t("agent_tools.panel.average", {
                rating: s.average_rating.toLocaleString(i18n.language === "id" ? "id-ID" : "en-GB"),
                count: s.ratings.length,
              })}
        </dd>
      </dl>
      <h3>{t("agent_tools.panel.other_tickets")}</h3>
      {others.length === 0 ? (
        <p className="muted small">{t("agent_tools.panel.no_other_tickets")}</p>
      ) : (
        <ul className="customer-panel-tickets" aria-label={t("agent_tools.panel.other_tickets")}>
          {others.map((tk) => (
            <li key={tk.id}>
              <Link to={`/app/tickets/${tk.id}?${params.toString()}`}>
                <span className="ticket-number">#{tk.number}</span> {tk.subject}
              </Link>{" "}
              <StatusBadge status={tk.status as TicketStatus} />
            </li>
          ))}
        </ul>
      )}
      {s.ratings.length > 0 && (
        <>
          <h3>{t("agent_tools.panel.ratings")}</h3>
          <ul className="customer-panel-ratings">
            {s.ratings.map((r) => (
              <li key={r.ticket_id}>
                <span aria-label={t("agent_tools.panel.rating_label", { rating: r.rating })}>
                  {"★".repeat(r.rating)}
                  {"☆".repeat(Math.max(0, 5 - r.rating))}
                </span>{" "}
                <span className="muted small">
                  #{r.ticket_number} · {formatDateTime(r.rated_at, i18n.language)}
                </span>
                {r.comment && <q className="small">{r.comment}</q>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
