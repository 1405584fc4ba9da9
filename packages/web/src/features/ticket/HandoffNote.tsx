import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../lib/time.ts";
import type { Ticket } from "../../lib/types.ts";
import { Icon } from "../../ui/Icon.tsx";
import { handoffNoteText } from "../notifications/notification-text.ts";

/** The note the previous level left when it passed the ticket on, pinned above the thread. */
export function HandoffNote({ note }: { note: NonNullable<Ticket["handoff_note"]> }) {
  const { t, i18n } = useTranslation();
  return (
    <aside className="handoff-note" aria-labelledby="handoff-title">
      <h2 id="handoff-title">
        <Icon name="pin" size={16} /> {t("ticket.handoff_title", { from: note.from_tier, to: note.to_tier })}
      </h2>
      <p className="handoff-body">{handoffNoteText(note.body, t)}</p>
      <p className="muted small">
        {note.author_name ?? t("common.system")} · {formatDateTime(note.at, i18n.language)}
      </p>
    </aside>
  );
}
