import { AppError } from "../lib/app-error.ts";

/** The fields of a PostgreSQL error that both node-postgres and PGlite carry. */
interface PgError {
  code: string;
  detail?: string;
  column?: string;
  constraint?: string;
}

// Columns whose API field has another name.
const FIELD_OF_COLUMN: Record<string, string> = { tier_level: "tier" };

const isPgError = (e: unknown): e is PgError => {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === "string" && /^[0-9A-Z]{5}$/.test(code);
};

/**
 * The API error a database constraint stands for, when a request (not the server) broke it:
 * two creations racing for one unique name are a 409 on that field, a reference to a row that
 * does not exist a 422 naming the field, a value the column cannot hold a 422. Anything else is
 * left to be a 500. Services check these first; the constraint is what holds under concurrency.
 */
export function appErrorFromDatabase(error: unknown): AppError | null {
  if (!isPgError(error)) return null;
  const fields = keyFields(error.detail);
  switch (error.code) {
    case "23505":
      return new AppError(
        "conflict",
        `${fields.join(", ") || "A value"} is already used`,
        (fields.length ? fields : ["id"]).map((f) => ({ path: [f], message: "already used" })),
      );
    case "23503":
      if (error.detail?.includes("is still referenced"))
        return new AppError("conflict", "It is still in use elsewhere; remove those uses first");
      return new AppError(
        "validation_failed",
        `${fields.join(", ") || "A reference"}: no such record`,
        fields.map((f) => ({ path: [f], message: "no such record" })),
      );
    case "23502":
    case "23514": {
      const field = error.column ? [fieldOf(error.column)] : [];
      return new AppError(
        "validation_failed",
        `${field[0] ?? "A value"} is not allowed here`,
        field.map((f) => ({ path: [f], message: "not allowed" })),
      );
    }
  }
  // Class 22, data exceptions: a number, date or text the column cannot hold.
  if (error.code.startsWith("22"))
    return new AppError(
      "validation_failed",
      "A value is outside what can be stored (too large, too early or too late)",
    );
  return null;
}

/** The API field names in a constraint's `Key (lower(email::text))=(…)` detail. */
function keyFields(detail: string | undefined): string[] {
  const key = detail ? /^Key \((.+?)\)=\(/.exec(detail)?.[1] : undefined;
  if (!key) return [];
  return key.split(/,\s*/).map((part) => {
    // Unwrap expressions such as lower(email::text) to the column they index.
    const column = part.replace(/::[\w ]+/g, "").replace(/^.*\(([^()]+)\)+$/, "$1");
    return fieldOf(column.trim());
  });
}

const fieldOf = (column: string) => FIELD_OF_COLUMN[column] ?? column;
