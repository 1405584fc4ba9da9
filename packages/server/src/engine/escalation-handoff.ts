import { composeHandoff, type EscalationDecision, type Handoff, type HandoffCause } from "@eskala/core/escalation";
import type { Transaction } from "kysely";
import type { DB, HandoffNote, TicketRow } from "../db/schema.ts";
import { handoffFactsOf } from "./handoff-facts.ts";
import type { BusinessMinutes, EscalationCause } from "./escalation-types.ts";

/** A handoff's gist as a notification's flat params (the web words it with the ticket view's sentences). */
export function handoffParams(h: Handoff): Record<string, string | number | null> {
  const asked = h.asked.latest ?? h.asked.first;
  return {
    why: h.why.kind,
    rule: h.why.rule ?? null,
    event: h.why.event ?? null,
    target: h.why.target ?? null,
    threshold: h.why.threshold ?? null,
    minutes: h.why.minutes ?? null,
    request_reason: h.why.kind === "customer" || h.why.kind === "routing" ? (h.why.reason ?? null) : null,
    words: h.why.words ?? null,
    asked: asked ? asked.text : null,
  };
}

/** The handoff note a person wrote at the ticket's last move (not an automatic one). */
export function previousPersonNote(ticket: TicketRow) {
  const note = ticket.handoff_note as HandoffNote | null;
  if (!note || note.handoff || !note.author_id) return null;
  return { body: note.body, at: new Date(note.at), authorName: note.author_name };
}

/** What the handoff note reads when no person wrote one and the handoff says the rest (the ticket's language). */
export const ROUTING_NOTE = {
  en: "No agent in this tier has the skill this ticket needs.",
  id: "Tidak ada agen di tier ini yang punya keahlian yang dibutuhkan tiket ini.",
} as const;

/**
 * The automatic handoff of a move no person wrote a note for: the ticket's facts (read with the
 * batch's other tickets in a deadline batch: handoff-facts.ts) composed by core.
 */
export async function automaticHandoff(
  businessMinutes: BusinessMinutes | undefined,
  trx: Transaction<DB>,
  current: TicketRow,
  decision: EscalationDecision,
  cause: EscalationCause,
  now: Date,
): Promise<Handoff> {
  const facts = await handoffFactsOf(trx, current.id);
  const since = current.tier_entered_at ?? current.created_at;
  const business = businessMinutes ? await businessMinutes(trx, current, since, now) : null;
  const event = cause.event;
  let why: HandoffCause;
  if (cause.trigger === "customer")
    why = { kind: "customer", reason: cause.request?.reason ?? decision.reason, words: cause.request?.text ?? null };
  else if (!cause.ruleId && !event) why = { kind: "routing", reason: decision.reason };
  else
    why = {
      kind: cause.trigger === "sla_timer" ? "deadline" : "rule",
      ruleName: cause.ruleName ?? "",
      event: event?.type ?? "",
      target: typeof event?.data?.target === "string" ? event.data.target : null,
      threshold: typeof event?.data?.threshold === "number" ? event.data.threshold : null,
      minutes: typeof event?.data?.minutes === "number" ? event.data.minutes : null,
    };
  // A budget of another tier than the one left says nothing to the next level.
  const sla = facts.sla
    .filter((s) => !s.target.startsWith("tier_budget:") || s.target === `tier_budget:${decision.from.tier}`)
    .map((s) => (s.target.startsWith("tier_budget:") ? { ...s, target: "tier_budget" } : s));
  // The event that fires now may still wait in a deadline batch's buffer.
  if (
    event &&
    (event.type === "sla.breached" || event.type === "sla.warning") &&
    typeof event.data?.target === "string"
  )
    sla.push({
      target: event.data.target,
      state: event.type === "sla.breached" ? "breached" : "warning",
      dueAt: null,
      threshold: typeof event.data.threshold === "number" ? event.data.threshold : null,
    });
  return composeHandoff(
    {
      description: current.description,
      createdAt: current.created_at,
      firstCustomerMessage: null,
      latestCustomerMessage: facts.latestCustomerMessage,
      lastAgentReply: facts.lastAgentReply,
      notesCount: facts.notesCount,
      latestNote: facts.latestNote,
      previousNote: previousPersonNote(current),
      tierEnteredAt: since,
      businessMinutesInTier: business,
      sla: sla.filter(
        (s, i) => !(s.dueAt === null && sla.some((o, j) => j !== i && o.target === s.target && o.state === s.state)),
      ),
      nextDue:
        // The tier left behind's budget is no deadline for the next level.
        current.next_due_at &&
        current.next_due_target &&
        current.next_due_target !== "tier_budget" &&
        current.next_due_at > now
          ? { target: current.next_due_target, at: current.next_due_at }
          : null,
      fromTier: decision.from.tier,
      toTier: decision.to.tier,
      cause: why,
    },
    now,
  );
}
