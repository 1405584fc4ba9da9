import { z } from "zod";
import { Id, Instant, Int32, LIMITS } from "./common.ts";
import { Priority, ResolutionCode, TicketStatus } from "./tickets.ts";

/**
 * Problems (ITIL problem management): the root cause behind tickets that keep coming back.
 * `investigating` → `known_error` (a workaround agents can apply) → `fixed` (linked customers told).
 */
export const PROBLEM_STATUSES = ["investigating", "known_error", "fixed"] as const;
export const ProblemStatus = z.enum(PROBLEM_STATUSES);
export type ProblemStatus = z.infer<typeof ProblemStatus>;

export const PROBLEM_LIMITS = { title: 200, description: 20_000, workaround: 5_000, resolution: 5_000, tickets: 200 };

const Title = z.string().trim().min(1, "must not be empty").max(PROBLEM_LIMITS.title);
const Workaround = z.string().trim().min(1, "must not be empty").max(PROBLEM_LIMITS.workaround);
const Resolution = z.string().trim().min(1, "must not be empty").max(PROBLEM_LIMITS.resolution);

export const CreateProblemBody = z.strictObject({
  title: Title,
  description: z.string().trim().max(PROBLEM_LIMITS.description).optional(),
  workaround: Workaround.optional(),
  owner_id: Id.optional().describe("A staff member who owns the problem (supervisors and admins set it)."),
  ticket_ids: z
    .array(Id)
    .max(PROBLEM_LIMITS.tickets)
    .optional()
    .describe("Tickets to link at once (a recurring-problem group made a problem in one click)."),
});
export type CreateProblemBody = z.infer<typeof CreateProblemBody>;

export const UpdateProblemBody = z
  .strictObject({
    title: Title.optional(),
    description: z.string().trim().max(PROBLEM_LIMITS.description).optional(),
    status: ProblemStatus.optional(),
    workaround: Workaround.nullable().optional().describe("Required when the status is known_error."),
    owner_id: Id.nullable().optional(),
    resolution_message_id: Resolution.optional().describe("The public update in Indonesian sent when fixed."),
    resolution_message_en: Resolution.optional().describe("The public update in English sent when fixed."),
    solve_linked: z.boolean().optional().describe("When fixed, also solve the linked open tickets."),
    resolution_code: ResolutionCode.optional().describe("The resolution code of the tickets solved (default fixed)."),
    expected_version: Int32.min(0).optional().describe("Optimistic concurrency: 409 if the problem changed."),
  })
  .refine((b) => Object.keys(b).some((k) => k !== "expected_version"), { message: "nothing to update" });
export type UpdateProblemBody = z.infer<typeof UpdateProblemBody>;

export const LinkProblemTicketBody = z.strictObject({ ticket_id: Id });
export type LinkProblemTicketBody = z.infer<typeof LinkProblemTicketBody>;

export const ListProblemsQuery = z.object({
  status: ProblemStatus.optional(),
  q: z.string().trim().max(LIMITS.query).optional().describe("Words of the title"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,17}$/, "not a cursor this API gave out")
    .optional(),
});
export type ListProblemsQuery = z.infer<typeof ListProblemsQuery>;

const Ref = z.object({ id: Id, name: z.string() }).nullable();

export const ProblemRecord = z
  .object({
    id: Id,
    number: z.number().int(),
    title: z.string(),
    description: z.string(),
    status: ProblemStatus,
    workaround: z.string().nullable(),
    owner: Ref,
    created_by: Ref,
    resolution_message_id: z.string().nullable(),
    resolution_message_en: z.string().nullable(),
    resolution_code: z.string().nullable(),
    solve_linked: z.boolean(),
    ticket_count: z.number().int(),
    open_ticket_count: z.number().int(),
    fixed_at: Instant.nullable(),
    created_at: Instant,
    updated_at: Instant,
    version: z.number().int(),
  })
  .meta({ id: "ProblemRecord" });
export type ProblemRecord = z.infer<typeof ProblemRecord>;

export const ProblemTicket = z.object({
  id: Id,
  number: z.number().int(),
  subject: z.string(),
  status: TicketStatus,
  priority: Priority,
  language: z.string(),
  linked_at: Instant,
  /** The customer was told of the fix (once). */
  notified: z.boolean(),
});
export type ProblemTicket = z.infer<typeof ProblemTicket>;

export const ProblemRecordDetail = ProblemRecord.extend({ tickets: z.array(ProblemTicket) }).meta({
  id: "ProblemRecordDetail",
});
export type ProblemRecordDetail = z.infer<typeof ProblemRecordDetail>;

export const ProblemRecordPage = z.object({ items: z.array(ProblemRecord), next_cursor: z.string().nullable() });
export type ProblemRecordPage = z.infer<typeof ProblemRecordPage>;

export const ProblemReportQuery = z.object({
  from: z.iso.date().optional().describe("First day (organisation's zone), default 30 days ago"),
  to: z.iso.date().optional().describe("Last day, inclusive (organisation's zone), default today"),
  status: ProblemStatus.optional(),
});
export type ProblemReportQuery = z.infer<typeof ProblemReportQuery>;

export const ProblemReportRow = z.object({
  problem: z.object({ id: Id, number: z.number().int(), title: z.string(), status: ProblemStatus }),
  /** Linked tickets created in the period. */
  tickets: z.number().int(),
  /** Escalation records of linked tickets made in the period. */
  escalations: z.number().int(),
  /** Linked tickets (any time). */
  tickets_total: z.number().int(),
});
export const ProblemReport = z
  .object({ from: z.string(), to: z.string(), time_zone: z.string(), items: z.array(ProblemReportRow) })
  .meta({ id: "ProblemReport" });
export type ProblemReport = z.infer<typeof ProblemReport>;

/** The weekly review digest's schedule (admins): day 1 = Monday … 7 = Sunday, hour 0-23 in `time_zone`. */
export const DigestSettings = z
  .object({
    enabled: z.boolean(),
    weekday: z.number().int().min(1).max(7),
    hour: z.number().int().min(0).max(23),
    time_zone: z.string(),
    next_at: Instant.nullable(),
  })
  .meta({ id: "DigestSettings" });
export type DigestSettings = z.infer<typeof DigestSettings>;

export const UpdateDigestSettingsBody = z
  .strictObject({
    enabled: z.boolean().optional(),
    weekday: z.number().int().min(1).max(7).optional(),
    hour: z.number().int().min(0).max(23).optional(),
    time_zone: z
      .string()
      .max(64)
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat("en", { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, "not a known time zone")
      .optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: "nothing to update" });
export type UpdateDigestSettingsBody = z.infer<typeof UpdateDigestSettingsBody>;
