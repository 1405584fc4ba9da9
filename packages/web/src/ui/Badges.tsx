import { useTranslation } from "react-i18next";
import type { Presence, Priority, TicketStatus } from "../lib/types.ts";

export function StatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return <span className={`badge status-${status}`}>{t(`status.${status}`)}</span>;
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  const { t } = useTranslation();
  return (
    <span className={`badge priority-${priority}`}>
      <span className="sr-only">{t("ticket.priority")}: </span>
      {t(`priority.${priority}`)}
    </span>
  );
}

export function PresenceDot({ presence }: { presence: Presence }) {
  const { t } = useTranslation();
  return (
    <span className={`presence presence-${presence}`}>
      <span className="dot" aria-hidden="true" />
      {t(`presence.${presence}`)}
    </span>
  );
}
