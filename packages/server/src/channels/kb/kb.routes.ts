import { z } from "zod";
import {
  CreateDeflectionBody,
  CreateKbArticleBody,
  Deflection,
  KbArticle,
  KbArticleSummary,
  KbSearchQuery,
  KbSearchResult,
  Language,
  LIMITS,
  ListKbArticlesQuery,
  UpdateKbArticleBody,
  page,
} from "@eskala/contracts";
import { requireRole } from "../../auth/actor.ts";
import type { Api, Services } from "../../http/context.ts";
import { errors, IdParams } from "../http-helpers.ts";
import type { KbService } from "./kb.service.ts";

const searchLimit = { rateLimit: { max: 120, timeWindow: "1 minute" } };

/** Knowledge base: public help-center reads, search and deflections; CRUD for agents. */
export function kbRoutes(kb: KbService) {
  return (api: Api, s: Services) => {
    const tags = ["knowledge base"];
    api.get(
      "/api/v1/kb/articles",
      {
        config: { public: true },
        schema: {
          tags,
          summary: "Articles (the public sees published ones)",
          querystring: ListKbArticlesQuery,
          response: { 200: page(KbArticleSummary), ...errors },
        },
      },
      async (req) => kb.list(req.actor, req.query),
    );
    api.get(
      "/api/v1/kb/articles/:id",
      {
        config: { public: true },
        schema: {
          tags,
          summary: "An article with its Markdown rendered to safe HTML",
          params: IdParams,
          response: { 200: KbArticle, ...errors },
        },
      },
      async (req) => kb.get(req.actor, req.params.id),
    );
    api.post(
      "/api/v1/kb/articles",
      {
        schema: {
          tags,
          summary: "Write an article (agents)",
          body: CreateKbArticleBody,
          response: { 201: KbArticle, ...errors },
        },
      },
      async (req, reply) =>
        reply.code(201).send(await kb.create(requireRole(req.actor, "agent"), req.body, s.clock.now())),
    );
    api.patch(
      "/api/v1/kb/articles/:id",
      {
        schema: {
          tags,
          summary: "Edit or publish an article (agents)",
          params: IdParams,
          body: UpdateKbArticleBody,
          response: { 200: KbArticle, ...errors },
        },
      },
      async (req) => kb.update(requireRole(req.actor, "agent"), req.params.id, req.body, s.clock.now()),
    );
    api.delete(
      "/api/v1/kb/articles/:id",
      {
        schema: {
          tags,
          summary: "Delete an article (agents)",
          params: IdParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        await kb.remove(requireRole(req.actor, "agent"), req.params.id);
        return reply.code(204).send(null);
      },
    );
    api.get(
      "/api/v1/kb/search",
      {
        config: { public: true, ...searchLimit },
        schema: {
          tags,
          summary: "Full-text search of published articles (indonesian / english)",
          querystring: KbSearchQuery,
          response: { 200: KbSearchResult, ...errors },
        },
      },
      async (req) => kb.search(req.query.q, { lang: req.query.lang, limit: req.query.limit }),
    );
    api.get(
      "/api/v1/kb/suggest",
      {
        config: { public: true, ...searchLimit },
        schema: {
          tags,
          summary: "The top 5 articles for a new ticket's words, while the customer types",
          querystring: z.object({ q: z.string().trim().min(1).max(LIMITS.query), lang: Language.optional() }),
          response: { 200: KbSearchResult, ...errors },
        },
      },
      async (req) => kb.suggest(req.query.q, req.query.lang),
    );
    api.post(
      "/api/v1/kb/deflections",
      {
        config: { public: true, rateLimit: { max: 30, timeWindow: "1 minute" } },
        schema: {
          tags,
          summary: '"This solved my problem": a deflection, no ticket',
          body: CreateDeflectionBody,
          response: { 201: Deflection, ...errors },
        },
      },
      async (req, reply) => reply.code(201).send(await kb.deflect(req.actor, req.body, s.clock.now())),
    );
  };
}
