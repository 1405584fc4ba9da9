import { LEXICON, NUMBER_WORDS, type LexiconEntry } from "./lexicon.ts";

export interface Phrase {
  tokens: readonly string[];
  entry: LexiconEntry;
  /** Whether this exact token sequence is listed for one language only (so it can vote on the language). */
  isLanguageSpecific: boolean;
}

/** Every token sequence a pattern stands for: slots multiply, `_` drops the slot. */
export function expandPattern(pattern: string): string[][] {
  let sequences: string[][] = [[]];
  for (const slot of pattern.trim().split(/\s+/)) {
    const next: string[][] = [];
    for (const alternative of slot.split("|")) {
      for (const sequence of sequences) next.push(alternative === "_" ? sequence : [...sequence, alternative]);
    }
    sequences = next;
  }
  return sequences.filter((sequence) => sequence.length > 0);
}

export function isNumberToken(token: string): boolean {
  return /^\p{N}+$/u.test(token) || NUMBER_WORDS.has(token);
}

/** Phrases indexed by first token (`#` for a leading number), longest and strongest first. */
export function buildIndex(lexicon: readonly LexiconEntry[]): ReadonlyMap<string, readonly Phrase[]> {
  const langsBySequence = new Map<string, Set<string>>();
  const all: { tokens: string[]; entry: LexiconEntry }[] = [];
  for (const entry of lexicon) {
    for (const tokens of expandPattern(entry.pattern)) {
      const key = tokens.join(" ");
      langsBySequence.set(key, (langsBySequence.get(key) ?? new Set()).add(entry.lang));
      all.push({ tokens, entry });
    }
  }
  const index = new Map<string, Phrase[]>();
  for (const { tokens, entry } of all) {
    const first = tokens[0] ?? "";
    const isLanguageSpecific = langsBySequence.get(tokens.join(" "))?.size === 1;
    const bucket = index.get(first) ?? [];
    bucket.push({ tokens, entry, isLanguageSpecific });
    index.set(first, bucket);
  }
  for (const phrases of index.values()) {
    phrases.sort((a, b) => b.tokens.length - a.tokens.length || Math.abs(b.entry.weight) - Math.abs(a.entry.weight));
  }
  return index;
}

const INDEX = buildIndex(LEXICON);

function matchesAt(tokens: readonly string[], start: number, phrase: Phrase): boolean {
  if (start + phrase.tokens.length > tokens.length) return false;
  return phrase.tokens.every((slot, k) => {
    const token = tokens[start + k] ?? "";
    return slot === "#" ? isNumberToken(token) : slot === token;
  });
}

/** The longest lexicon phrase starting at `start`, if any. */
export function longestPhraseAt(tokens: readonly string[], start: number): Phrase | undefined {
  const token = tokens[start] ?? "";
  const candidates = [...(INDEX.get(token) ?? []), ...(isNumberToken(token) ? (INDEX.get("#") ?? []) : [])];
  let best: Phrase | undefined;
  for (const phrase of candidates) {
    if (best && phrase.tokens.length <= best.tokens.length) continue;
    if (matchesAt(tokens, start, phrase)) best = phrase;
  }
  return best;
}
