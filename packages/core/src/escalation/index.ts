export * from "./types.ts";
export { defaultGroupOfTier, resolveTarget, type ResolvedTarget } from "./resolve-target.ts";
export { customerMessageKeyOf, mayEscalate, planEscalation, triggerOf } from "./plan-escalation.ts";
export * from "./customer-request.ts";
export {
  CUSTOMER_EVENT_TYPES,
  customerEscalationText,
  customerEventText,
  customerTierLabel,
  statusChangedTo,
  type StoredEvent,
} from "./customer-text.ts";
export {
  composeHandoff,
  shortenText,
  HANDOFF_EXCERPT_CHARS,
  type Handoff,
  type HandoffCause,
  type HandoffExcerpt,
  type HandoffFacts,
  type HandoffMessageFact,
  type HandoffSlaFact,
} from "./handoff.ts";
