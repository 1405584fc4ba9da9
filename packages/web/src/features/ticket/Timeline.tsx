import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../lib/time.ts";
import type { Category, Group, User } from "../../lib/types.ts";
import { Empty, ErrorNote, Loading } from "../../ui/Notice.tsx";
import { useCategories, useGroups, useStaff } from "../console/reference.ts";
import { describeEvent, eventLabel, humanize, type Names } from "./event-text.ts";
import { useEvents } from "./ticket-api.ts";

export function namesFrom(users: User[] | undefined, groups: Group[] | undefined, categories?: Category[]): Names {
  return {
    users: new Map((users ?? []).map((u) => [u.id, u.name])),
    groups: new Map((groups ?? []).map((g) => [g.id, g.name])),
    categories: new Map((categories ?? []).map((c) => [c.id, c.name])),
  };
}

/** Every event of the ticket, newest last: changes, messages, escalations, SLA warnings and breaches, rule firings. */
export function Timeline({ ticketId }: { ticketId: string }) {
  const { t, i18n } = useTranslation();
  const events = useEvents(ticketId);
  const names = namesFrom(useStaff().data, useGroups().data, useCategories().data);
  if (events.isLoading) return <Loading />;
  if (events.error) return <ErrorNote error={events.error} />;
  if (!events.data?.length) return <Empty>{t("timeline.empty")}</Empty>;
  return (
    <ol className="timeline" aria-label={t("timeline.title")}>
      {[...events.data]
        .sort((a, b) => a.at.localeCompare(b.at) || Number(a.id) - Number(b.id))
        .map((e) => (
          <li key={e.id} className={`timeline-item event-${e.type.replace(/\./g, "-")}`}>
            <time dateTime={e.at}>{formatDateTime(e.at, i18n.language)}</time>
            <span className="event-type">{eventLabel(e.type, t)}</span>
            <span className="event-text">{describeEvent(e, t, names)}</span>
            <span className="muted small">
              {e.actor.name ?? t(`actor.${e.actor.kind}`, { defaultValue: humanize(e.actor.kind) })}
            </span>
          </li>
        ))}
    </ol>
  );
}
