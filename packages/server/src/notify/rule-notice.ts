import { ruleEventSentence, type RuleEvent } from "@eskala/core/rules";

/**
 * A rule's in-app notice: the kind (its event), the params the web app words in each viewer's
 * language (`notifications.*` in its locales), and an English title and body for API clients.
 */
export function ruleNotice(
  ticket: { number: number; subject: string },
  ruleName: string,
  event: Pick<RuleEvent, "type" | "data">,
): { kind: string; title: string; body: string; params: Record<string, string | number | null> } {
  const threshold = event.data?.threshold;
  return {
    kind: event.type,
    title: `#${ticket.number} ${ticket.subject}`,
    body: `${ruleEventSentence(event, "en")} (Rule “${ruleName}”)`,
    params: {
      number: ticket.number,
      subject: ticket.subject,
      rule: ruleName,
      target: event.data?.target ?? null,
      percent: typeof threshold === "number" ? Math.round(threshold * 100) : null,
    },
  };
}
