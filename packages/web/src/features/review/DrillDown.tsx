import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { TicketFilter } from "@eskala/contracts";
import { Dialog } from "../../ui/Dialog.tsx";
import { Empty, ErrorNote, Loading } from "../../ui/Notice.tsx";
import { useFormats } from "./format.ts";
import { useReportTickets } from "./review-api.ts";

type Drill = { title: string; filter: TicketFilter };
const DrillContext = createContext<(title: string, filter: TicketFilter) => void>(() => undefined);

/** Any figure on the page can open the list of the tickets behind it. */
export function useDrill(): (title: string, filter: TicketFilter) => void {
  return useContext(DrillContext);
}

export function DrillProvider({ children }: { children: ReactNode }) {
  const [drill, setDrill] = useState<Drill | null>(null);
  const open = useCallback((title: string, filter: TicketFilter) => setDrill({ title, filter }), []);
  return (
    <DrillContext.Provider value={open}>
      {children}
      <Dialog open={drill !== null} onClose={() => setDrill(null)} title={drill?.title ?? ""} wide>
        {drill && <DrillTickets filter={drill.filter} />}
      </Dialog>
    </DrillContext.Provider>
  );
}

/** A number that lists its tickets when clicked; zero is plain text (nothing behind it). */
export function DrillNumber({
  value,
  text,
  title,
  filter,
}: {
  value: number;
  text?: string;
  title: string;
  filter: TicketFilter | undefined;
}) {
  const open = useDrill();
  const { t } = useTranslation();
  const f = useFormats();
  const shown = text ?? f.count(value);
  if (value === 0 || !filter) return <span className="figure">{shown}</span>;
  return (
    <button
      type="button"
      className="figure figure-link"
      title={t("review.drill.open", { title })}
      aria-label={t("review.drill.open_n", { title, n: shown })}
      onClick={() => open(title, filter)}
    >
      {shown}
    </button>
  );
}

function DrillTickets({ filter }: { filter: TicketFilter }) {
  const { t } = useTranslation();
  const tickets = useReportTickets(filter);
  const f = useFormats();
  const items = useMemo(() => tickets.data?.pages.flatMap((p) => p.items) ?? [], [tickets.data]);
  if (tickets.isLoading) return <Loading />;
  if (tickets.error) return <ErrorNote error={tickets.error} />;
  if (items.length === 0) return <Empty>{t("review.drill.empty")}</Empty>;
  return (
    <div className="drill">
      <p className="muted">{t("review.drill.count", { count: items.length, more: tickets.hasNextPage ? "+" : "" })}</p>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("review.drill.ticket")}</th>
              <th scope="col">{t("review.drill.status")}</th>
              <th scope="col">{t("review.drill.priority")}</th>
              <th scope="col">{t("review.drill.tier")}</th>
              <th scope="col">{t("review.drill.escalations")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((ticket) => (
              <tr key={ticket.id}>
                <td>
                  <Link to={`/app/tickets/${ticket.id}?queue=all`}>
                    #{ticket.number} {ticket.subject}
                  </Link>
                </td>
                <td>
                  <span className={`badge status-${ticket.status}`}>{t(`status.${ticket.status}`)}</span>
                </td>
                <td>{t(`priority.${ticket.priority}`)}</td>
                <td>{t("review.tier_n", { level: ticket.tier })}</td>
                <td>{f.count(ticket.escalation_count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {tickets.hasNextPage && (
        <button
          type="button"
          className="button small"
          disabled={tickets.isFetchingNextPage}
          onClick={() => void tickets.fetchNextPage()}
        >
          {t("review.drill.more")}
        </button>
      )}
    </div>
  );
}
