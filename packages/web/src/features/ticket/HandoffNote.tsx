import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../lib/time.ts";
import type { Ticket } from "../../lib/types.ts";
import { Icon } from "../../ui/Icon.tsx";
import { handoffNoteText } from "../notifications/notification-text.ts";
import { handoffSections } from "./handoff-text.ts";

/**
 * The note the previous level left when it passed the ticket on, pinned above the thread. A move
 * no person wrote a note for (a rule, a deadline, routing, the customer's request) shows its
 * automatic handoff: why it moved, what the customer asked, what was done, the SLA state.
 */
export function HandoffNote({ note }: { note: NonNullable<Ticket["handoff_note"]> }) {
  const { t, i18n } = useTranslation();
  const sections = note.handoff ? handoffSections(note.handoff, t, i18n.language) : null;
  return (
    <aside className="handoff-note" aria-labelledby="handoff-title">
      <h2 id="handoff-title">
        <Icon name="pin" size={16} /> {t("ticket.handoff_title", { from: note.from_tier, to: note.to_tier })}
      </h2>
      {sections ? (
        <div className="handoff-auto" data-testid="handoff-auto">
          {sections.map((s) => (
            <section key={s.id} className="handoff-section" data-section={s.id}>
              <h3>{s.title}</h3>
              <ul>
                {s.lines.map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      ) : (
        <p className="handoff-body">{handoffNoteText(note.body, t)}</p>
      )}
      <p className="muted small">
        {sections ? t("handoff.auto") : (note.author_name ?? t("common.system"))} ·{" "}
        {formatDateTime(note.at, i18n.language)}
      </p>
    </aside>
  );
}
