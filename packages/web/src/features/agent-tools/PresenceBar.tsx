import { useTranslation } from "react-i18next";
import { useTicketPresence } from "./presence.ts";

/** "Siti is viewing" / "Siti is replying…": who else has the ticket open, so two agents don't answer at once. */
export function PresenceBar({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const others = useTicketPresence(ticketId);
  return (
    <div className="presence-bar" role="status" aria-live="polite">
      {others.map((p) => (
        <span key={p.user.id} className={`presence presence-${p.state}`}>
          <span className="presence-dot" aria-hidden="true" />
          {t(p.state === "replying" ? "agent_tools.presence.replying" : "agent_tools.presence.viewing", {
            name: p.user.name,
          })}
        </span>
      ))}
    </div>
  );
}
