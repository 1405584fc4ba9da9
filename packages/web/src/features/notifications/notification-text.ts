import type { TFunction } from "i18next";
import { RULE_EVENT_TYPES } from "@eskala/core/rules";
import type { Notification } from "../../lib/types.ts";
import { humanize } from "../ticket/event-text.ts";
import { handoffWhy } from "../ticket/handoff-text.ts";
import type { Handoff } from "@eskala/contracts";

/**
 * Every notification kind the server writes: a rule's `notify` action names its event (any rule
 * event), an escalation tells whoever now has the ticket, the engineering link tells the assignee of an issue's new status, a note's `@name`
 * tells the person mentioned. notification-text.test.ts words each in both languages.
 */
export const NOTIFICATION_KINDS = [
  ...RULE_EVENT_TYPES,
  "escalated",
  "issue.status_changed",
  "mention",
  "collaborator.added",
  "collaborator.customer_replied",
  "collaborator.escalated",
] as const;

const RULE_KINDS = new Set<string>(RULE_EVENT_TYPES);
// The English body rows had before they carried params: "sla.warning · first_response · 50%".
const LEGACY_RULE_BODY = /^([a-z_.]+)(?: · ([a-z_]+))?(?: · (\d+)%)?$/;

const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));

/** What a rule event means, as a sentence ("The first response target is 50% used."). */
export function ruleEventSentence(kind: string, target: string, percent: string, t: TFunction): string {
  const targetWords = target ? t(`sla.target.${target}`, { defaultValue: humanize(target) }).toLocaleLowerCase() : "";
  if (kind === "sla.warning" && target)
    return percent
      ? t("notifications.sla_warning_at", { target: targetWords, percent })
      : t("notifications.sla_warning", { target: targetWords });
  if (kind === "sla.breached" && target) return t("notifications.sla_breached", { target: targetWords });
  return `${t(`rules.events.${kind}`, { defaultValue: humanize(kind) })}.`;
}

// The note a rule wrote on an escalation before it was worded: "<rule name>: sla.breached (resolution)".
const LEGACY_RULE_NOTE = /^(.+): ([a-z_]+\.[a-z_.]+)(?: \(([a-z_]+)\))?$/;

/** A handoff note as written, except a rule's old raw note, which is read into a sentence. */
export function handoffNoteText(body: string, t: TFunction): string {
  const legacy = LEGACY_RULE_NOTE.exec(body);
  if (!legacy || !RULE_KINDS.has(legacy[2]!)) return body;
  return `${legacy[1]}: ${ruleEventSentence(legacy[2]!, legacy[3] ?? "", "", t)}`;
}

/**
 * A notification's title and body in the viewer's language, from its kind and params. Rows
 * written before notifications carried params keep their stored title; a rule's old raw body
 * ("sla.warning · first_response · 50%") is still read into a sentence.
 */
export function notificationText(
  n: Pick<Notification, "kind" | "title" | "body" | "params">,
  t: TFunction,
): { title: string; body: string } {
  const p = n.params ?? {};
  const hasParams = Object.keys(p).length > 0;
  const title = hasParams
    ? p.subject !== undefined
      ? t("notifications.ticket", { number: str(p.number), subject: str(p.subject) })
      : t("notifications.ticket_number", { number: str(p.number) })
    : n.title;

  if (n.kind === "mention")
    return { title, body: t("notifications.mention", { author: str(p.author) || t("notifications.someone") }) };
  if (n.kind === "collaborator.added")
    return { title, body: t("collab.notify_added", { author: str(p.author) || t("notifications.someone") }) };
  if (n.kind === "collaborator.customer_replied") return { title, body: t("collab.notify_customer_replied") };
  if (n.kind === "collaborator.escalated")
    return {
      title,
      body:
        p.from_tier !== undefined && p.to_tier !== undefined
          ? t("collab.notify_escalated", { from: str(p.from_tier), to: str(p.to_tier) })
          : t("collab.notify_moved"),
    };
  if (n.kind === "escalated") {
    // Rows from before params: the body was the handoff note, or the bare reason ("sla_breach").
    if (!hasParams)
      return /^[a-z_]+$/.test(n.body)
        ? { title, body: t(`reason.${n.body}`, { defaultValue: humanize(n.body) }) }
        : { title, body: n.body };
    const moved = t("notifications.escalated", {
      from: str(p.from_tier),
      to: str(p.to_tier),
      reason: t(`reason.${str(p.reason)}`, { defaultValue: humanize(str(p.reason)) }).toLocaleLowerCase(),
    });
    // A move nobody wrote a note for: why it moved and the customer's words, as the handoff says them.
    if (p.why) {
      const why = handoffWhy(
        {
          kind: str(p.why) as Handoff["why"]["kind"],
          rule: str(p.rule),
          event: str(p.event),
          target: p.target === null ? null : str(p.target),
          threshold: typeof p.threshold === "number" ? p.threshold : null,
          reason: str(p.request_reason),
          words: p.words === null || p.words === undefined ? null : str(p.words),
        },
        Number(p.from_tier),
        t,
      );
      const asked = p.asked ? [t("handoff.notice", { text: str(p.asked) })] : [];
      return { title, body: [moved, ...why, ...asked].join(" ") };
    }
    return { title, body: p.note ? `${moved} ${t("timeline.quote", { text: str(p.note) })}` : moved };
  }
  if (n.kind === "issue.status_changed" && hasParams)
    return {
      title,
      body: t("notifications.issue_status", {
        key: str(p.key),
        from: str(p.previous_status) || "—",
        to: str(p.status),
      }),
    };
  if (RULE_KINDS.has(n.kind)) {
    if (hasParams) {
      const sentence = ruleEventSentence(n.kind, str(p.target), str(p.percent), t);
      return { title, body: `${sentence} ${t("notifications.by_rule", { name: str(p.rule) })}` };
    }
    const legacy = LEGACY_RULE_BODY.exec(n.body);
    if (legacy) return { title, body: ruleEventSentence(legacy[1]!, legacy[2] ?? "", legacy[3] ?? "", t) };
  }
  if (hasParams) return { title, body: t("notifications.other") };
  return { title: n.title, body: n.body };
}
