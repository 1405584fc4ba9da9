import { useState } from "react";
import { useTranslation } from "react-i18next";
import { usePollInterval } from "../../lib/live.ts";
import { isNotAvailable } from "../../lib/api.ts";
import type { User } from "../../lib/types.ts";
import { PriorityBadge, StatusBadge } from "../../ui/Badges.tsx";
import { ErrorNote, Loading } from "../../ui/Notice.tsx";
import { Tabs } from "../../ui/Tabs.tsx";
import { canSupervise } from "../auth/session.ts";
import { CustomerPanel } from "../agent-tools/CustomerPanel.tsx";
import { PresenceBar } from "../agent-tools/PresenceBar.tsx";
import { Composer } from "./Composer.tsx";
import { EscalateDialog } from "./EscalateDialog.tsx";
import { HandoffNote } from "./HandoffNote.tsx";
import { RequestBanner } from "../requests/requests.tsx";
import { ProblemPanel } from "../problems/ProblemPanel.tsx";
import { SlaBadges } from "./SlaBadges.tsx";
import { Thread } from "./Thread.tsx";
import { TicketProperties } from "./TicketProperties.tsx";
import { CollabPanel } from "./CollabPanel.tsx";
import { Timeline } from "./Timeline.tsx";
import { slaOf, useEscalations, useMessages, useTicket } from "./ticket-api.ts";

/** One ticket for an agent: header, SLA clocks, pinned handoff note, conversation or timeline, properties. */
export function TicketView({ ticketId, user }: { ticketId: string; user: User }) {
  const { t } = useTranslation();
  const poll = usePollInterval(30_000);
  const ticket = useTicket(ticketId, poll);
  const messages = useMessages(ticketId, poll);
  const escalations = useEscalations(ticketId);
  const [tab, setTab] = useState<"conversation" | "timeline">("conversation");
  const [dialog, setDialog] = useState<"escalate" | "de_escalate" | null>(null);

  if (ticket.isLoading) return <Loading />;
  if (ticket.error || !ticket.data) return <ErrorNote error={ticket.error} />;
  const tk = ticket.data;
  const escalationAvailable = !isNotAvailable(escalations.error);
  const open = tk.status !== "solved" && tk.status !== "closed";

  return (
    <article className="ticket-view" aria-labelledby="ticket-title">
      <header className="ticket-head">
        <div className="ticket-title-row">
          <h1 id="ticket-title">
            <span className="ticket-number">#{tk.number}</span> {tk.subject}
          </h1>
          <div className="ticket-actions">
            {open && escalationAvailable && (
              <button
                type="button"
                className="button primary"
                data-shortcut="escalate"
                onClick={() => setDialog("escalate")}
              >
                {t("ticket.escalate")}
              </button>
            )}
            {open && escalationAvailable && canSupervise(user) && tk.tier > 1 && (
              <button type="button" className="button" onClick={() => setDialog("de_escalate")}>
                {t("ticket.de_escalate")}
              </button>
            )}
          </div>
        </div>
        <ul className="ticket-meta" aria-label={t("ticket.summary")}>
          <li>
            <span className="meta-label">{t("ticket.tier")}</span> <span className="tier-pill">{tk.tier_name}</span>
          </li>
          <li>
            <span className="meta-label">{t("ticket.group")}</span> {tk.group?.name ?? "—"}
          </li>
          <li>
            <span className="meta-label">{t("ticket.assignee")}</span> {tk.assignee?.name ?? t("ticket.unassigned")}
          </li>
          <li>
            <span className="meta-label">{t("ticket.priority")}</span> <PriorityBadge priority={tk.priority} />
          </li>
          <li>
            <span className="meta-label">{t("ticket.status")}</span> <StatusBadge status={tk.status} />
          </li>
        </ul>
        {!escalationAvailable && open && <p className="not-available small">{t("ticket.escalation_not_available")}</p>}
        <SlaBadges sla={slaOf(tk)} />
        <PresenceBar ticketId={tk.id} />
      </header>
      <RequestBanner ticket={tk} user={user} />
      {tk.handoff_note && <HandoffNote note={tk.handoff_note} />}
      <ProblemPanel ticket={tk} />
      <div className="ticket-body">
        <div className="ticket-main">
          <Tabs
            label={t("ticket.views")}
            value={tab}
            onChange={setTab}
            tabs={[
              { key: "conversation", label: t("ticket.conversation") },
              { key: "timeline", label: t("timeline.title") },
            ]}
          >
            {tab === "conversation" ? (
              <>
                {messages.error ? (
                  <ErrorNote error={messages.error} />
                ) : (
                  <Thread ticket={tk} messages={messages.data ?? []} />
                )}
                <Composer ticket={tk} />
              </>
            ) : (
              <Timeline ticketId={tk.id} />
            )}
          </Tabs>
        </div>
        <div className="ticket-side">
          <TicketProperties ticket={tk} user={user} />
          <CollabPanel ticket={tk} user={user} />
          <CustomerPanel requesterId={tk.requester.id} ticketId={tk.id} />
        </div>
      </div>
      {dialog && <EscalateDialog ticket={tk} mode={dialog} open onClose={() => setDialog(null)} />}
    </article>
  );
}
