import {
  CLAUSE_BREAKS,
  INTENSIFIER_FACTOR,
  INTENSIFIERS_AFTER,
  INTENSIFIERS_BEFORE,
  NEGATION_WINDOW,
  NEGATORS,
  STOPWORDS,
} from "./lexicon.ts";
import { longestPhraseAt, type Phrase } from "./lexicon-index.ts";
import { clausesOf, hasRepeatedExclamation, isShouting } from "./tokenize.ts";

export type SentimentLabel = "negative" | "neutral" | "positive";

export interface SentimentResult {
  /** In [-1, 1]; negative = unhappy. */
  score: number;
  label: SentimentLabel;
  /** `score <= STRONGLY_NEGATIVE_SCORE`: the message should raise a `sentiment.negative` event. */
  isStronglyNegative: boolean;
  /** The customer asks for a manager/supervisor, an escalation, or threatens a regulator or lawyer. */
  wantsEscalation: boolean;
  language: "id" | "en" | "unknown";
  /** The lexicon phrases found, as written in the message; negated ones are prefixed with `!`. */
  matches: string[];
}

/** Scores at or below this are labelled negative; at or above its opposite, positive. */
export const LABEL_THRESHOLD = 0.25;
/**
 * Scores at or below this count as strong dissatisfaction: one extreme term ("worst", "penipuan"),
 * an intensified strong one ("sangat kecewa", "very disappointed"), or two strong complaints together.
 */
export const STRONGLY_NEGATIVE_SCORE = -0.6;
/** Raw weight sums are squashed with tanh(sum / SCALE) into [-1, 1]. */
const SCALE = 3;

interface Hit {
  phrase: Phrase;
  surface: string;
  weight: number;
  negated: boolean;
}

/** The index of an unused negator at most NEGATION_WINDOW tokens before `start` in the same clause part. */
function negatorBefore(tokens: readonly string[], blocked: readonly boolean[], start: number): number | undefined {
  for (let k = start - 1; k >= Math.max(0, start - NEGATION_WINDOW); k -= 1) {
    const token = tokens[k] ?? "";
    if (CLAUSE_BREAKS.has(token)) return undefined;
    if (!blocked[k] && NEGATORS.has(token)) return k;
  }
  return undefined;
}

function hitsInClause(tokens: readonly string[]): Hit[] {
  const found: { phrase: Phrase; start: number; end: number }[] = [];
  const consumed = tokens.map(() => false);
  for (let i = 0; i < tokens.length;) {
    const phrase = longestPhraseAt(tokens, i);
    if (!phrase) {
      i += 1;
      continue;
    }
    const end = i + phrase.tokens.length;
    for (let k = i; k < end; k += 1) consumed[k] = true;
    found.push({ phrase, start: i, end });
    i = end;
  }
  // A negator is spent on the first term it negates: "not happy with how long this takes" negates "happy" only.
  const blocked = [...consumed];
  return found.map(({ phrase, start, end }) => {
    const before = tokens[start - 1];
    const after = tokens[end];
    const intensified =
      (before !== undefined && !consumed[start - 1] && INTENSIFIERS_BEFORE.has(before)) ||
      (after !== undefined && !consumed[end] && INTENSIFIERS_AFTER.has(after));
    const negator = negatorBefore(tokens, blocked, start);
    if (negator !== undefined) blocked[negator] = true;
    const negated = negator !== undefined;
    const base = phrase.entry.weight * (intensified ? INTENSIFIER_FACTOR : 1);
    return {
      phrase,
      surface: tokens.slice(start, end).join(" "),
      weight: negated ? negatedWeight(phrase, base) : base,
      negated,
    };
  });
}

/** "not bad" is faintly good; "not helpful" is nearly as bad as "unhelpful"; "no need to escalate" is nothing. */
function negatedWeight(phrase: Phrase, weight: number): number {
  if (phrase.entry.escalation) return 0;
  return weight < 0 ? -weight * 0.25 : -weight * 0.75;
}

function languageOf(tokens: readonly string[], hits: readonly Hit[]): SentimentResult["language"] {
  const votes = { id: 0, en: 0 };
  for (const token of tokens) {
    if (STOPWORDS.id.has(token)) votes.id += 1;
    if (STOPWORDS.en.has(token)) votes.en += 1;
  }
  for (const hit of hits) if (hit.phrase.isLanguageSpecific) votes[hit.phrase.entry.lang] += 1;
  if (votes.id === votes.en) return "unknown";
  return votes.id > votes.en ? "id" : "en";
}

/**
 * Reads strong dissatisfaction and escalation demands in an Indonesian or English customer message:
 * lexicon phrases (longest match), negation within three words before a term, intensifiers, and
 * shouting (capitals, repeated "!") as mild boosts of an already non-positive message.
 */
export function analyzeSentiment(text: string): SentimentResult {
  const clauses = clausesOf(text);
  const hits = clauses.flatMap(hitsInClause);
  let sum = hits.reduce((total, hit) => total + hit.weight, 0);
  if (sum <= 0 && isShouting(text)) sum = sum * 1.25 - 0.25;
  if (sum <= 0 && hasRepeatedExclamation(text)) sum = sum * 1.15 - 0.15;

  const score = Math.max(-1, Math.min(1, Math.round(Math.tanh(sum / SCALE) * 1000) / 1000)) || 0;
  const label: SentimentLabel =
    score <= -LABEL_THRESHOLD ? "negative" : score >= LABEL_THRESHOLD ? "positive" : "neutral";
  return {
    score,
    label,
    isStronglyNegative: score <= STRONGLY_NEGATIVE_SCORE,
    wantsEscalation: hits.some((hit) => hit.phrase.entry.escalation && !hit.negated),
    language: languageOf(clauses.flat(), hits),
    matches: hits.map((hit) => (hit.negated ? `!${hit.surface}` : hit.surface)),
  };
}
