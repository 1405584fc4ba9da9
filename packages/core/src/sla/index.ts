export * from "./types.ts";
export { validateSlaPolicy } from "./validate.ts";
export { policyMatches, selectPolicy } from "./select.ts";
export { computeClocks } from "./clocks.ts";
export { timersFor } from "./timers.ts";
