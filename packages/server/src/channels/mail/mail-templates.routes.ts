import { z } from "zod";
import { Language, MAIL_TEMPLATE_KEYS, MailTemplate, MailTemplateKey, UpdateMailTemplateBody } from "@eskala/contracts";
import { requireRole } from "../../auth/actor.ts";
import { audited } from "../../audit/audit.repo.ts";
import type { Api, Services } from "../../http/context.ts";
import { errors } from "../http-helpers.ts";
import {
  DEFAULT_TEMPLATES,
  placeholdersOf,
  validateTemplate,
  type MailLanguage,
  type TemplateKey,
} from "./templates.ts";

const Params = z.object({ key: MailTemplateKey, lang: Language });

/** Admins edit the customer email templates per language; deleting an override restores the default. */
export function mailTemplateRoutes(api: Api, s: Services): void {
  const { db } = s.database;
  const tags = ["mail templates"];

  async function effective(key: TemplateKey, lang: MailLanguage) {
    const row = await db
      .selectFrom("mail_templates")
      .selectAll()
      .where("key", "=", key)
      .where("language", "=", lang)
      .executeTakeFirst();
    const text = row ?? DEFAULT_TEMPLATES[key][lang];
    return {
      key,
      language: lang,
      subject: text.subject,
      body: text.body,
      placeholders: placeholdersOf(key),
      is_default: !row,
      updated_at: row?.updated_at.toISOString() ?? null,
    };
  }

  api.get(
    "/api/v1/mail-templates",
    {
      schema: {
        tags,
        summary: "Every customer email template in both languages (admins)",
        response: { 200: z.object({ items: z.array(MailTemplate) }), ...errors },
      },
    },
    async (req) => {
      requireRole(req.actor, "admin");
      const items = [];
      for (const key of MAIL_TEMPLATE_KEYS)
        for (const lang of ["id", "en"] as const) items.push(await effective(key, lang));
      return { items };
    },
  );
  api.get(
    "/api/v1/mail-templates/:key/:lang",
    { schema: { tags, summary: "One template (admins)", params: Params, response: { 200: MailTemplate, ...errors } } },
    async (req) => {
      requireRole(req.actor, "admin");
      return effective(req.params.key, req.params.lang);
    },
  );
  api.put(
    "/api/v1/mail-templates/:key/:lang",
    {
      schema: {
        tags,
        summary: "Override a template (unknown placeholders are a 422)",
        params: Params,
        body: UpdateMailTemplateBody,
        response: { 200: MailTemplate, ...errors },
      },
    },
    async (req) => {
      const actor = requireRole(req.actor, "admin");
      const { key, lang } = req.params;
      validateTemplate(key, req.body);
      const now = s.clock.now();
      await audited(db, actor, now, (trx) =>
        trx
          .insertInto("mail_templates")
          .values({
            key,
            language: lang,
            subject: req.body.subject,
            body: req.body.body,
            updated_by: actor.via === "system" ? null : actor.userId,
            updated_at: now,
          })
          .onConflict((oc) =>
            oc.columns(["key", "language"]).doUpdateSet({
              subject: req.body.subject,
              body: req.body.body,
              updated_by: actor.via === "system" ? null : actor.userId,
              updated_at: now,
            }),
          )
          .execute(),
      );
      return effective(key, lang);
    },
  );
  api.delete(
    "/api/v1/mail-templates/:key/:lang",
    {
      schema: {
        tags,
        summary: "Restore the built-in template",
        params: Params,
        response: { 200: MailTemplate, ...errors },
      },
    },
    async (req) => {
      const actor = requireRole(req.actor, "admin");
      await audited(db, actor, s.clock.now(), (trx) =>
        trx
          .deleteFrom("mail_templates")
          .where("key", "=", req.params.key)
          .where("language", "=", req.params.lang)
          .execute(),
      );
      return effective(req.params.key, req.params.lang);
    },
  );
}
