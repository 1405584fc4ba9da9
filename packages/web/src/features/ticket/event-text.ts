import type { TFunction } from "i18next";
import type { TicketEvent } from "../../lib/types.ts";

/** Names of staff, groups and categories by id, for sentences that mention them. */
export type Names = { users: Map<string, string>; groups: Map<string, string>; categories?: Map<string, string> };

/**
 * Every event type the server writes to a ticket's timeline. Each has a label (`event.<type>`)
 * and a sentence (`describeEvent`) in both languages; event-text.test.ts checks all of them.
 */
export const TIMELINE_EVENT_TYPES = [
  "ticket.created",
  "ticket.imported",
  "ticket.updated",
  "ticket.idle",
  "message.added",
  "escalated",
  "assigned",
  "escalation.requested",
  "escalation.acknowledged",
  "escalation_request.overdue",
  "sla.warning",
  "sla.breached",
  "tier.budget_exceeded",
  "rule.fired",
  "rule.action_failed",
  "rule.chain_stopped",
  "csat.rated",
  "csat.low",
  "satisfaction.rated",
  "ticket.linked",
  "ticket.unlinked",
  "issue.status_changed",
  "problem.linked",
  "problem.unlinked",
  "problem.known_error",
  "problem.fixed",
  "whatsapp.status",
  "whatsapp.failed",
  "whatsapp.media_failed",
] as const;

/** "ticket.idle" → "ticket idle": the last resort for a name the app has no words for. */
export const humanize = (s: string) => s.replace(/[._]+/g, " ").trim();

const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** A field's value as words: statuses and priorities translated, ids as names, lists joined. */
function valueText(field: string, value: unknown, t: TFunction, names: Names): string {
  if (value === null || value === undefined || value === "") return "—";
  if (field === "status") return t(`status.${str(value)}`, { defaultValue: humanize(str(value)) });
  if (field === "priority") return t(`priority.${str(value)}`, { defaultValue: humanize(str(value)) });
  if (field === "resolution_code") return t(`resolution.${str(value)}`, { defaultValue: humanize(str(value)) });
  if (field === "assignee_id") return names.users.get(str(value)) ?? t("timeline.someone");
  if (field === "group_id") return names.groups.get(str(value)) ?? t("timeline.a_group");
  if (field === "category_id") return names.categories?.get(str(value)) ?? t("timeline.a_category");
  if (field === "collaborator_ids" && Array.isArray(value))
    return value.map((id) => names.users.get(str(id)) ?? t("timeline.someone")).join(", ") || "—";
  if (Array.isArray(value)) return value.map(str).join(", ") || "—";
  if (typeof value === "object") return "—";
  return str(value);
}

/** An SLA target in words ("First response"); an unknown one humanized. */
const targetText = (target: unknown, t: TFunction) =>
  target ? t(`sla.target.${str(target)}`, { defaultValue: humanize(str(target)) }) : t("timeline.a_target");

/** A tag edit as what was added and removed ("Tag added: vip"), not the two lists. */
function tagsText(from: unknown[], to: unknown[], t: TFunction): string {
  const before = from.map(str);
  const after = to.map(str);
  const added = after.filter((x) => !before.includes(x));
  const removed = before.filter((x) => !after.includes(x));
  const parts = [
    ...(added.length ? [t("agent_tools.tags.added", { tags: added.join(", ") })] : []),
    ...(removed.length ? [t("agent_tools.tags.removed", { tags: removed.join(", ") })] : []),
  ];
  return parts.join("; ") || t("timeline.updated");
}

/** A collaborator edit as who was added and removed, by name, not the two lists of ids. */
function collaboratorsText(from: unknown[], to: unknown[], t: TFunction, names: Names): string {
  const name = (id: string) => names.users.get(id) ?? t("timeline.someone");
  const before = from.map(str);
  const after = to.map(str);
  const added = after.filter((x) => !before.includes(x)).map(name);
  const removed = before.filter((x) => !after.includes(x)).map(name);
  const parts = [
    ...(added.length ? [t("collab.added", { names: added.join(", ") })] : []),
    ...(removed.length ? [t("collab.removed", { names: removed.join(", ") })] : []),
  ];
  return parts.join("; ") || t("timeline.updated");
}

function updatedText(d: Record<string, unknown>, t: TFunction, names: Names): string {
  const changes = (d.changes ?? {}) as Record<string, unknown>;
  const parts = Object.entries(changes).map(([field, change]) => {
    const [from, to] = Array.isArray(change) && change.length === 2 ? change : [undefined, change];
    if (field === "tags" && Array.isArray(to)) return tagsText(Array.isArray(from) ? from : [], to, t);
    if (field === "collaborator_ids" && Array.isArray(to))
      return collaboratorsText(Array.isArray(from) ? from : [], to, t, names);
    return t("timeline.change", {
      field: t(`field.${field}`, { defaultValue: humanize(field) }),
      from: valueText(field, from, t, names),
      to: valueText(field, to, t, names),
    });
  });
  // A second import run that changed the ticket: what changed, and that the import did it.
  if (d.by_import) return parts.length ? `${parts.join("; ")} ${t("transfer.by_import")}` : t("transfer.updated");
  const text = parts.length ? parts.join("; ") : t("timeline.updated");
  return d.rule_name ? `${text} ${t("timeline.by_rule", { name: str(d.rule_name) })}` : text;
}

