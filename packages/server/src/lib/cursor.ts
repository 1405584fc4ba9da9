import { z } from "zod";
import { AppError } from "./app-error.ts";

/** What a keyset cursor's sort value is: an instant or an integer column of the given size. */
export type CursorKind = keyof typeof SortValue;
type SortValueOf<K extends CursorKind> = K extends "instant" ? Date : number;

const SortValue = {
  instant: z.iso
    .datetime({ offset: true })
    .refine((s) => Date.parse(s) >= 0 && Date.parse(s) < Date.UTC(10_000, 0, 1))
    .transform((s) => new Date(s)),
  smallint: z.int().min(-32_768).max(32_767),
  int: z.int32(),
  bigint: z.int(),
} as const;

/** Keyset cursors: the last row's sort value and id, base64url JSON, opaque to clients. */
export function encodeCursor(value: Date | number | null, id: string): string {
  return Buffer.from(JSON.stringify([value instanceof Date ? value.toISOString() : value, id])).toString("base64url");
}

/**
 * Reads a cursor this API gave out, checking its shape completely before any of it reaches a
 * query: anything else (another list's cursor, a crafted or truncated one) is a 422 on `cursor`.
 */
export function decodeCursor<K extends CursorKind>(
  cursor: string,
  kind: K,
  /** The sort's column may be null (the nearest deadline): a null value is the rows without one. */
  nullable = false,
): { value: SortValueOf<K>; id: string } {
  const sortValue = nullable ? SortValue[kind].nullable() : SortValue[kind];
  const parsed = z.tuple([sortValue, z.uuid()]).safeParse(readJson(cursor));
  if (!parsed.success)
    throw new AppError("validation_failed", "cursor is not one this API gave out", [
      { path: ["cursor"], message: "invalid cursor" },
    ]);
  const [value, id] = parsed.data;
  return { value: value as SortValueOf<K>, id };
}

function readJson(cursor: string): unknown {
  // A cursor is a short flat array; anything nested cannot be one (and is not worth parsing).
  if (cursor.length > 200) return null;
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
}
