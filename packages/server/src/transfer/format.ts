/**
 * Eskala's transfer format (issue 21): what `eskala export --out DIR` writes and what every importer
 * (`eskala import eskala|zendesk|freshdesk|osticket`) reads or produces before writing.
 *
 * A directory holds `manifest.json` and one JSON-lines file per kind (one record per line, UTF-8):
 *   organizations.jsonl, users.jsonl, groups.jsonl, categories.jsonl, sla_policies.jsonl,
 *   tickets.jsonl, messages.jsonl, escalations.jsonl
 * plus `attachments/` with the files the messages name (`path` is relative to `attachments/`).
 * A file may be missing or empty; `manifest.counts` says how many lines each file has.
 *
 * Every record carries `key`, a stable external key `source:kind:id` (`zendesk:ticket:123`,
 * `eskala:user:<uuid>`); references to other records are their keys (`requester_key`, `org_key`,
 * …), never local ids, so one file can be imported into any instance, and a second import of the
 * same key updates the record it made the first time (the import keeps a mapping key → local id).
 * Instants are ISO-8601 with offset. Texts are plain; `body_html` is optional beside `body_text`.
 *
 * Order: files are imported in `IMPORT_ORDER` (what a record refers to before it: groups before
 * the users who are their members), then tickets with their messages, then escalations.
 * messages.jsonl should list each ticket's messages together and in the order of
 * tickets.jsonl (the exporter writes them so), so a ticket and its messages are written in one
 * transaction; a message found later for an already-imported ticket is still added to it.
 *
 * Programmatic importers (osTicket) hand `importRecords` (import/import-records.ts) an async
 * iterable of `SourceItem`s (`{ kind, record, at }`, import/source.ts) in the same order: a
 * ticket's messages after the ticket.
 *
 * Stability: version 1. Only additive changes (new optional fields, new files); say so here.
 * Added: `tickets[].attachments` (files of the ticket's description, not of a message).
 */
import { z } from "zod";
import { CHANNELS, LANGUAGES, PRIORITIES, RESOLUTION_CODES, TICKET_STATUSES } from "@eskala/core";

export const TRANSFER_FORMAT = "eskala-export";
export const TRANSFER_VERSION = 1;

const Key = z.string().trim().min(1).max(500);
const OptionalKey = Key.nullish();
const Instant = z.iso.datetime({ offset: true });
const OptionalInstant = Instant.nullish();

export const TransferOrganization = z.object({
  key: Key,
  name: z.string().trim().min(1).max(200),
  domain: z.string().max(253).nullish(),
  segment: z.string().max(100).nullish(),
  shared_tickets: z.boolean().optional(),
  created_at: OptionalInstant,
});
export type TransferOrganization = z.infer<typeof TransferOrganization>;

export const TransferUser = z.object({
  key: Key,
  email: z.string().trim().min(3).max(320),
  name: z.string().trim().min(1).max(200),
  role: z.enum(["customer", "agent", "supervisor", "admin"]),
  language: z.enum(LANGUAGES).optional(),
  org_key: OptionalKey,
  disabled: z.boolean().optional(),
  /** Staff only: the tier they work at (1 when absent). */
  tier: z.number().int().min(0).max(9).nullish(),
  /** Staff only: groups (by key) they are a member of. */
  group_keys: z.array(Key).optional(),
  created_at: OptionalInstant,
});
export type TransferUser = z.infer<typeof TransferUser>;

export const TransferGroup = z.object({
  key: Key,
  name: z.string().trim().min(1).max(200),
  /** `tier` groups serve a tier level; `department` groups (osTicket departments, Zendesk groups…) route by subject. */
  kind: z.enum(["tier", "department"]),
  tier_level: z.number().int().min(0).max(9).nullish(),
  email_address: z.string().max(320).nullish(),
  created_at: OptionalInstant,
});
export type TransferGroup = z.infer<typeof TransferGroup>;

export const TransferCategory = z.object({
  key: Key,
  name: z.string().trim().min(1).max(200),
  skill: z.string().max(100).nullish(),
});
export type TransferCategory = z.infer<typeof TransferCategory>;

/** Business minutes per target; a missing target has no clock. */
const SlaTargets = z.object({
  first_response: z.number().int().positive().optional(),
  next_response: z.number().int().positive().optional(),
  periodic_update: z.number().int().positive().optional(),
  resolution: z.number().int().positive().optional(),
});

export const TransferSlaPolicy = z.object({
  key: Key,
  name: z.string().trim().min(1).max(200),
  position: z.number().int().optional(),
  enabled: z.boolean().optional(),
  /** Targets per priority; a priority left out gets no clocks. */
  targets: z.partialRecord(z.enum(PRIORITIES), SlaTargets),
  /** true: counted in the instance's default business calendar; false: 24/7. */
  business_hours: z.boolean().optional(),
  pause_on_hold: z.boolean().optional(),
  /** Business minutes a tier may hold a ticket, by tier level ("1"). */
  tier_budgets: z.record(z.string(), z.number().int().positive()).optional(),
  ladder: z.array(z.number().gt(0).lt(1)).optional(),
  conditions: z
    .object({
      priorities: z.array(z.enum(PRIORITIES)).optional(),
      channels: z.array(z.enum(CHANNELS)).optional(),
      segments: z.array(z.string()).optional(),
      group_keys: z.array(Key).optional(),
      category_keys: z.array(Key).optional(),
    })
    .optional(),
});
export type TransferSlaPolicy = z.infer<typeof TransferSlaPolicy>;

