export * from "./ticket/index.ts";
