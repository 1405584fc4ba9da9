import { useEffect, useId, useRef, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api, isNotAvailable } from "../../lib/api.ts";
import { usePollInterval } from "../../lib/live.ts";
import { formatRelative, useNow } from "../../lib/time.ts";
import type { Notification } from "../../lib/types.ts";
import { Icon } from "../../ui/Icon.tsx";
import { notificationText } from "./notification-text.ts";

type NotificationList = { items: Notification[]; unread: number };

/** The header's in-app notifications: unread count, a list, mark as read. Hidden until the server has them. */
export function NotificationsBell() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const poll = usePollInterval(60_000);
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const now = useNow();
  const list = useQuery({
    queryKey: ["notifications"],
    queryFn: () => api.get<NotificationList>("/notifications"),
    retry: false,
    refetchInterval: poll,
  });
  const markRead = useMutation({
    mutationFn: (ids: string[]) => api.post<void>("/notifications/read", { ids }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["notifications"] }),
  });

  useEffect(() => {
    if (!open) return;
    const onDoc = (e: MouseEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", onDoc);
    return () => document.removeEventListener("mousedown", onDoc);
  }, [open]);

  if (isNotAvailable(list.error) || !list.data) return null;
  const { items, unread } = list.data;
  const unreadIds = items.filter((n) => !n.read_at).map((n) => n.id);

  return (
    <div
      className="notifications"
      ref={rootRef}
      onKeyDown={(e) => {
        if (e.key === "Escape" && open) {
          setOpen(false);
          (rootRef.current?.querySelector("button") as HTMLButtonElement | null)?.focus();
        }
      }}
    >
      <button
        type="button"
        className="icon-button bell"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={t("notifications.button", { count: unread })}
        onClick={() => setOpen((o) => !o)}
      >
        <Icon name="bell" />
        {unread > 0 && (
          <span className="bell-count" aria-hidden="true">
            {unread > 99 ? "99+" : unread}
          </span>
        )}
      </button>
      {open && (
        <div id={panelId} className="notifications-panel" role="region" aria-label={t("notifications.title")}>
          <div className="panel-head">
            <h2>{t("notifications.title")}</h2>
            {unreadIds.length > 0 && (
              <button type="button" className="link-button" onClick={() => markRead.mutate(unreadIds)}>
                {t("notifications.mark_all")}
              </button>
            )}
          </div>
          {items.length === 0 ? (
            <p className="empty">{t("notifications.empty")}</p>
          ) : (
            <ul>
              {items.map((n) => {
                const text = notificationText(n, t);
                return (
                  <li key={n.id} className={n.read_at ? "read" : "unread"}>
                    {n.ticket_id ? (
                      <Link
                        to={`/app/tickets/${n.ticket_id}`}
                        onClick={() => {
                          setOpen(false);
                          if (!n.read_at) markRead.mutate([n.id]);
                        }}
                      >
                        <strong>{text.title}</strong>
                      </Link>
                    ) : (
                      <strong>{text.title}</strong>
                    )}
                    <p>{text.body}</p>
                    <span className="muted small">
                      {!n.read_at && <span className="sr-only">{t("notifications.unread")} · </span>}
                      {formatRelative(n.created_at, now, i18n.language)}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
