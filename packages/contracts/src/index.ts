export * from "./common.ts";
export * from "./tickets.ts";
export * from "./admin.ts";
