import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../lib/time.ts";
import type { Group, TicketEvent, User } from "../../lib/types.ts";
import { Empty, ErrorNote, Loading } from "../../ui/Notice.tsx";
import { useGroups, useStaff } from "../console/reference.ts";
import { useEvents } from "./ticket-api.ts";

type Names = { users: Map<string, string>; groups: Map<string, string> };

function valueText(field: string, value: unknown, t: TFunction, names: Names): string {
  if (value === null || value === undefined || value === "") return "—";
  if (field === "status") return t(`status.${String(value)}`);
  if (field === "priority") return t(`priority.${String(value)}`);
  if (field === "assignee_id") return names.users.get(String(value)) ?? String(value).slice(0, 8);
  if (field === "group_id") return names.groups.get(String(value)) ?? String(value).slice(0, 8);
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}

const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));

/** One line for an event, in the viewer's language; unknown types fall back to their name and data. */
export function describeEvent(e: TicketEvent, t: TFunction, names: Names): string {
  const d = e.data;
  switch (e.type) {
    case "ticket.created":
    case "ticket.imported":
      return t("timeline.created", { channel: t(`channel.${str(d.channel) || "web"}`) });
    case "ticket.updated": {
      const changes = (d.changes ?? {}) as Record<string, [unknown, unknown] | unknown>;
      const parts = Object.entries(changes).map(([field, change]) => {
        const [from, to] = Array.isArray(change) && change.length === 2 ? change : [undefined, change];
        return t("timeline.change", {
          field: t(`field.${field}`, { defaultValue: field }),
          from: valueText(field, from, t, names),
          to: valueText(field, to, t, names),
        });
      });
      return parts.length ? parts.join("; ") : t("timeline.updated");
    }
    case "message.added":
      return d.kind === "note"
        ? t("timeline.note_added")
        : d.author_role === "customer"
          ? t("timeline.customer_replied")
          : t("timeline.agent_replied");
    case "escalated": {
      const text = t("timeline.escalated", {
        from: str(d.from_tier),
        to: str(d.to_tier),
        reason: d.reason ? t(`reason.${str(d.reason)}`, { defaultValue: str(d.reason) }) : "—",
      });
      return d.rule_name ? `${text} ${t("timeline.by_rule", { name: str(d.rule_name) })}` : text;
    }
    case "assigned": {
      const name = names.users.get(str(d.assignee_id)) ?? str(d.assignee_id);
      return t(d.reason === "agent_available" ? "timeline.assigned_available" : "timeline.assigned", { name });
    }
    case "tier.budget_exceeded":
      return t("timeline.budget_exceeded", { tier: str(d.tier), minutes: str(d.minutes) });
    case "escalation.acknowledged":
      return t("timeline.request_acknowledged");
    case "rule.fired":
      return t("timeline.rule_fired", { name: str(d.rule_name ?? d.name ?? d.rule_id) });
    case "sla.warning":
      return t("timeline.sla_warning", { target: t(`sla.target.${str(d.target)}`, { defaultValue: str(d.target) }) });
    case "sla.breached":
      return t("timeline.sla_breached", { target: t(`sla.target.${str(d.target)}`, { defaultValue: str(d.target) }) });
    case "escalation.requested":
      return t("timeline.escalation_requested", {
        reason: t(`customer_reason.${str(d.reason)}`, { defaultValue: str(d.reason) }),
      });
    case "satisfaction.rated":
      return t("timeline.rated", { rating: str(d.rating) });
    default:
      return `${e.type}${Object.keys(d).length ? ` · ${JSON.stringify(d).slice(0, 160)}` : ""}`;
  }
}

export function namesFrom(users: User[] | undefined, groups: Group[] | undefined): Names {
  return {
    users: new Map((users ?? []).map((u) => [u.id, u.name])),
    groups: new Map((groups ?? []).map((g) => [g.id, g.name])),
  };
}

/** Every event of the ticket, newest last: changes, messages, escalations, SLA warnings and breaches, rule firings. */
export function Timeline({ ticketId }: { ticketId: string }) {
  const { t, i18n } = useTranslation();
  const events = useEvents(ticketId);
  const names = namesFrom(useStaff().data, useGroups().data);
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
            <span className="event-type">{t(`event.${e.type}`, { defaultValue: e.type })}</span>
            <span className="event-text">{describeEvent(e, t, names)}</span>
            <span className="muted small">
              {e.actor.name ?? t(`actor.${e.actor.kind}`, { defaultValue: e.actor.kind })}
            </span>
          </li>
        ))}
    </ol>
  );
}
