export * from "./types.ts";
export { conditionHolds, conditionsHold, fieldValue } from "./conditions.ts";
export {
  validateRule,
  MAX_ACTIONS,
  MAX_CONDITIONS,
  type ValidateRuleResult,
  type ValidationError,
} from "./validate-rule.ts";
export { FIELD_SPECS } from "./validate-condition.ts";
export { evaluateRules, orderRules, ruleFires, type EvaluateRulesResult, type RuleFiring } from "./evaluate-rules.ts";
export * from "./rule-chain.ts";
export { detectRuleLoops, type RuleLoopIssue } from "./detect-rule-loops.ts";
export { dryRun, type DryRunResult, type DryRunTicket } from "./dry-run.ts";
export { ruleEventSentence } from "./event-sentence.ts";
