export * from "./pick-agent.ts";
