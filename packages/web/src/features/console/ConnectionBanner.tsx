import { useTranslation } from "react-i18next";
import { useConnectionLost, useLiveState } from "../../lib/live.ts";

/** "Reconnecting…" while the live stream is down; "connection lost" when requests fail outright. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const live = useLiveState();
  const lost = useConnectionLost();
  if (lost) {
    return (
      <div className="banner banner-error" role="alert">
        {t("live.lost")}
      </div>
    );
  }
  if (live === "reconnecting") {
    return (
      <div className="banner banner-warning" role="status">
        {t("live.reconnecting")}
      </div>
    );
  }
  return null;
}
