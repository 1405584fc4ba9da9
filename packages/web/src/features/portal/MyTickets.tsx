import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../../lib/api.ts";
import { usePollInterval } from "../../lib/live.ts";
import { formatDateTime } from "../../lib/time.ts";
import type { CustomerTicketSummary, Page } from "../../lib/types.ts";
import { StatusBadge } from "../../ui/Badges.tsx";
import { Empty, ErrorNote, Loading } from "../../ui/Notice.tsx";

/** The customer's own requests, most recently active first. */
export function MyTickets() {
  const { t, i18n } = useTranslation();
  const poll = usePollInterval(60_000);
  const list = useQuery({
    queryKey: ["queue", "portal"],
    queryFn: () => api.get<Page<CustomerTicketSummary>>("/tickets", { sort: "-updated_at", limit: 100 }),
    refetchInterval: poll,
  });
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("portal.my_tickets")}</h1>
        <Link to="/portal/new" className="button primary">
          {t("portal.new_ticket")}
        </Link>
      </div>
      {list.isLoading && <Loading />}
      <ErrorNote error={list.error} />
      {list.data && list.data.items.length === 0 && <Empty>{t("portal.no_tickets")}</Empty>}
      {list.data && list.data.items.length > 0 && (
        <ul className="portal-tickets">
          {list.data.items.map((tk) => (
            <li key={tk.id} className="card">
              <Link to={`/portal/tickets/${tk.id}`}>
                <span className="ticket-number">#{tk.number}</span> {tk.subject}
              </Link>
              <div className="portal-ticket-meta">
                <StatusBadge status={tk.status} />
                <span className="muted small">
                  {t("portal.updated_at", { time: formatDateTime(tk.updated_at, i18n.language) })}
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
