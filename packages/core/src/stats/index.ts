export * from "./exact-tests.ts";
export * from "./confidence.ts";
