/** Small helpers for the strict, dependency-free rule validation. */

export interface ValidationError {
  /** Dotted path into the input, e.g. `conditions.all[0].op`; empty for the whole input. */
  path: string;
  message: string;
}

export type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

export const list = (values: readonly string[]): string => values.join(", ");

/** Reports missing required keys and unknown keys; returns whether the object's shape is acceptable. */
export function checkKeys(
  obj: Obj,
  required: readonly string[],
  optional: readonly string[],
  path: string,
  errors: ValidationError[],
): boolean {
  const before = errors.length;
  for (const key of required) {
    if (!(key in obj) || obj[key] === undefined) errors.push({ path: join(path, key), message: "is required" });
  }
  const allowed = new Set([...required, ...optional]);
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key)) {
      errors.push({ path: join(path, key), message: `unknown field "${key}"; allowed: ${list([...allowed])}` });
    }
  }
  return errors.length === before;
}

/** A non-blank string of at most `max` characters, or an error message. */
export function checkText(value: unknown, max: number): string | null {
  if (typeof value !== "string") return "must be a string";
  if (value.trim() === "") return "must not be blank";
  if (value.length > max) return `must be at most ${max} characters`;
  return null;
}

export function oneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (values as readonly string[]).includes(value);
}
