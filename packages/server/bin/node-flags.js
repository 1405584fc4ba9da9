/**
 * The V8 flags Eskala's processes run with (`eskala serve`, `eskala worker`, `npm start`, the
 * benchmarks). A young generation of 64 MB per semi-space instead of V8's 16 MB: the deadline
 * worker allocates short-lived rows, plans and JSON at a high rate in a burst, and with the default
 * size it spent about 14% of a burst scavenging. On the 2-core benchmark machine its CPU per
 * escalation fell from 0.57–0.67 to 0.51–0.53 ms; a burst of 30,000 deadlines took a median 22.5 s
 * instead of 25.2 s, one of 100,000 about 3% less. It costs up to about 100 MB more memory.
 * A flag already in NODE_OPTIONS (which the CLI's process inherits) is left to it.
 */
export const NODE_FLAGS = ["--max-semi-space-size=64"];

/** NODE_FLAGS minus those `given` (by default NODE_OPTIONS, split on spaces) already sets. */
export function nodeFlags(given = (process.env.NODE_OPTIONS ?? "").split(/\s+/)) {
  const name = (flag) => flag.split("=")[0].replace(/_/g, "-");
  const set = new Set(given.filter(Boolean).map(name));
  return NODE_FLAGS.filter((flag) => !set.has(name(flag)));
}
