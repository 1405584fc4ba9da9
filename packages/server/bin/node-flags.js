/**
 * The V8 flags Eskala's processes run with (`eskala serve`, `eskala worker`, `npm start`, the
 * benchmarks). A young generation of 64 MB per semi-space instead of V8's 16 MB: the deadline
 * worker allocates short-lived rows, plans and JSON at a high rate in a burst, and with the default
 * size it spent about 15% of its time scavenging. bench:escalation's 30,000-deadline burst took
 * about 12% less time with it, for roughly 100 MB more resident memory at most.
 * A flag already given (on the command line or in NODE_OPTIONS) is left as given.
 */
export const NODE_FLAGS = ["--max-semi-space-size=64"];

/** NODE_FLAGS minus those the caller's node arguments or NODE_OPTIONS already set. */
export function nodeFlags(given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)]) {
  const name = (flag) => flag.split("=")[0].replace(/_/g, "-");
  const set = new Set(given.filter(Boolean).map(name));
  return NODE_FLAGS.filter((flag) => !set.has(name(flag)));
}
