import { sql, type Kysely, type Selectable } from "kysely";
import type { CreateKbArticleBody, ListKbArticlesQuery, UpdateKbArticleBody } from "@eskala/contracts";
import { isStaff, type Actor } from "../../auth/actor.ts";
import type { DB } from "../../db/schema.ts";
import type { KbArticlesTable } from "../../db/schema-channels.ts";
import { AppError, forbidden, notFound } from "../../lib/app-error.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { assertStaff } from "../../tickets/ticket-access.ts";
import { articleUrl, searchArticles, type KbLanguage } from "./kb-search.ts";
import { markdownToText, renderMarkdown } from "@eskala/contracts/markdown";

type ArticleRow = Selectable<KbArticlesTable> & { author_name: string | null };

export type KbService = ReturnType<typeof createKbService>;

/** Tier 0: the knowledge base, its public help center, search and deflections. */
export function createKbService(deps: { db: Kysely<DB> }) {
  const { db } = deps;

  const select = () =>
    db
      .selectFrom("kb_articles as a")
      .leftJoin("users as u", "u.id", "a.author_id")
      .selectAll("a")
      .select("u.name as author_name");

  async function find(id: string): Promise<ArticleRow | undefined> {
    return (await select().where("a.id", "=", id).executeTakeFirst()) as ArticleRow | undefined;
  }

  async function deflectionCount(articleId: string): Promise<number> {
    const row = await db
      .selectFrom("kb_deflections")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("article_id", "=", articleId)
      .executeTakeFirstOrThrow();
    return row.n;
  }

  async function present(a: ArticleRow, actor: Actor | null) {
    return {
      ...summaryFields(a),
      body: a.body,
      body_html: renderMarkdown(a.body),
      ...(actor && isStaff(actor) ? { deflections: await deflectionCount(a.id) } : {}),
    };
  }

  /** Published articles for everyone; staff also see drafts. */
  async function get(actor: Actor | null, id: string) {
    const a = await find(id);
    if (!a || (a.status !== "published" && !(actor && isStaff(actor)))) throw notFound("article");
    return present(a, actor);
  }

  async function list(actor: Actor | null, query: ListKbArticlesQuery) {
    const staff = actor !== null && isStaff(actor);
    if (query.status === "draft" && !staff) throw forbidden("Drafts are for staff");
    let q = select();
    const status = query.status ?? (staff ? undefined : "published");
    if (status) q = q.where("a.status", "=", status);
    if (query.lang) q = q.where("a.language", "=", query.lang);
    if (query.category) q = q.where(sql<boolean>`lower(a.category) = ${query.category.toLowerCase()}`);
    if (query.tag) q = q.where(sql<boolean>`a.tags @> array[${query.tag}]::text[]`);
    if (query.cursor) {
      const { value: at, id } = decodeCursor(query.cursor, "instant");
      q = q.where(sql<boolean>`(a.updated_at, a.id) < (${at}::timestamptz, ${id}::uuid)`);
    }
    const rows = (await q
      .orderBy("a.updated_at", "desc")
      .orderBy("a.id", "desc")
      .limit(query.limit + 1)
      .execute()) as ArticleRow[];
    const more = rows.length > query.limit;
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return {
      items: items.map((a) => ({ ...summaryFields(a), excerpt: excerpt(a.body_text) })),
      next_cursor: more && last ? encodeCursor(last.updated_at, last.id) : null,
    };
  }

  async function create(actor: Actor, body: CreateKbArticleBody, now: Date) {
    assertStaff(actor, "Writing articles");
    const row = await db
      .insertInto("kb_articles")
      .values({
        title: body.title,
        body: body.body,
        ...derived(body.body, body.category ?? null, body.tags ?? []),
        category: body.category ?? null,
        tags: dedupe(body.tags ?? []),
        language: body.language,
        status: body.status,
        author_id: actor.via === "system" ? null : actor.userId,
        created_at: now,
        updated_at: now,
        published_at: body.status === "published" ? now : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return get(actor, row.id);
  }

  async function update(actor: Actor, id: string, body: UpdateKbArticleBody, now: Date) {
    assertStaff(actor, "Editing articles");
    const current = await find(id);
    if (!current) throw notFound("article");
    if (body.expected_version !== undefined && body.expected_version !== current.version)
      throw new AppError("version_conflict", `The article is at version ${current.version}; reload and try again`);
    const next = {
      body: body.body ?? current.body,
      category: body.category !== undefined ? body.category : current.category,
      tags: body.tags ? dedupe(body.tags) : current.tags,
    };
    const publishing = body.status === "published" && current.status !== "published";
    const updated = await db
      .updateTable("kb_articles")
      .set({
        ...(body.title !== undefined ? { title: body.title } : {}),
        ...(body.language !== undefined ? { language: body.language } : {}),
        ...(body.status !== undefined ? { status: body.status } : {}),
        ...next,
        ...derived(next.body, next.category, next.tags),
        ...(publishing ? { published_at: now } : {}),
        updated_at: now,
        version: current.version + 1,
      })
      .where("id", "=", id)
      .where("version", "=", current.version)
      .returning("id")
      .executeTakeFirst();
    if (!updated) throw new AppError("version_conflict", "The article changed meanwhile; reload and try again");
    return get(actor, id);
  }

  async function remove(actor: Actor, id: string) {
    assertStaff(actor, "Deleting articles");
    const gone = await db.deleteFrom("kb_articles").where("id", "=", id).returning("id").executeTakeFirst();
    if (!gone) throw notFound("article");
  }

  async function search(q: string, opts: { lang?: KbLanguage | undefined; limit: number }) {
    return { items: await searchArticles(db, q, { ...opts, mode: "search" }) };
  }

  async function suggest(q: string, lang: KbLanguage | undefined) {
    return { items: await searchArticles(db, q, { lang, limit: 5, mode: "suggest" }) };
  }

  /** "This solved my problem": counted against the article, and no ticket is created. */
  async function deflect(actor: Actor | null, body: { query: string; article_id: string }, now: Date) {
    const a = await db
      .selectFrom("kb_articles")
      .select(["id", "status"])
      .where("id", "=", body.article_id)
      .executeTakeFirst();
    if (!a || a.status !== "published")
      throw new AppError("validation_failed", "article_id: unknown or unpublished article", [
        { path: ["article_id"], message: "unknown article" },
      ]);
    const row = await db
      .insertInto("kb_deflections")
      .values({
        article_id: a.id,
        query: body.query,
        user_id: actor && actor.via !== "system" ? actor.userId : null,
        created_at: now,
      })
      .returning(["id", "created_at"])
      .executeTakeFirstOrThrow();
    return {
      id: String(row.id),
      article_id: a.id,
      deflections: await deflectionCount(a.id),
      created_at: row.created_at.toISOString(),
    };
  }

  return { get, list, create, update, remove, search, suggest, deflect };
}

/** The columns the app derives for search: the article's words and its category and tags. */
function derived(body: string, category: string | null, tags: string[]) {
  return { body_text: markdownToText(body), keywords: [category ?? "", ...tags].join(" ").trim() };
}

function summaryFields(a: ArticleRow) {
  return {
    id: a.id,
    title: a.title,
    category: a.category,
    tags: a.tags,
    language: a.language,
    status: a.status,
    url: articleUrl(a.id),
    author: a.author_id ? { id: a.author_id, name: a.author_name ?? "" } : null,
    version: a.version,
    created_at: a.created_at.toISOString(),
    updated_at: a.updated_at.toISOString(),
    published_at: a.published_at?.toISOString() ?? null,
  };
}

const excerpt = (text: string) => (text.length > 200 ? `${text.slice(0, 197).trimEnd()}…` : text);
const dedupe = <T>(xs: T[]) => [...new Set(xs)];