function escalatedText(d: Record<string, unknown>, t: TFunction, names: Names): string {
  const kind = d.type === "de_escalation" ? "de_escalated" : d.type === "reassignment" ? "reassigned" : "escalated";
  const parts = [
    t(`timeline.${kind}`, {
      from: str(d.from_tier),
      to: str(d.to_tier),
      reason: d.reason ? t(`reason.${str(d.reason)}`, { defaultValue: humanize(str(d.reason)) }) : "—",
    }),
  ];
  const group = str(d.to_group_name) || names.groups.get(str(d.to_group_id));
  if (group) parts.push(t("timeline.to_group", { name: group }));
  if (d.reason_text) parts.push(t("timeline.quote", { text: str(d.reason_text) }));
  if (d.rule_name) parts.push(t("timeline.by_rule", { name: str(d.rule_name) }));
  return parts.join(" ");
}

/** One sentence for a timeline event, in the viewer's language; never the event's raw name or data. */
export function describeEvent(e: Pick<TicketEvent, "type" | "data">, t: TFunction, names: Names): string {
  const d = (e.data ?? {}) as Record<string, unknown>;
  switch (e.type) {
    case "ticket.created":
    case "ticket.imported":
      return t("timeline.created", {
        channel: t(`channel.${str(d.channel) || "web"}`, { defaultValue: str(d.channel) }),
      });
    case "ticket.updated":
      return updatedText(d, t, names);
    case "ticket.idle":
      return num(d.minutes) !== null ? t("timeline.idle", { minutes: d.minutes }) : t("timeline.idle_plain");
    case "message.added": {
      const text =
        d.kind === "note"
          ? t("timeline.note_added")
          : d.author_role === "customer"
            ? t("timeline.customer_replied")
            : t("timeline.agent_replied");
      const mentioned = Array.isArray(d.mentions)
        ? d.mentions.map((id) => names.users.get(str(id)) ?? t("timeline.someone"))
        : [];
      return mentioned.length ? `${text} ${t("timeline.mentioned", { names: mentioned.join(", ") })}` : text;
    }
    case "escalated":
      return escalatedText(d, t, names);
    case "assigned": {
      const name = names.users.get(str(d.assignee_id)) ?? t("timeline.someone");
      return t(d.reason === "agent_available" ? "timeline.assigned_available" : "timeline.assigned", { name });
    }
    case "escalation.requested":
      return t("timeline.escalation_requested", {
        reason: d.reason ? t(`customer_reason.${str(d.reason)}`, { defaultValue: humanize(str(d.reason)) }) : "—",
      });
    case "escalation.acknowledged":
      return t("timeline.request_acknowledged");
    case "escalation_request.overdue":
      return t("timeline.request_overdue");
    case "sla.warning": {
      const threshold = num(d.threshold);
      return threshold !== null
        ? t("timeline.sla_warning_at", {
            target: targetText(d.target, t).toLocaleLowerCase(),
            percent: Math.round(threshold * 100),
          })
        : t("timeline.sla_warning", { target: targetText(d.target, t) });
    }
    case "sla.breached":
      return t("timeline.sla_breached", { target: targetText(d.target, t) });
    case "tier.budget_exceeded":
      return t("timeline.budget_exceeded", { tier: str(d.tier), minutes: str(d.minutes) });
    case "rule.fired":
      return t("timeline.rule_fired", { name: str(d.rule_name ?? d.name) || t("timeline.a_rule") });
    case "rule.action_failed":
      return t("timeline.rule_action_failed", {
        name: str(d.rule_name) || t("timeline.a_rule"),
        action: t(`timeline.action.${str(d.action)}`, { defaultValue: humanize(str(d.action)) }),
      });
    case "rule.chain_stopped":
      return t("timeline.rule_chain_stopped", { depth: str(d.depth) });
    case "csat.rated":
    case "satisfaction.rated":
      return t("timeline.rated", { rating: str(d.rating) });
    case "csat.low":
      return d.comment
        ? `${t("timeline.rated_low", { rating: str(d.rating) })} ${t("timeline.quote", { text: str(d.comment) })}`
        : t("timeline.rated_low", { rating: str(d.rating) });
    case "ticket.linked":
      return d.title
        ? t("timeline.linked_titled", { key: str(d.key), title: str(d.title) })
        : t("timeline.linked", { key: str(d.key) });
    case "ticket.unlinked":
      return t("timeline.unlinked", { key: str(d.key) });
    case "issue.status_changed":
      return t("timeline.issue_status", { key: str(d.key), from: str(d.previous_status) || "—", to: str(d.status) });
    case "problem.linked":
    case "problem.unlinked":
    case "problem.known_error":
      return t(`problems.timeline.${e.type.slice("problem.".length)}`, {
        number: str(d.problem_number),
        title: str(d.title),
      });
    case "problem.fixed":
      return t(d.solved ? "problems.timeline.fixed_solved" : "problems.timeline.fixed", {
        number: str(d.problem_number),
        title: str(d.title),
      });
    case "whatsapp.status": {
      const status = t(`whatsapp.status.${str(d.status)}`, { defaultValue: str(d.status) });
      return d.error
        ? t("whatsapp.timeline.status_error", { status, error: str(d.error) })
        : t("whatsapp.timeline.status", { status });
    }
    case "whatsapp.failed":
      return t(d.final ? "whatsapp.timeline.failed_final" : "whatsapp.timeline.failed", { error: str(d.error) });
    case "whatsapp.media_failed":
      return t(d.final ? "whatsapp.timeline.media_failed_final" : "whatsapp.timeline.media_failed", {
        file: str(d.filename),
        error: str(d.error),
      });
    default:
      return t("timeline.other", { name: humanize(e.type) });
  }
}

/** The short label of an event type ("SLA warning"). */
export const eventLabel = (type: string, t: TFunction) =>
  // Problem events' labels live with the problems feature's sentences (locales/features/problems.*).
  t(type.startsWith("problem.") ? `problems.event.${type.slice("problem.".length)}` : `event.${type}`, {
    defaultValue: humanize(type),
  });
