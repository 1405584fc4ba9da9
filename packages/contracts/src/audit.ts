import { z } from "zod";
import { Id, Instant, page } from "./common.ts";

/** What the audit log records changes of. */
export const AuditEntity = z.enum([
  "rule",
  "sla_policy",
  "calendar",
  "user",
  "api_token",
  "webhook",
  "mail_template",
  "group",
  "tier",
  "category",
]);
export type AuditEntity = z.infer<typeof AuditEntity>;
export const AuditAction = z.enum(["created", "updated", "deleted"]);
export type AuditAction = z.infer<typeof AuditAction>;

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/** A field's value: nested objects are flattened into dotted field names, lists of values stay lists. */
export const AuditValue = z.union([Scalar, z.array(Scalar)]);
export type AuditValue = z.infer<typeof AuditValue>;

/** One field of a change; a secret's value is never given, only whether it changed (`redacted`). */
export const AuditFieldChange = z.object({
  field: z.string(),
  before: AuditValue,
  after: AuditValue,
  redacted: z.boolean(),
});
export type AuditFieldChange = z.infer<typeof AuditFieldChange>;

/**
 * One changed part of a row, whole: a column, or one key of a JSON `definition`
 * (`definition.actions`, `definition.targets`), so a reader can describe it as a sentence.
 */
export const AuditPart = z.object({
  field: z.string(),
  before: z.unknown().describe("Any JSON value; null when absent or redacted"),
  after: z.unknown().describe("Any JSON value; null when absent or redacted"),
  redacted: z.boolean(),
});
export type AuditPart = z.infer<typeof AuditPart>;

export const AuditEntry = z
  .object({
    id: z.string(),
    at: Instant,
    actor: z.object({ id: Id.nullable(), name: z.string() }),
    action: AuditAction,
    entity: AuditEntity,
    entity_id: z.string(),
    entity_name: z.string(),
    /** The fields that differ between before and after (every field on creation and deletion). */
    changes: z.array(AuditFieldChange),
    /** The same differences by part, each with its whole value before and after (null when absent). */
    parts: z.array(AuditPart),
  })
  .meta({ id: "AuditEntry" });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditLogQuery = z.object({
  entity: AuditEntity.optional(),
  entity_id: z.string().max(200).optional(),
  actor_id: Id.optional(),
  action: AuditAction.optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The `next_cursor` of the previous page. */
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,17}$/, "not a cursor this API gave out")
    .optional(),
});
export type AuditLogQuery = z.infer<typeof AuditLogQuery>;

export const AuditLogPage = page(AuditEntry);
export type AuditLogPage = z.infer<typeof AuditLogPage>;
