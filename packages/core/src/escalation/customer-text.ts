import type { Language } from "../ticket/types.ts";
import type { CustomerMessageKey, EscalationDecision } from "./types.ts";

type Texts = Record<Exclude<CustomerMessageKey, null>, (tierName: string) => string>;

const TEXTS: Record<Language, Texts> = {
  en: {
    escalated_to_tier: (tier) => `Your request has been passed to our ${tier} team.`,
    escalated_to_department: () => "Your request has been passed to our specialist team.",
    escalated_to_supervisor: () => "Your request has been passed to a supervisor.",
    escalation_request_received: () =>
      "We have received your escalation request. A supervisor will review your ticket and get back to you.",
  },
  id: {
    escalated_to_tier: (tier) => `Permintaan Anda telah diteruskan ke tim ${tier} kami.`,
    escalated_to_department: () => "Permintaan Anda telah diteruskan ke tim spesialis kami.",
    escalated_to_supervisor: () => "Permintaan Anda telah diteruskan ke supervisor kami.",
    escalation_request_received: () =>
      "Permintaan eskalasi Anda telah kami terima. Supervisor kami akan meninjau tiket Anda dan segera menghubungi Anda.",
  },
};

/**
 * The sentence a customer sees about an escalation, in their language; never the note, reason or
 * names of people and departments. Null when the move is internal (de-escalation, re-assignment).
 */
export function customerEscalationText(decision: EscalationDecision, tierName: string, lang: Language): string | null {
  const key = decision.customer_message_key;
  if (key === null) return null;
  const name = tierName.trim() === "" ? `Tier ${decision.to.tier}` : tierName.trim();
  return TEXTS[lang][key](name);
}
