/**
 * How a figure moved against the previous period, as values the page words in the viewer's language.
 */
export type ChangeDirection = "up" | "down" | "same" | "new" | "none";

/**
 * `delta` is in the figure's own unit (a count, minutes, or percentage points for a share given
 * as 0..1 with `isShare`); `percent` is the relative change, null when the previous figure was 0.
 */
export type Change = { direction: ChangeDirection; delta: number; percent: number | null };

export function changeOf(current: number | null, previous: number | null, isShare = false): Change {
  if (current === null || previous === null) return { direction: "none", delta: 0, percent: null };
  const scale = isShare ? 100 : 1;
  // Rounded to what the page shows, so "0.0 points" never reads as a rise.
  const delta = Math.round((current - previous) * scale * 10) / 10;
  if (delta === 0) return { direction: "same", delta: 0, percent: 0 };
  if (previous === 0) return { direction: "new", delta, percent: null };
  const percent = Math.round(((current - previous) / Math.abs(previous)) * 100);
  return { direction: delta > 0 ? "up" : "down", delta, percent };
}

/** Whether a change is good news: fewer escalations are, more SLA met is. */
export function isImprovement(change: Change, higherIsBetter: boolean): boolean | null {
  if (change.direction !== "up" && change.direction !== "down" && change.direction !== "new") return null;
  return change.delta > 0 === higherIsBetter;
}
