import { z } from "zod";
import { Id, Instant, LIMITS } from "./common.ts";

// --- IMAP mailboxes (/api/v1/mailboxes): existing mailboxes Eskala fetches mail from.

export const IMAP_TLS_MODES = ["implicit", "starttls", "none"] as const;
export const ImapTls = z.enum(IMAP_TLS_MODES);
/** true is implicit TLS (port 993), false a plain connection; or name the mode. */
const TlsInput = z.union([z.boolean(), ImapTls]).transform((v) => (v === true ? "implicit" : v === false ? "none" : v));

export const MAILBOX_AFTER_IMPORT = ["seen", "move"] as const;
/** Why the last fetch failed, for the admin screen's sentence in the reader's language. */
export const MAILBOX_ERROR_CODES = [
  "auth_failed",
  "unreachable",
  "tls_failed",
  "folder_missing",
  "timeout",
  "other",
] as const;

const Host = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(255)
  .regex(/^[A-Za-z0-9.:[\]_-]+$/, "must be a host name or address");
const Folder = z.string().trim().min(1, "must not be empty").max(255);

const MailboxFields = {
  name: z.string().trim().min(1, "must not be empty").max(LIMITS.name),
  host: Host,
  port: z.number().int("must be a whole number").min(1, "must be 1 to 65535").max(65535, "must be 1 to 65535"),
  tls: TlsInput,
  user: z.string().trim().min(1, "must not be empty").max(255),
  /** Write-only: never returned; responses say whether one is set (`password_set`). */
  password: z.string().min(1, "must not be empty").max(1000),
  folder: Folder,
  group_id: Id.nullable(),
  after_import: z.enum(MAILBOX_AFTER_IMPORT),
  move_to: Folder.nullable(),
  enabled: z.boolean(),
};

export const CreateMailboxBody = z.strictObject({
  name: MailboxFields.name,
  host: MailboxFields.host,
  port: MailboxFields.port.default(993),
  tls: MailboxFields.tls.default("implicit"),
  user: MailboxFields.user,
  password: MailboxFields.password.optional(),
  folder: MailboxFields.folder.default("INBOX"),
  group_id: MailboxFields.group_id.optional(),
  after_import: MailboxFields.after_import.default("seen"),
  move_to: MailboxFields.move_to.optional(),
  enabled: MailboxFields.enabled.default(true),
});
export type CreateMailboxBody = z.infer<typeof CreateMailboxBody>;

/** Only the fields given change; `password: null` forgets the stored password. */
export const UpdateMailboxBody = z.strictObject({
  name: MailboxFields.name.optional(),
  host: MailboxFields.host.optional(),
  port: MailboxFields.port.optional(),
  tls: MailboxFields.tls.optional(),
  user: MailboxFields.user.optional(),
  password: MailboxFields.password.nullable().optional(),
  folder: MailboxFields.folder.optional(),
  group_id: MailboxFields.group_id.optional(),
  after_import: MailboxFields.after_import.optional(),
  move_to: MailboxFields.move_to.optional(),
  enabled: MailboxFields.enabled.optional(),
});
export type UpdateMailboxBody = z.infer<typeof UpdateMailboxBody>;

export const MailboxStatus = z.object({
  last_success_at: Instant.nullable(),
  last_error: z.string().nullable().describe("Why the last fetch failed, as a sentence (English)"),
  last_error_code: z.enum(MAILBOX_ERROR_CODES).nullable(),
  last_error_at: Instant.nullable(),
  next_retry_at: Instant.nullable(),
  failures: z.number().int(),
  imported_count: z.number().int(),
});

export const Mailbox = z.object({
  id: Id,
  name: z.string(),
  host: z.string(),
  port: z.number().int(),
  tls: ImapTls,
  user: z.string(),
  password_set: z.boolean(),
  folder: z.string(),
  group_id: Id.nullable(),
  after_import: z.enum(MAILBOX_AFTER_IMPORT),
  move_to: z.string().nullable(),
  enabled: z.boolean(),
  status: MailboxStatus,
  created_at: Instant,
  updated_at: Instant,
});
export type Mailbox = z.infer<typeof Mailbox>;

export const MailboxTestResult = z.object({
  ok: z.boolean(),
  error_code: z.enum(MAILBOX_ERROR_CODES).nullable(),
  message: z.string().describe("What happened, as a sentence (English)"),
  messages: z.number().int().nullable().describe("Messages in the folder, when it could be opened"),
});
