/** The relay's retry schedule. */
export const RETRY = {
  /** Delay after the first failed attempt; doubles with each further one. */
  baseMs: 5_000,
  capMs: 60 * 60_000,
  /** ±20 % spread, so rows that failed together do not retry together. */
  jitter: 0.2,
  /** A row still failing at this attempt is dead. */
  maxAttempts: 10,
  /** How long a claimed row stays invisible to other relays while it is being delivered. */
  leaseMs: 60_000,
} as const;

/**
 * Milliseconds to wait after failed attempt number `attempt` (1-based): 5 s · 2^(attempt-1),
 * capped at one hour, spread by ±20 % with `random` in [0, 1).
 */
export function retryDelayMs(attempt: number, random: number = Math.random(), schedule = RETRY): number {
  const exponential = schedule.baseMs * 2 ** Math.max(0, attempt - 1);
  const spread = 1 - schedule.jitter + 2 * schedule.jitter * random;
  return Math.round(Math.min(schedule.capMs, Math.min(schedule.capMs, exponential) * spread));
}
