import { z } from "zod";
import { Id, Instant, Int32, LIMITS, PageQuery } from "./common.ts";
import { Language, Tag } from "./tickets.ts";

/** Schemas of the channels part: knowledge base, satisfaction surveys, engineering links, mail templates. */

// --- knowledge base (tier 0)

export const KbArticleStatus = z.enum(["draft", "published"]);

export const CreateKbArticleBody = z.strictObject({
  title: z.string().trim().min(1).max(LIMITS.subject),
  body: z.string().trim().min(1).max(100_000).describe("Markdown; raw HTML is shown as text"),
  category: z.string().trim().min(1).max(LIMITS.name).nullable().optional(),
  tags: z.array(Tag).max(LIMITS.tags).optional(),
  language: Language,
  status: KbArticleStatus.default("draft"),
});
export type CreateKbArticleBody = z.infer<typeof CreateKbArticleBody>;

export const UpdateKbArticleBody = z
  .strictObject({
    title: z.string().trim().min(1).max(LIMITS.subject).optional(),
    body: z.string().trim().min(1).max(100_000).optional(),
    category: z.string().trim().min(1).max(LIMITS.name).nullable().optional(),
    tags: z.array(Tag).max(LIMITS.tags).optional(),
    language: Language.optional(),
    status: KbArticleStatus.optional(),
    expected_version: Int32.min(0).optional(),
  })
  .refine((b) => Object.keys(b).some((k) => k !== "expected_version"), { message: "nothing to update" });
export type UpdateKbArticleBody = z.infer<typeof UpdateKbArticleBody>;

export const KbArticle = z
  .object({
    id: Id,
    title: z.string(),
    body: z.string().describe("Markdown source"),
    body_html: z.string().describe("Rendered, safe HTML"),
    category: z.string().nullable(),
    tags: z.array(z.string()),
    language: Language,
    status: KbArticleStatus,
    url: z.string().describe("The article's page in the help center (path)"),
    author: z.object({ id: Id, name: z.string() }).nullable(),
    deflections: z.number().int().optional().describe("Staff only: requests this article solved"),
    version: z.number().int(),
    created_at: Instant,
    updated_at: Instant,
    published_at: Instant.nullable(),
  })
  .meta({ id: "KbArticle" });
export type KbArticle = z.infer<typeof KbArticle>;

export const KbArticleSummary = KbArticle.omit({ body: true, body_html: true })
  .extend({ excerpt: z.string() })
  .meta({ id: "KbArticleSummary" });

export const ListKbArticlesQuery = PageQuery.extend({
  lang: Language.optional(),
  status: KbArticleStatus.optional().describe("Staff only; the public sees published articles"),
  category: z.string().max(LIMITS.name).optional(),
  tag: z.string().max(LIMITS.tag).optional(),
});
export type ListKbArticlesQuery = z.infer<typeof ListKbArticlesQuery>;

export const KbSearchQuery = z.object({
  q: z.string().trim().min(1).max(LIMITS.query),
  lang: Language.optional().describe("id or en; both when absent"),
  limit: z.coerce.number().int().min(1).max(20).default(10),
});

export const KbSearchHit = z
  .object({
    id: Id,
    title: z.string(),
    snippet: z.string().describe("Plain text around the matches"),
    snippet_html: z.string().describe("The snippet, HTML-escaped, with matches in <mark>"),
    url: z.string(),
    language: Language,
    category: z.string().nullable(),
    score: z.number(),
  })
  .meta({ id: "KbSearchHit" });
export const KbSearchResult = z.object({ items: z.array(KbSearchHit) });

export const CreateDeflectionBody = z.strictObject({
  query: z.string().trim().max(LIMITS.query).default(""),
  article_id: Id,
});
export const Deflection = z.object({
  id: z.string(),
  article_id: Id,
  deflections: z.number().int(),
  created_at: Instant,
});

// --- satisfaction (CSAT)

export const RateBody = z.strictObject({
  rating: z.number().int().min(1).max(5),
  comment: z.string().trim().max(LIMITS.note).optional(),
});
export type RateBody = z.infer<typeof RateBody>;

export const Satisfaction = z
  .object({
    id: Id,
    ticket_id: Id,
    solved_at: Instant,
    solved_tier: z.number().int().nullable(),
    escalated: z.boolean(),
    expires_at: Instant,
    rating: z.number().int().nullable(),
    comment: z.string().nullable(),
    rated_at: Instant.nullable(),
    created_at: Instant,
  })
  .meta({ id: "Satisfaction" });

export const SurveyView = z
  .object({
    ticket: z.object({ number: z.number().int(), subject: z.string(), status: z.string() }),
    language: Language,
    expires_at: Instant,
    rating: z.number().int().nullable(),
    comment: z.string().nullable(),
    rated_at: Instant.nullable(),
  })
  .meta({ id: "SurveyView" });

// --- engineering links and integrations (tier 3)

export const IssueKey = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\p{L}\p{N}_.#/:-]+$/u, "letters, digits, _ . # / : - only");

export const CreateTicketLinkBody = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  key: IssueKey,
  title: z.string().trim().min(1).max(LIMITS.subject).optional(),
});

export const TicketLink = z
  .object({
    id: Id,
    ticket_id: Id,
    url: z.string(),
    key: z.string(),
    title: z.string().nullable(),
    status: z.string().nullable(),
    status_updated_at: Instant.nullable(),
    created_at: Instant,
  })
  .meta({ id: "TicketLink" });

export const IssueStatusBody = z.strictObject({
  key: IssueKey,
  status: z.string().trim().min(1).max(60),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  title: z.string().trim().max(LIMITS.subject).optional(),
});

export const CreateIntegrationBody = z.strictObject({ name: z.string().trim().min(1).max(LIMITS.name) });
export const Integration = z.object({
  id: Id,
  name: z.string(),
  enabled: z.boolean(),
  created_at: Instant,
  secret: z.string().optional().describe("Shown once, at creation"),
});

// --- customer mail templates

export const MAIL_TEMPLATE_KEYS = [
  "ticket.received",
  "ticket.escalated",
  "ticket.waiting",
  "ticket.solved",
  "ticket.periodic_update",
  "escalation_request.acknowledged",
  "agent.reply",
] as const;
export const MailTemplateKey = z.enum(MAIL_TEMPLATE_KEYS);

export const UpdateMailTemplateBody = z.strictObject({
  subject: z.string().trim().min(1).max(LIMITS.subject),
  body: z.string().trim().min(1).max(LIMITS.description).describe("Plain text with {{placeholders}}"),
});

export const MailTemplate = z
  .object({
    key: MailTemplateKey,
    language: Language,
    subject: z.string(),
    body: z.string(),
    placeholders: z.array(z.string()),
    is_default: z.boolean(),
    updated_at: Instant.nullable(),
  })
  .meta({ id: "MailTemplate" });
