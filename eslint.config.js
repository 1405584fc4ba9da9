import js from "@eslint/js";
import tseslint from "typescript-eslint";

const ioModules = ["node:*", "fs", "path", "http", "https", "net", "pg", "kysely", "@electric-sql/*", "fastify", "@fastify/*", "nodemailer", "pino", "@eskala/server", "@eskala/web", "react"];

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "data/**", "scratch/**", "e2e/artifacts/**", "bench/results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
  {
    // Plain Node scripts (CLI shim, CI helpers).
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  {
    // core stays pure: no I/O, database, HTTP or clock. Data and `now` in, decisions out.
    files: ["packages/core/src/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ioModules.map((group) => ({ group: [group], message: "packages/core must stay pure (no I/O)." })) }],
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "core takes `now` as an argument." },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "core takes `now` as an argument." },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: "core is deterministic." },
      ],
    },
  },
);
