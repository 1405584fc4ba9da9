import { defineConfig } from "vitest/config";

// One runner, several projects: fast pure tests first, database and HTTP tests, then browser journeys.
// CI asks for a JSON report beside the console output, to print one closing line over both runs.
const jsonReport = process.env.ESKALA_VITEST_JSON;

export default defineConfig({
  test: {
    reporters: jsonReport ? ["default", ["json", { outputFile: jsonReport }]] : ["default"],
    projects: [
      // Projects with their own worker limits run in their own group, one group after another.
      { test: { name: "core", include: ["packages/core/src/**/*.test.ts"], environment: "node", sequence: { groupOrder: 0 } } },
      { test: { name: "contracts", include: ["packages/contracts/src/**/*.test.ts"], sequence: { groupOrder: 0 } } },
      // The web app's pure helpers (sentences over the locales); components are covered by the e2e journeys.
      { test: { name: "web", include: ["packages/web/src/**/*.test.ts"], environment: "node", sequence: { groupOrder: 0 } } },
      {
        test: {
          name: "server",
          include: ["packages/server/src/**/*.test.ts", "packages/server/test/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // PGlite instances are memory-hungry; keep parallelism to the machine's two cores.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      { test: { name: "e2e", include: ["e2e/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: false, sequence: { groupOrder: 2 } } },
    ],
  },
});
