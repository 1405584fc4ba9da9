export * from "./common.ts";
export * from "./tickets.ts";
export * from "./admin.ts";
export * from "./channels.ts";
export * from "./engine.ts";
export * from "./notify.ts";
export * from "./sla.ts";
export * from "./audit.ts";
