export * from "./types.ts";
export * from "./status.ts";
