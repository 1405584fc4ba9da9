/**
 * The automatic handoff: when a rule, a deadline, routing or a customer's request moves a ticket
 * and no person wrote a note, the next level still learns what the customer asked, what has been
 * done, where the SLA stands and why the ticket moved — taken from the ticket's own data
 * (extractive, no AI). Pure: the facts and `now` in, the handoff's fields out; the web words them
 * in the viewer's language.
 */

/** Longest excerpt of a message kept in a handoff, in characters (before the ellipsis). */
export const HANDOFF_EXCERPT_CHARS = 240;

export interface HandoffMessageFact {
  body: string;
  at: Date;
  authorName?: string | null;
}

/** An SLA clock's state as the ticket's record tells it (latest per target). */
export interface HandoffSlaFact {
  target: string;
  state: "warning" | "breached";
  /** When the target is (or was) due. */
  dueAt: Date | null;
  /** For a warning: the share of the target used (0.5, 0.75). */
  threshold?: number | null;
}

/** Why the ticket moved, when no person moved it. */
export type HandoffCause =
  | {
      kind: "rule" | "deadline";
      ruleName: string;
      /** The rule event that fired (sla.breached, ticket.idle, sentiment.negative, …). */
      event: string;
      target?: string | null;
      threshold?: number | null;
      minutes?: number | null;
    }
  | { kind: "customer"; reason: string; words: string | null }
  | { kind: "routing"; reason: string };

export interface HandoffFacts {
  /** The ticket's description, when no customer message is recorded (a ticket made by an agent or the API). */
  description?: string | null;
  createdAt: Date;
  firstCustomerMessage: HandoffMessageFact | null;
  latestCustomerMessage: HandoffMessageFact | null;
  lastAgentReply: HandoffMessageFact | null;
  notesCount: number;
  latestNote: HandoffMessageFact | null;
  /** The handoff note a person left at the ticket's previous move, if any. */
  previousNote?: HandoffMessageFact | null;
  /** When the ticket entered the tier it is leaving (or was created). */
  tierEnteredAt: Date | null;
  /** Business minutes spent in that tier on the ticket's calendar; null when no calendar applies. */
  businessMinutesInTier: number | null;
  sla: HandoffSlaFact[];
  /** The nearest running deadline the ticket has. */
  nextDue?: { target: string; at: Date } | null;
  fromTier: number;
  toTier: number;
  cause: HandoffCause;
}

export interface HandoffExcerpt {
  text: string;
  at: string;
  /** True when the text was cut short. */
  shortened: boolean;
  author?: string | null;
}

/** The handoff as stored with the escalation (JSON: instants are ISO strings). */
export interface Handoff {
  v: 1;
  asked: { first: HandoffExcerpt | null; latest: HandoffExcerpt | null };
  done: {
    last_reply: HandoffExcerpt | null;
    notes_count: number;
    latest_note: HandoffExcerpt | null;
    previous_note: HandoffExcerpt | null;
    in_tier: { since: string; wall_minutes: number; business_minutes: number | null } | null;
  };
  sla: { target: string; state: "warning" | "breached"; due_at: string | null; threshold: number | null }[];
  next_due: { target: string; at: string } | null;
  why: {
    kind: HandoffCause["kind"];
    rule?: string;
    event?: string;
    target?: string | null;
    threshold?: number | null;
    minutes?: number | null;
    reason?: string;
    words?: string | null;
  };
  from_tier: number;
  to_tier: number;
}

/**
 * A message cut to at most `max` characters at a word boundary, with quoted reply lines ("> …")
 * and runs of white space removed. A single word longer than `max` is cut inside it.
 */
