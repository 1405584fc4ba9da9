import type { Language } from "../ticket/types.ts";
import type { RuleEvent, RuleEventType, SlaTarget } from "./types.ts";

const TARGETS: Record<Language, Record<SlaTarget, string>> = {
  en: {
    first_response: "first response",
    next_response: "next response",
    periodic_update: "periodic update",
    resolution: "resolution",
    tier_budget: "tier budget",
  },
  id: {
    first_response: "respons pertama",
    next_response: "respons berikutnya",
    periodic_update: "kabar berkala",
    resolution: "penyelesaian",
    tier_budget: "anggaran tier",
  },
};

const EVENTS: Record<Language, Record<RuleEventType, string>> = {
  en: {
    "ticket.created": "A ticket was created.",
    "ticket.updated": "The ticket was updated.",
    "ticket.idle": "The ticket has had no activity for too long.",
    "message.customer": "The customer wrote.",
    "message.agent": "An agent wrote.",
    "sla.warning": "An SLA target is at risk.",
    "sla.breached": "An SLA target was missed.",
    "tier.budget_exceeded": "The tier's time budget is used up.",
    "sentiment.negative": "The customer sounds upset.",
    "csat.low": "A low satisfaction rating arrived.",
    "escalation.requested": "The customer asked for escalation.",
  },
  id: {
    "ticket.created": "Tiket baru dibuat.",
    "ticket.updated": "Tiket diperbarui.",
    "ticket.idle": "Tiket terlalu lama tanpa aktivitas.",
    "message.customer": "Pelanggan menulis.",
    "message.agent": "Agen menulis.",
    "sla.warning": "Target SLA berisiko terlewati.",
    "sla.breached": "Target SLA terlewati.",
    "tier.budget_exceeded": "Anggaran waktu tier habis.",
    "sentiment.negative": "Pelanggan terdengar kesal.",
    "csat.low": "Penilaian kepuasan rendah masuk.",
    "escalation.requested": "Pelanggan meminta eskalasi.",
  },
};

/**
 * What a rule event means, as one staff-facing sentence in `lang` ("The resolution target was
 * missed.", "75% waktu respons pertama sudah terpakai."): for notices and the notes rules write.
 * Never the event's raw name; an unknown event type or target reads as a general sentence.
 */
export function ruleEventSentence(event: Pick<RuleEvent, "type" | "data">, lang: Language): string {
  const rawTarget = event.data?.target;
  const target = rawTarget && Object.hasOwn(TARGETS[lang], rawTarget) ? TARGETS[lang][rawTarget] : null;
  const threshold = event.data?.threshold;
  const percent = typeof threshold === "number" && Number.isFinite(threshold) ? Math.round(threshold * 100) : null;
  if (target && event.type === "sla.warning")
    return percent !== null
      ? lang === "en"
        ? `${percent}% of the ${target} time is used.`
        : `${percent}% waktu ${target} sudah terpakai.`
      : lang === "en"
        ? `The ${target} target is at risk.`
        : `Target ${target} berisiko terlewati.`;
  if (target && event.type === "sla.breached")
    return lang === "en" ? `The ${target} target was missed.` : `Target ${target} terlewati.`;
  if (Object.hasOwn(EVENTS[lang], event.type)) return EVENTS[lang][event.type];
  return lang === "en" ? "Something changed on the ticket." : "Ada perubahan pada tiket.";
}