export const TransferSatisfaction = z.object({
  rating: z.number().int().min(1).max(5),
  comment: z.string().max(5000).nullish(),
  rated_at: OptionalInstant,
});

export const TransferAttachment = z.object({
  name: z.string().trim().min(1).max(255),
  content_type: z.string().max(255).default("application/octet-stream"),
  size: z.number().int().nonnegative(),
  /** Relative to the export's `attachments/` folder; absent when the file was not exported. */
  path: z.string().max(1000).nullish(),
});
export type TransferAttachment = z.infer<typeof TransferAttachment>;

export const TransferTicket = z.object({
  key: Key,
  /** The ticket's number in the source system, kept and searchable as `#number`. */
  number: z.union([z.string().trim().min(1).max(100), z.number().int()]).nullish(),
  subject: z.string().trim().min(1).max(500),
  /** The first message's text when messages.jsonl has none for the ticket. */
  description: z.string().max(100_000).nullish(),
  status: z.enum(TICKET_STATUSES),
  priority: z.enum(PRIORITIES),
  channel: z.enum(CHANNELS),
  language: z.enum(LANGUAGES).optional(),
  requester_key: Key,
  org_key: OptionalKey,
  group_key: OptionalKey,
  assignee_key: OptionalKey,
  category_key: OptionalKey,
  sla_policy_key: OptionalKey,
  tier: z.number().int().min(0).max(9).nullish(),
  tags: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
  created_at: Instant,
  updated_at: OptionalInstant,
  first_response_at: OptionalInstant,
  solved_at: OptionalInstant,
  closed_at: OptionalInstant,
  resolution_code: z.enum(RESOLUTION_CODES).nullish(),
  /** How it was resolved, in words (kept as an internal note when the source has no such message). */
  resolution: z.string().max(10_000).nullish(),
  satisfaction: TransferSatisfaction.nullish(),
  /** Added (export): files attached to the ticket itself (its description), not to a message. */
  attachments: z.array(TransferAttachment).max(100).optional(),
});
export type TransferTicket = z.infer<typeof TransferTicket>;

export const TransferMessage = z.object({
  key: Key,
  ticket_key: Key,
  /** null: the system or an unknown author. */
  author_key: OptionalKey,
  /** false: an internal note staff alone see. */
  public: z.boolean(),
  body_text: z.string().max(1_000_000),
  body_html: z.string().max(2_000_000).nullish(),
  channel: z.enum(CHANNELS).optional(),
  created_at: Instant,
  attachments: z.array(TransferAttachment).max(100).optional(),
});
export type TransferMessage = z.infer<typeof TransferMessage>;

/** A move of the ticket between tiers or groups in its history. */
export const TransferEscalation = z.object({
  key: Key,
  ticket_key: Key,
  type: z.string().max(50).default("escalation"),
  reason: z.string().max(100).default("imported"),
  trigger: z.string().max(50).default("manual"),
  actor_key: OptionalKey,
  from_tier: z.number().int().nullish(),
  to_tier: z.number().int().nullish(),
  from_group_key: OptionalKey,
  to_group_key: OptionalKey,
  note: z.string().max(10_000).nullish(),
  created_at: Instant,
});
export type TransferEscalation = z.infer<typeof TransferEscalation>;

/** The files of a transfer directory, in import order, with the schema of their lines. */
export const TRANSFER_FILES = {
  organizations: TransferOrganization,
  users: TransferUser,
  groups: TransferGroup,
  categories: TransferCategory,
  sla_policies: TransferSlaPolicy,
  tickets: TransferTicket,
  messages: TransferMessage,
  escalations: TransferEscalation,
} as const;
export type TransferKind = keyof typeof TRANSFER_FILES;
export const TRANSFER_KINDS = [
  "organizations",
  "users",
  "groups",
  "categories",
  "sla_policies",
  "tickets",
  "messages",
  "escalations",
] as const satisfies readonly TransferKind[];

/** One record of a stream: its kind (the file it belongs to) and its body, still unchecked or checked. */
export type TransferRecord = {
  [K in TransferKind]: { kind: K; record: z.infer<(typeof TRANSFER_FILES)[K]> };
}[TransferKind];

/** The people and structure files in the order an import reads them (references point backwards). */
export const IMPORT_ORDER = ["organizations", "groups", "categories", "sla_policies", "users"] as const;

export const TransferManifest = z.object({
  format: z.literal(TRANSFER_FORMAT),
  version: z.literal(TRANSFER_VERSION),
  exported_at: Instant,
  /** Where the data came from: "eskala" (with the instance's address when known), "zendesk", … */
  source: z.string().min(1).max(500),
  /** Lines per file, by kind. */
  counts: z.partialRecord(z.enum(TRANSFER_KINDS), z.number().int().nonnegative()),
  /** What the export was limited to (period, organisation, requester), or null for everything. */
  filters: z.record(z.string(), z.unknown()).nullable(),
});
export type TransferManifest = z.infer<typeof TransferManifest>;

/** The stable key of a record: `source:kind:id`. */
export function transferKey(source: string, kind: string, id: string | number): string {
  return `${source}:${kind}:${id}`;
}
