import type { Language, TicketStatus } from "../ticket/types.ts";
import { customerMessageKeyOf } from "./plan-escalation.ts";
import { ESCALATION_TRIGGERS, ESCALATION_TYPES, type CustomerMessageKey, type EscalationDecision } from "./types.ts";

type Texts = Record<Exclude<CustomerMessageKey, null>, (level: number) => string>;

// Tier names are an admin's internal vocabulary ("Tier 3 · Engineering"); customers hear the level only.
const TEXTS: Record<Language, Texts> = {
  en: {
    escalated_to_tier: (level) => `Your request has been passed to our level ${level} team.`,
    escalated_to_department: () => "Your request has been passed to our specialist team.",
    escalated_to_supervisor: () => "Your request has been passed to a supervisor.",
    escalation_request_received: () =>
      "We have received your escalation request. A supervisor will review your ticket and get back to you.",
  },
  id: {
    escalated_to_tier: (level) => `Permintaan Anda telah diteruskan ke tim tingkat ${level} kami.`,
    escalated_to_department: () => "Permintaan Anda telah diteruskan ke tim spesialis kami.",
    escalated_to_supervisor: () => "Permintaan Anda telah diteruskan ke supervisor kami.",
    escalation_request_received: () =>
      "Permintaan eskalasi Anda telah kami terima. Supervisor kami akan meninjau tiket Anda dan segera menghubungi Anda.",
  },
};

/**
 * The sentence a customer sees about an escalation, in their language; never the note, reason,
 * tier name or names of people and departments (the tier's level number only). Null when the
 * move is internal (de-escalation, re-assignment).
 */
export function customerEscalationText(decision: EscalationDecision, lang: Language): string | null {
  const key = decision.customer_message_key;
  return key === null ? null : TEXTS[lang][key](decision.to.tier);
}

/** Who has the ticket, as a customer may be told: "our level 2 team", never the tier's given name. */
export function customerTierLabel(level: number, lang: Language): string {
  return lang === "en" ? `our level ${level} team` : `tim tingkat ${level} kami`;
}

const STATUS_WORDS: Record<Language, Record<TicketStatus, string>> = {
  en: {
    new: "received",
    open: "being worked on",
    pending: "waiting for your reply",
    on_hold: "on hold",
    solved: "solved",
    closed: "closed",
  },
  id: {
    new: "diterima",
    open: "sedang ditangani",
    pending: "menunggu balasan Anda",
    on_hold: "ditunda",
    solved: "selesai",
    closed: "ditutup",
  },
};

/** A timeline event as stored: its type and its (internal) data. */
export interface StoredEvent {
  type: string;
  data: Readonly<Record<string, unknown>>;
}

const str = (v: unknown) => (typeof v === "string" ? v : null);
const oneOf = <T extends string>(list: readonly T[], v: unknown): T | null =>
  typeof v === "string" && (list as readonly string[]).includes(v) ? (v as T) : null;

/** The new status of a `ticket.updated` event that changed it (`changes.status` is `[from, to]`). */
export function statusChangedTo(event: StoredEvent): TicketStatus | null {
  if (event.type !== "ticket.updated") return null;
  const changes = event.data.changes as Record<string, unknown> | undefined;
  const status = changes?.status;
  const to = Array.isArray(status) ? status[1] : status;
  return oneOf(Object.keys(STATUS_WORDS.en) as TicketStatus[], to);
}

/** The customer message key of a stored `escalated` event, from its type and trigger. */
function escalationKey(event: StoredEvent): CustomerMessageKey {
  const type = oneOf(ESCALATION_TYPES, event.data.type);
  const trigger = oneOf(ESCALATION_TRIGGERS, event.data.trigger);
  return type && trigger ? customerMessageKeyOf(type, trigger) : null;
}

type Wording = (event: StoredEvent, lang: Language) => string | null;

/**
 * Customer wording per event type: the allow-list of what a customer's timeline and live stream
 * show. A type missing here (SLA deadlines, rules, links, assignments, internal notes …) or a
 * wording that answers null is internal.
 */
const CUSTOMER_WORDING: Record<string, Wording> = {
  "ticket.created": (_, lang) => (lang === "en" ? "We received your request." : "Permintaan Anda telah kami terima."),
  "ticket.imported": (_, lang) => (lang === "en" ? "We received your request." : "Permintaan Anda telah kami terima."),
  "ticket.updated": (e, lang) => {
    const to = statusChangedTo(e);
    if (!to) return null;
    return lang === "en"
      ? `Your request is now ${STATUS_WORDS.en[to]}.`
      : `Permintaan Anda kini ${STATUS_WORDS.id[to]}.`;
  },
  "message.added": (e, lang) => {
    if (e.data.kind !== "reply") return null;
    if (str(e.data.author_role) === "customer") return lang === "en" ? "You replied." : "Anda membalas.";
    return lang === "en" ? "Our team replied to you." : "Tim kami membalas Anda.";
  },
  escalated: (e, lang) => {
    const key = escalationKey(e);
    const level = typeof e.data.to_tier === "number" ? e.data.to_tier : null;
    if (key === null || (key === "escalated_to_tier" && level === null)) return null;
    return TEXTS[lang][key](level ?? 0);
  },
  "escalation.requested": (_, lang) => TEXTS[lang].escalation_request_received(0),
  "csat.rated": (_, lang) => (lang === "en" ? "Thank you for rating our help." : "Terima kasih atas penilaian Anda."),
};

/**
 * What a customer is told about a timeline event, in their language, or null when the event is
 * internal and must not reach them. Depends only on the event's type and the few public facts of
 * its data (new status, message kind, escalation type and level), never on names or notes.
 */
export function customerEventText(event: StoredEvent, lang: Language): string | null {
  const wording = Object.hasOwn(CUSTOMER_WORDING, event.type) ? CUSTOMER_WORDING[event.type] : undefined;
  return wording ? wording(event, lang) : null;
}

/** Event types a customer may ever see (each still subject to `customerEventText`). */
export const CUSTOMER_EVENT_TYPES: readonly string[] = Object.keys(CUSTOMER_WORDING);
