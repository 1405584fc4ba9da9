import type { TFunction } from "i18next";
import type { Handoff } from "@eskala/contracts";
import { formatDateTime, formatMinutes } from "../../lib/time.ts";
import { ruleEventSentence } from "../notifications/notification-text.ts";
import { humanize } from "./event-text.ts";

export type HandoffSection = { id: "why" | "asked" | "done" | "sla"; title: string; lines: string[] };

const lowerFirst = (s: string) => (s ? s[0]!.toLocaleLowerCase() + s.slice(1) : s);
const percentOf = (threshold: number | null | undefined) =>
  typeof threshold === "number" ? String(Math.round(threshold * 100)) : "";

/** A target's name ("Resolution", "Respons pertama"), never its key. */
function targetName(target: string, t: TFunction): string {
  return t(`sla.target.${target}`, { defaultValue: humanize(target) });
}

/** Why the ticket moved, as one or two sentences in the viewer's language. */
export function handoffWhy(why: Handoff["why"], fromTier: number, t: TFunction): string[] {
  switch (why.kind) {
    case "rule":
    case "deadline": {
      const sentence = ruleEventSentence(why.event ?? "", why.target ?? "", percentOf(why.threshold), t);
      return [t(`handoff.why.${why.kind}`, { rule: why.rule ?? "", sentence })];
    }
    case "customer": {
      const reason = lowerFirst(
        t(`customer_reason.${why.reason ?? "other"}`, { defaultValue: humanize(why.reason ?? "other") }),
      );
      const lines = [t("handoff.why.customer", { reason })];
      if (why.words) lines.push(t("handoff.why.customer_words", { words: why.words }));
      return lines;
    }
    case "routing":
      return why.reason === "missing_skill"
        ? [t("handoff.why.routing_missing_skill", { tier: fromTier })]
        : [
            t("handoff.why.routing", {
              reason: lowerFirst(t(`reason.${why.reason ?? "other"}`, { defaultValue: humanize(why.reason ?? "") })),
            }),
          ];
  }
}

/**
 * The automatic handoff as sentences in the viewer's language: why the ticket moved, what the
 * customer asked, what has been done and where the SLA stands. The same words serve the ticket
 * view and the "escalated to you" notification.
 */
export function handoffSections(h: Handoff, t: TFunction, lang: string): HandoffSection[] {
  const when = (iso: string) => formatDateTime(iso, lang);
  const units = { d: t("units.d"), h: t("units.h"), m: t("units.m") };
  const someone = t("handoff.done.someone");

  const asked: string[] = [];
  if (h.asked.first) asked.push(t("handoff.asked.first", { when: when(h.asked.first.at), text: h.asked.first.text }));
  if (h.asked.latest)
    asked.push(t("handoff.asked.latest", { when: when(h.asked.latest.at), text: h.asked.latest.text }));
  if (asked.length === 0) asked.push(t("handoff.asked.none"));

  const done: string[] = [];
  const reply = h.done.last_reply;
  done.push(
    reply
      ? t("handoff.done.last_reply", { author: reply.author || someone, when: when(reply.at), text: reply.text })
      : t("handoff.done.no_reply"),
  );
  const note = h.done.latest_note;
  done.push(
    h.done.notes_count > 0 && note
      ? t("handoff.done.notes", {
          count: h.done.notes_count,
          author: note.author || someone,
          when: when(note.at),
          text: note.text,
        })
      : t("handoff.done.no_notes"),
  );
  const previous = h.done.previous_note;
  if (previous) done.push(t("handoff.done.previous_note", { author: previous.author || someone, text: previous.text }));
  const inTier = h.done.in_tier;
  if (inTier) {
    const wall = formatMinutes(inTier.wall_minutes, units);
    done.push(
      inTier.business_minutes === null
        ? t("handoff.done.in_tier_wall", { tier: h.from_tier, wall })
        : t("handoff.done.in_tier", {
            tier: h.from_tier,
            wall,
            business: formatMinutes(inTier.business_minutes, units),
          }),
    );
  }

  const sla = h.sla.map((s) => {
    const target = targetName(s.target, t);
    if (s.state === "breached")
      return s.due_at
        ? t("handoff.sla.breached", { target, when: when(s.due_at) })
        : t("handoff.sla.breached_undated", { target });
    return s.due_at && s.threshold !== null
      ? t("handoff.sla.warning", { target, percent: percentOf(s.threshold), when: when(s.due_at) })
      : t("handoff.sla.warning_undated", { target });
  });
  if (h.next_due)
    sla.push(
      t("handoff.sla.next_due", { target: lowerFirst(targetName(h.next_due.target, t)), when: when(h.next_due.at) }),
    );
  if (sla.length === 0) sla.push(t("handoff.sla.none"));

  return [
    { id: "why", title: t("handoff.section.why"), lines: handoffWhy(h.why, h.from_tier, t) },
    { id: "asked", title: t("handoff.section.asked"), lines: asked },
    { id: "done", title: t("handoff.section.done"), lines: done },
    { id: "sla", title: t("handoff.section.sla"), lines: sla },
  ];
}
