/**
 * Splits a customer message into clauses of lower-case word tokens. Clause edges (punctuation,
 * line breaks) bound negation and phrases. Contractions become words: "don't" → "do not".
 */
export function clausesOf(text: string): string[][] {
  const normalized = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/n't\b/g, " not")
    .replace(/'/g, "")
    // Elongated words ("kecewaaa", "sooo") mean the same word; "bbb" and "www" stay.
    .replace(/(?<=\p{L})(\p{L})\1{2,}/gu, "$1")
    // Indonesian informal reduplication: "dioper2" = "dioper-oper", "kali2" = "kali-kali".
    .replace(/(\p{L}{3,})2(?!\p{N})/gu, "$1 $1")
    // "3x", "2hari": numbers stand alone.
    .replace(/(\p{N})(\p{L})/gu, "$1 $2")
    .replace(/(\p{L})(\p{N})/gu, "$1 $2");
  return normalized
    .split(/[.!?;:,\n\r()[\]"“”]+/)
    .map((clause) => clause.match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((tokens) => tokens.length > 0);
}

/** Whether the message is written mostly in capitals (at least 12 letters, 60 % upper case). */
export function isShouting(text: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length < 12) return false;
  const upper = letters.filter((ch) => /\p{Lu}/u.test(ch)).length;
  return upper / letters.length >= 0.6;
}

/** Whether the message repeats exclamation marks ("!!", "?!?"). */
export function hasRepeatedExclamation(text: string): boolean {
  return /!{2,}|[!?]{3,}/.test(text);
}
