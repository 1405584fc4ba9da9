/**
 * Counts in the CLI's English sentences, plural-correct: "1 ticket", "2 tickets", "0 tickets".
 * The plural form defaults to the singular with an "s" ("person" needs its own: "people").
 */
const rules = new Intl.PluralRules("en");

/** The noun for `n` of them: `noun(1, "ticket")` → "ticket", `noun(2, "person", "people")` → "people". */
export function noun(n: number, one: string, other = `${one}s`): string {
  return rules.select(n) === "one" ? one : other;
}

/** The count with its noun: `count(1, "ticket")` → "1 ticket". */
export function count(n: number, one: string, other = `${one}s`): string {
  return `${n} ${noun(n, one, other)}`;
}

/** The singular of a plural unit the CLI counts in ("tickets" → "ticket", "people" → "person"). */
export function singularOf(unit: string): string {
  if (unit === "people") return "person";
  return unit.endsWith("s") ? unit.slice(0, -1) : unit;
}
