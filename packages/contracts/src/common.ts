import { z } from "zod";

/** Shared building blocks of the API's schemas. */
export const Id = z.uuid();
/** The instants the API takes and gives: ISO 8601 with an offset, in the years 1970-9999 the database and calendars hold. */
export const Instant = z.iso.datetime({ offset: true }).refine((s) => {
  const ms = Date.parse(s);
  return ms >= 0 && ms < Date.UTC(10_000, 0, 1);
}, "must be between 1970 and 9999");
/** Integers stored in PostgreSQL `integer` columns: bounded so no value overflows them. */
export const Int32 = z.int32();
/** A change must change something: an empty object is a 422, not a no-op write. */
export function nonEmptyPatch<T extends z.ZodObject>(schema: T): T {
  return schema.refine((v) => Object.keys(v).length > 0, "Send at least one field to change");
}
export const Email = z.email().max(254);

/** Names and short texts: documented limits, enforced at the edge. */
export const LIMITS = {
  subject: 250,
  description: 20_000,
  messageBody: 50_000,
  name: 120,
  tag: 50,
  tags: 20,
  note: 5_000,
  query: 200,
  attachmentBytes: 5 * 1024 * 1024,
  bodyBytes: 8 * 1024 * 1024,
} as const;

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string(),
    request_id: z.string().optional(),
    errors: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional(),
  })
  .meta({ id: "Problem" });
export type Problem = z.infer<typeof Problem>;

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() });
}
