import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError, type FieldError } from "../lib/app-error.ts";

/** How deep a JSON body may nest: far beyond any schema of the API (rule conditions nest a few levels). */
export const MAX_JSON_DEPTH = 64;
/**
 * How many values (array elements and object members) a JSON body may hold: far beyond any request
 * of the API (an attachment is one long string), and few enough that parsing and validating a body
 * costs milliseconds. Without it a flat object of 300,000 unknown keys held the event loop for 5 s.
 */
export const MAX_JSON_VALUES = 10_000;

/**
 * JSON bodies are scanned for their nesting depth and number of values in one linear pass before
 * they are parsed, so a body nested 100,000 deep or 300,000 keys wide is refused in milliseconds
 * instead of stalling every other request while it is parsed and validated; what passes goes to
 * Fastify's own parser (prototype-poisoning checks included). A plugin that needs the raw text (a
 * signed callback) registers it again in its own context with `onText`.
 */
export function registerJsonBodyParser(
  app: FastifyInstance,
  onText?: (req: FastifyRequest, text: string) => void,
): void {
  const parse = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    const text = body as string;
    onText?.(req, text);
    const problem = jsonShapeProblem(text, MAX_JSON_DEPTH, MAX_JSON_VALUES);
    if (problem === "depth")
      return done(
        new AppError("malformed_request", `The body is nested deeper than ${MAX_JSON_DEPTH} levels`),
        undefined,
      );
    if (problem === "values")
      return done(new AppError("payload_too_large", `The body holds more than ${MAX_JSON_VALUES} values`), undefined);
    parse(req, text, done);
  });
}

/**
 * Whether the JSON text opens more than `maxDepth` arrays or objects at once, or holds more than
 * `maxValues` values (counted by their separators, strings skipped); null when neither.
 */
export function jsonShapeProblem(text: string, maxDepth: number, maxValues: number): "depth" | "values" | null {
  let depth = 0;
  let values = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c /* \ */) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) return "depth";
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
    else if (c === 0x2c /* , */ && ++values > maxValues) return "values";
  }
  return null;
}

// NUL cannot be stored in PostgreSQL text; a lone UTF-16 surrogate cannot be stored in jsonb
// (nor encoded as UTF-8): both are refused at the edge, with the field's path.
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Refuses text the database cannot hold anywhere in the body, the query string or the path
 * parameters (keys included), before validation: a 422 naming the field, or a 404 for a path.
 */
export function registerTextGuard(app: FastifyInstance): void {
  app.addHook("preValidation", async (req) => {
    for (const [where, value] of [
      ["body", req.body],
      ["query", req.query],
    ] as const) {
      const path = findUnstorable(value, []);
      if (path) throw new AppError("validation_failed", `Invalid ${where}: ${describe(path)}`, [unstorable(path)]);
    }
    if (findUnstorable(req.params, [])) throw new AppError("not_found", "No such resource");
  });
}

const describe = (path: (string | number)[]) => path.join(".") || "the whole value";
const unstorable = (path: (string | number)[]): FieldError => ({
  path,
  message: "contains a NUL character or an unpaired surrogate, which cannot be stored",
});

/** The path of the first string (or key) the database cannot store, or null. */
function findUnstorable(value: unknown, path: (string | number)[]): (string | number)[] | null {
  if (typeof value === "string") return UNSTORABLE.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], [...path, i]);
      if (found) return found;
    }
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (UNSTORABLE.test(k)) return [...path, k];
      const found = findUnstorable(v, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}