export function shortenText(text: string, max = HANDOFF_EXCERPT_CHARS): { text: string; shortened: boolean } {
  const clean = text
    .split(/\r?\n/)
    .filter((line) => !/^\s*>/.test(line))
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
  const chars = [...clean];
  if (chars.length <= max) return { text: clean, shortened: false };
  const head = chars.slice(0, max + 1).join("");
  const cut = head.search(/\s\S*$/);
  const kept = (cut > max / 2 ? head.slice(0, cut) : chars.slice(0, max).join("")).replace(/[\s,.;:!?-]+$/u, "");
  return { text: `${kept}…`, shortened: true };
}

function excerpt(m: HandoffMessageFact | null | undefined, max: number): HandoffExcerpt | null {
  if (!m) return null;
  const s = shortenText(m.body, max);
  if (!s.text) return null;
  return {
    text: s.text,
    at: m.at.toISOString(),
    shortened: s.shortened,
    ...(m.authorName !== undefined ? { author: m.authorName } : {}),
  };
}

/** The handoff a move nobody wrote a note for carries, composed from the ticket's facts at `now`. */
export function composeHandoff(facts: HandoffFacts, now: Date, max = HANDOFF_EXCERPT_CHARS): Handoff {
  const firstFact =
    facts.firstCustomerMessage ?? (facts.description ? { body: facts.description, at: facts.createdAt } : null);
  const first = excerpt(firstFact, max);
  // The latest message only when it is another one than the first.
  const latestFact =
    facts.latestCustomerMessage &&
    !(
      firstFact &&
      facts.latestCustomerMessage.at.getTime() === firstFact.at.getTime() &&
      facts.latestCustomerMessage.body === firstFact.body
    )
      ? facts.latestCustomerMessage
      : null;
  const since = facts.tierEnteredAt ?? facts.createdAt;
  const wall = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  const cause = facts.cause;
  const why: Handoff["why"] =
    cause.kind === "rule" || cause.kind === "deadline"
      ? {
          kind: cause.kind,
          rule: cause.ruleName,
          event: cause.event,
          target: cause.target ?? null,
          threshold: cause.threshold ?? null,
          minutes: cause.minutes ?? null,
        }
      : cause.kind === "customer"
        ? { kind: "customer", reason: cause.reason, words: cause.words ? shortenText(cause.words, max).text : null }
        : { kind: "routing", reason: (cause as { reason: string }).reason };
  // Breaches first, then warnings; each target once (its latest state).
  const byTarget = new Map<string, HandoffSlaFact>();
  for (const s of facts.sla) {
    const seen = byTarget.get(s.target);
    if (!seen || (seen.state === "warning" && s.state === "breached") || seen.state === s.state)
      byTarget.set(s.target, s);
  }
  const sla = [...byTarget.values()]
    .sort((a, b) =>
      a.state === b.state ? (a.dueAt?.getTime() ?? 0) - (b.dueAt?.getTime() ?? 0) : a.state === "breached" ? -1 : 1,
    )
    .map((s) => ({
      target: s.target,
      state: s.state,
      due_at: s.dueAt ? s.dueAt.toISOString() : null,
      threshold: s.state === "warning" ? (s.threshold ?? null) : null,
    }));
  const nextDue =
    facts.nextDue && !sla.some((s) => s.target === facts.nextDue!.target && s.state === "breached")
      ? { target: facts.nextDue.target, at: facts.nextDue.at.toISOString() }
      : null;
  return {
    v: 1,
    asked: { first, latest: excerpt(latestFact, max) },
    done: {
      last_reply: excerpt(facts.lastAgentReply, max),
      notes_count: facts.notesCount,
      latest_note: excerpt(facts.latestNote, max),
      previous_note: excerpt(facts.previousNote, max),
      in_tier: {
        since: since.toISOString(),
        wall_minutes: wall,
        business_minutes:
          facts.businessMinutesInTier === null ? null : Math.max(0, Math.floor(facts.businessMinutesInTier)),
      },
    },
    sla,
    next_due: nextDue,
    why,
    from_tier: facts.fromTier,
    to_tier: facts.toTier,
  };
}
