import { z } from "zod";
import { LIMITS } from "./common.ts";
import { MAIL_TEMPLATE_KEYS } from "./channels.ts";
import { Language } from "./tickets.ts";

/**
 * WhatsApp Business (Cloud API): the webhook Meta posts (the documented shape of the `messages`
 * field, other message types kept as they come) and the admin's approved templates, one per
 * notification kind and language, sent outside the 24-hour customer-service window.
 */

const Digits = z.string().trim().min(1).max(32);
const MediaRef = z.looseObject({
  id: z.string().min(1).max(256),
  mime_type: z.string().max(255).optional(),
  sha256: z.string().max(255).optional(),
  caption: z.string().max(LIMITS.description).optional(),
  filename: z.string().max(255).optional(),
});

export const WhatsappInboundMessage = z.looseObject({
  from: Digits,
  id: z.string().min(1).max(256).describe("The message's id (wamid): the same id twice is one message"),
  timestamp: z.string().regex(/^\d{1,12}$/),
  type: z.string().min(1).max(32),
  text: z.object({ body: z.string().max(LIMITS.description) }).optional(),
  image: MediaRef.optional(),
  document: MediaRef.optional(),
  location: z
    .looseObject({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().max(1000).optional(),
      address: z.string().max(1000).optional(),
    })
    .optional(),
});
export type WhatsappInboundMessage = z.infer<typeof WhatsappInboundMessage>;

export const WhatsappStatus = z.looseObject({
  id: z.string().min(1).max(256),
  status: z.string().min(1).max(32),
  timestamp: z.string().regex(/^\d{1,12}$/),
  recipient_id: z.string().max(32).optional(),
  errors: z
    .array(
      z.looseObject({
        code: z.number().optional(),
        title: z.string().max(1000).optional(),
        message: z.string().max(1000).optional(),
        error_data: z.looseObject({ details: z.string().max(2000).optional() }).optional(),
      }),
    )
    .max(20)
    .optional(),
});
export type WhatsappStatus = z.infer<typeof WhatsappStatus>;

export const WhatsappWebhookBody = z.looseObject({
  object: z.literal("whatsapp_business_account"),
  entry: z
    .array(
      z.looseObject({
        id: z.string().max(64).optional(),
        changes: z
          .array(
            z.looseObject({
              field: z.string().max(64),
              value: z.looseObject({
                messaging_product: z.literal("whatsapp").optional(),
                metadata: z
                  .looseObject({ display_phone_number: z.string().optional(), phone_number_id: z.string().optional() })
                  .optional(),
                contacts: z
                  .array(
                    z.looseObject({ wa_id: Digits, profile: z.looseObject({ name: z.string().max(255) }).optional() }),
                  )
                  .max(1000)
                  .optional(),
                messages: z.array(WhatsappInboundMessage).max(1000).optional(),
                statuses: z.array(WhatsappStatus).max(1000).optional(),
              }),
            }),
          )
          .max(100),
      }),
    )
    .min(1)
    .max(100),
});
export type WhatsappWebhookBody = z.infer<typeof WhatsappWebhookBody>;

/** The notification kinds a template can stand for: the customer emails' kinds. */
export const WhatsappTemplateKind = z.enum(MAIL_TEMPLATE_KEYS);

export const WhatsappTemplate = z
  .object({
    kind: WhatsappTemplateKind,
    language: Language,
    name: z.string().describe("The approved template's name in WhatsApp Manager"),
    custom: z.boolean().describe("false: the built-in default name"),
  })
  .meta({ id: "WhatsappTemplate" });

export const UpdateWhatsappTemplateBody = z.strictObject({
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]{1,512}$/, "lowercase letters, digits and underscores (Meta's template names)"),
});
