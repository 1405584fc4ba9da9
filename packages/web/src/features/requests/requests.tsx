import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../../lib/api.ts";
import { formatRelative, formatTime, useNow } from "../../lib/time.ts";
import type { EscalationRequest, Ticket, User } from "../../lib/types.ts";
import { Empty, ErrorNote } from "../../ui/Notice.tsx";
import { canSupervise } from "../auth/session.ts";
import { DueIn } from "../ticket/SlaBadges.tsx";
import { ticketKey, useEscalationRequests } from "../ticket/ticket-api.ts";

/** What the API adds to a request for staff: who asked and who acknowledged it. */
type StaffRequest = EscalationRequest & {
  customer?: { name: string; email: string };
  acknowledged_by?: { id: string; name: string } | null;
};

/** A supervisor acknowledges a customer's escalation request in person. */
export function useAcknowledgeRequest(ticketId?: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<StaffRequest>(`/escalation-requests/${id}/acknowledge`),
    onSettled: (_d, _e) => {
      void qc.invalidateQueries({ queryKey: ["board"] });
      if (ticketId) void qc.invalidateQueries({ queryKey: ticketKey(ticketId) });
    },
  });
}

/** "The customer asked to escalate: it is taking too long, “…”, 2 hours ago — answer by 15:30". */
function RequestSentence({ r }: { r: StaffRequest }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const reason = t(`customer_reason.${r.reason}`);
  return (
    <>
      {t("requests.asked", { reason: reason[0]!.toLocaleLowerCase() + reason.slice(1) })}
      {r.text ? t("requests.words", { text: r.text }) : null} ·{" "}
      <time dateTime={r.created_at}>{formatRelative(r.created_at, now, i18n.language)}</time>
      {r.due_at && <> — {t("requests.answer_by", { time: formatTime(r.due_at, i18n.language) })}</>}
    </>
  );
}

function AckState({ r }: { r: StaffRequest }) {
  const { t } = useTranslation();
  return r.acknowledged_by ? (
    <span className="badge request-acknowledged">
      {t("requests.acknowledged_by", { name: r.acknowledged_by.name })}
    </span>
  ) : (
    <span className="badge request-open">{t("requests.waiting")}</span>
  );
}

/** On the ticket: the customer's open escalation request, with acknowledge (supervisors) and answer. */
export function RequestBanner({ ticket, user }: { ticket: Pick<Ticket, "id">; user: User }) {
  const { t } = useTranslation();
  const requests = useEscalationRequests(ticket.id);
  const ack = useAcknowledgeRequest(ticket.id);
  const open = (requests.data as StaffRequest[] | undefined)?.find((r) => r.status !== "resolved");
  if (!open) return null;
  const answer = () => {
    const box = document.querySelector<HTMLTextAreaElement>(".ticket-main form textarea");
    box?.scrollIntoView({ block: "center" });
    box?.focus();
  };
  return (
    <aside className="request-banner" role="status" aria-labelledby="request-banner-title">
      <h2 id="request-banner-title" className="sr-only">
        {t("requests.title")}
      </h2>
      <p>
        <RequestSentence r={open} />
      </p>
      <div className="request-actions">
        <AckState r={open} />
        {canSupervise(user) && !open.acknowledged_by && (
          <button type="button" className="button" disabled={ack.isPending} onClick={() => ack.mutate(open.id)}>
            {t("requests.acknowledge")}
          </button>
        )}
        <button type="button" className="button primary" onClick={answer}>
          {t("requests.answer")}
        </button>
      </div>
      <ErrorNote error={ack.error} />
    </aside>
  );
}

/** On the board: each open request with its ticket, customer, words and time left to respond. */
export function BoardRequests({ items }: { items: StaffRequest[] }) {
  const { t } = useTranslation();
  const ack = useAcknowledgeRequest();
  if (items.length === 0) return <Empty>{t("board.no_requests")}</Empty>;
  return (
    <>
      <ErrorNote error={ack.error} />
      <ul className="plain-list board-requests">
        {items.map((r) => {
          const ticketId = r.ticket?.id ?? r.ticket_id;
          return (
            <li key={r.id} className="board-request">
              <Link to={`/app/tickets/${ticketId}?queue=all`}>
                #{r.ticket?.number} {r.ticket?.subject}
              </Link>
              {r.customer && <div className="muted small">{t("requests.customer", { name: r.customer.name })}</div>}
              <div>
                <RequestSentence r={r} />
              </div>
              <div className="request-actions">
                {r.due_at && <DueIn dueAt={r.due_at} target={null} />}
                <AckState r={r} />
                {!r.acknowledged_by && (
                  <button
                    type="button"
                    className="button small"
                    disabled={ack.isPending}
                    onClick={() => ack.mutate(r.id)}
                    aria-label={t("requests.acknowledge_n", { number: r.ticket?.number ?? "" })}
                  >
                    {t("requests.acknowledge")}
                  </button>
                )}
                <Link className="button small" to={`/app/tickets/${ticketId}?queue=all`}>
                  {t("requests.answer")}
                </Link>
              </div>
            </li>
          );
        })}
      </ul>
    </>
  );
}
