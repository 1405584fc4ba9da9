import { useTranslation } from "react-i18next";
import type { Presence } from "../../lib/types.ts";
import { useSession, useUpdateMe } from "./session.ts";

const PRESENCES: Presence[] = ["online", "away", "offline"];

/** The agent's own presence, which routing reads when assigning new and escalated tickets. */
export function PresenceSelect() {
  const { t } = useTranslation();
  const { user } = useSession();
  const updateMe = useUpdateMe();
  if (!user?.agent) return null;
  return (
    <label className={`header-control presence-select presence-${user.agent.presence}`}>
      <span className="dot" aria-hidden="true" />
      <span className="sr-only">{t("header.presence")}</span>
      <select
        aria-label={t("header.presence")}
        value={user.agent.presence}
        disabled={updateMe.isPending}
        onChange={(e) => updateMe.mutate({ presence: e.target.value as Presence })}
      >
        {PRESENCES.map((p) => (
          <option key={p} value={p}>
            {t(`presence.${p}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
