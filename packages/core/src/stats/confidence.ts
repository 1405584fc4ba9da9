/** The smallest sample a test's p-value is shown for: below it, a difference says too little. */
export const MIN_SAMPLE = 5;

/** How sure a one-sided test lets us be, in steps a page can put in words. */
export type ConfidenceLevel = "very_likely" | "likely" | "possible" | "unlikely" | "too_few";

/**
 * The level for a p-value: below 0.01 very likely, below 0.05 likely, below 0.10 possible, else
 * unlikely; a sample under MIN_SAMPLE is too few to say (its p-value is not shown).
 */
export function confidenceLevel(pValue: number | null, sampleSize: number): ConfidenceLevel {
  if (pValue === null || sampleSize < MIN_SAMPLE) return "too_few";
  if (pValue < 0.01) return "very_likely";
  if (pValue < 0.05) return "likely";
  if (pValue < 0.1) return "possible";
  return "unlikely";
}
