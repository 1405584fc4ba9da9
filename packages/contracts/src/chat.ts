import { z } from "zod";
import { Email, Id, Instant, LIMITS } from "./common.ts";
import { Language } from "./tickets.ts";

/** The longest line a chat visitor may send (a longer one is refused with a 422 naming `body`). */
export const CHAT_MESSAGE_MAX = 10_000;

/** Starting a chat: an unknown visitor gives a name and email; a host site may vouch with a signed `user_token`. */
export const StartChatBody = z
  .strictObject({
    name: z.string().trim().min(1).max(LIMITS.name).optional(),
    email: Email.optional(),
    site_id: Id.optional().describe("The host site (Admin → chat sites); needed with user_token."),
    user_token: z
      .string()
      .max(2_000)
      .optional()
      .describe("base64url(JSON {email,name,exp}) + '.' + hex HMAC-SHA256 of that first part with the site's secret."),
    language: Language.default("en"),
  })
  .superRefine((b, ctx) => {
    if (b.user_token) {
      if (!b.site_id) ctx.addIssue({ code: "custom", path: ["site_id"], message: "required with user_token" });
      return;
    }
    if (!b.name) ctx.addIssue({ code: "custom", path: ["name"], message: "required" });
    if (!b.email) ctx.addIssue({ code: "custom", path: ["email"], message: "required" });
  });
export type StartChatBody = z.infer<typeof StartChatBody>;

export const ChatArticle = z.object({ id: Id, title: z.string(), snippet: z.string(), url: z.string() });

export const ChatLine = z.object({
  id: z.string(),
  author: z.enum(["visitor", "bot", "agent"]),
  author_name: z.string().nullable(),
  body: z.string(),
  articles: z.array(ChatArticle),
  /** The bot asks "did this solve it?" under this line. */
  ask_feedback: z.boolean(),
  at: Instant,
});
export type ChatLine = z.infer<typeof ChatLine>;

export const ChatConversation = z.object({
  id: Id,
  state: z.enum(["bot", "deflected", "handed_over"]),
  language: Language,
  visitor: z.object({ name: z.string(), email: z.string() }),
  ticket: z.object({ id: Id, number: z.number().int() }).nullable(),
  /** An agent of the ticket's team is online: the conversation is live. */
  agents_online: z.boolean(),
  /** When nobody is online: the first-response deadline the SLA promises (null: none set). */
  reply_by: Instant.nullable(),
  lines: z.array(ChatLine),
});
export type ChatConversation = z.infer<typeof ChatConversation>;

export const StartChatResult = z.object({
  token: z
    .string()
    .describe("Send it as X-Chat-Token on the conversation's routes; the widget keeps it in localStorage."),
  conversation: ChatConversation,
});

export const ChatMessageBody = z.strictObject({
  body: z.string().trim().min(1).max(CHAT_MESSAGE_MAX),
});
export const ChatFeedbackBody = z.strictObject({
  solved: z.boolean(),
  article_id: Id.optional(),
});
export const ChatTypingBody = z.strictObject({ typing: z.boolean() });

export const ChatStatsQuery = z.strictObject({
  from: Instant.optional(),
  to: Instant.optional(),
});
export const ChatStats = z.object({
  from: Instant.nullable(),
  to: Instant.nullable(),
  conversations: z.number().int(),
  deflections: z.number().int(),
  handovers: z.number().int(),
});

export const ChatSite = z.object({ id: Id, name: z.string(), created_at: Instant });
export const CreateChatSiteBody = z.strictObject({ name: z.string().trim().min(1).max(LIMITS.name) });
export const CreatedChatSite = ChatSite.extend({
  identity_secret: z.string().describe("Shown once: the host site signs its visitors' user_token with it."),
});
