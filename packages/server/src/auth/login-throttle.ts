import { AppError } from "../lib/app-error.ts";

export const LOGIN_THROTTLE_WINDOW_MS = 15 * 60_000;
const MAX_KEYS = 100_000;

/** Failure times per key inside the window, oldest first; the oldest keys go when it is full. */
function failureLog(windowMs: number) {
  const log = new Map<string, number[]>();
  const recent = (key: string, now: number) => {
    const times = log.get(key);
    if (!times) return [];
    while (times.length && times[0]! <= now - windowMs) times.shift();
    if (!times.length) log.delete(key);
    return times;
  };
  return {
    count: (key: string, now: number) => recent(key, now).length,
    /** When the oldest failure counted leaves the window. */
    freeAt: (key: string, now: number) => (recent(key, now)[0] ?? now) + windowMs,
    add(key: string, now: number) {
      const times = recent(key, now);
      log.delete(key); // re-insert: Map order is least recently failed first
      log.set(key, [...times, now]);
      if (log.size > MAX_KEYS) log.delete(log.keys().next().value!);
    },
  };
}

/**
 * Failed sign-ins counted per account across addresses and per address across accounts (15-minute
 * window). Only failures count, and the right password is not locked out by someone else's
 * guessing: an account under attack still takes a try from an address that has not failed, and an
 * address that guessed at many accounts still signs in people who signed in from it before.
 */
export function createLoginThrottle(opts: { perAccount: number; perAddress: number; windowMs?: number }) {
  const windowMs = opts.windowMs ?? LOGIN_THROTTLE_WINDOW_MS;
  const byAccount = failureLog(windowMs);
  const byAddress = failureLog(windowMs);
  const knownGood = new Map<string, number>(); // "address|email" → last successful sign-in
  const pair = (address: string, email: string) => `${address}|${email.toLowerCase()}`;

  const refuse = (retryAt: number, now: number) => {
    const err = new AppError("rate_limited", "Too many failed sign-ins; try again later");
    return Object.assign(err, { retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now) / 1000)) });
  };

  return {
    /** Throws `rate_limited` (with `retryAfterSeconds`) when this attempt may not be checked now. */
    check(address: string, email: string, at: Date): void {
      const now = at.getTime();
      const account = email.toLowerCase();
      const trusted = (knownGood.get(pair(address, email)) ?? -Infinity) > now - 30 * 86_400_000;
      if (!trusted && byAddress.count(address, now) >= opts.perAddress)
        throw refuse(byAddress.freeAt(address, now), now);
      if (byAccount.count(account, now) >= opts.perAccount && byAddress.count(address, now) > 0)
        throw refuse(Math.min(byAccount.freeAt(account, now), byAddress.freeAt(address, now)), now);
    },
    failed(address: string, email: string, at: Date): void {
      byAccount.add(email.toLowerCase(), at.getTime());
      byAddress.add(address, at.getTime());
    },
    succeeded(address: string, email: string, at: Date): void {
      knownGood.delete(pair(address, email));
      knownGood.set(pair(address, email), at.getTime());
      if (knownGood.size > MAX_KEYS) knownGood.delete(knownGood.keys().next().value!);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
