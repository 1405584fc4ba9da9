import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../lib/time.ts";
import type { Message, Ticket } from "../../lib/types.ts";
import { FileLinks, RequestFiles } from "../agent-tools/Attachments.tsx";

/** "via WhatsApp" / "melalui WhatsApp": the channel a message came or went by. */
function Via({ channel }: { channel: string | undefined }) {
  const { t } = useTranslation();
  if (!channel) return null;
  return (
    <span className="muted small message-channel">
      {t("whatsapp.via", { channel: t(`channel.${channel}`, { defaultValue: channel }) })}
    </span>
  );
}

/** The conversation: the request first, then replies; internal notes set apart and labelled. Each message says its channel. */
export function Thread({
  ticket,
  messages,
  showNotes = true,
}: {
  ticket: Pick<Ticket, "id" | "requester" | "created_at" | "description"> & { channel?: string };
  messages: Message[];
  showNotes?: boolean;
}) {
  const { t, i18n } = useTranslation();
  return (
    <ol className="thread" aria-label={t("ticket.conversation")}>
      <li className="message message-customer">
        <div className="message-meta">
          <strong>{ticket.requester.name}</strong>
          <span className="muted">{formatDateTime(ticket.created_at, i18n.language)}</span>
          <Via channel={ticket.channel} />
        </div>
        <p className="message-body">{ticket.description}</p>
        <RequestFiles ticketId={ticket.id} />
      </li>
      {messages
        .filter((m) => showNotes || m.kind !== "note")
        .map((m) => {
          const isNote = m.kind === "note";
          const isCustomer = m.author?.role === "customer";
          return (
            <li
              key={m.id}
              className={`message ${isNote ? "message-note" : isCustomer ? "message-customer" : "message-agent"}`}
            >
              <div className="message-meta">
                {isNote && <span className="note-label">{t("ticket.internal_note")}</span>}
                <strong>{m.author?.name ?? t("common.system")}</strong>
                {!isNote && !isCustomer && m.author && (
                  <span className="muted small">{t(`role.${m.author.role}`, { defaultValue: m.author.role })}</span>
                )}
                <span className="muted">{formatDateTime(m.created_at, i18n.language)}</span>
                {!isNote && <Via channel={m.channel} />}
              </div>
              <p className="message-body">{m.body}</p>
              <FileLinks files={m.attachments} />
            </li>
          );
        })}
    </ol>
  );
}
