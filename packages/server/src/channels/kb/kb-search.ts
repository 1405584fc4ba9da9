import { sql, type RawBuilder } from "kysely";
import type { Executor } from "../../tickets/ticket-events.ts";
import { escapeHtml } from "../mail/outbound.ts";

export type KbLanguage = "id" | "en";

/** The PostgreSQL text-search configuration of each article language. */
const CONFIG: Record<KbLanguage, string> = { id: "indonesian", en: "english" };
const START = "\u0002";
const STOP = "\u0003";
const HEADLINE = `StartSel=${START}, StopSel=${STOP}, MaxWords=28, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "`;

export interface KbHit {
  id: string;
  title: string;
  snippet: string;
  snippet_html: string;
  url: string;
  language: KbLanguage;
  category: string | null;
  score: number;
}

const MIN_PREFIX = 3;

export const articleUrl = (id: string) => `/portal/kb/${id}`;

/** Letters and digits only: safe to join into a to_tsquery expression. */
const wordsOf = (q: string) => (q.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12);

/**
 * Full-text search over published articles with the `indonesian` / `english` configurations,
 * ranked by ts_rank with ts_headline snippets. `search` means all words (websearch syntax), and
 * any word when that finds nothing; `suggest` (the new-ticket form) is any word with the last one
 * a prefix, since the customer is still typing.
 */
export async function searchArticles(
  db: Executor,
  q: string,
  opts: { lang?: KbLanguage | undefined; limit: number; mode: "search" | "suggest" },
): Promise<KbHit[]> {
  const langs: KbLanguage[] = opts.lang ? [opts.lang] : ["id", "en"];
  const run = async (build: (cfg: RawBuilder<unknown>) => RawBuilder<unknown> | null) => {
    const hits = (await Promise.all(langs.map((l) => searchOne(db, l, build, opts.limit)))).flat();
    return hits.sort((a, b) => b.score - a.score).slice(0, opts.limit);
  };
  const words = wordsOf(q);
  const anyWord = (prefixLast: boolean) => (cfg: RawBuilder<unknown>) => {
    // A last fragment under 3 letters would match most of the vocabulary: wait for more letters.
    const last = words[words.length - 1] ?? "";
    const used = prefixLast && last.length < MIN_PREFIX ? words.slice(0, -1) : words;
    if (!used.length) return null;
    const terms = used.map((w, i) => (prefixLast && i === words.length - 1 ? `${w}:*` : w));
    return sql`to_tsquery(${cfg}, ${terms.join(" | ")})`;
  };
  if (opts.mode === "suggest") return run(anyWord(!/\s$/.test(q)));
  const all = await run((cfg) => sql`websearch_to_tsquery(${cfg}, ${q})`);
  return all.length || words.length < 2 ? all : run(anyWord(false));
}

async function searchOne(
  db: Executor,
  lang: KbLanguage,
  build: (cfg: RawBuilder<unknown>) => RawBuilder<unknown> | null,
  limit: number,
): Promise<KbHit[]> {
  const cfg = sql.raw(`'${CONFIG[lang]}'::regconfig`);
  const query = build(cfg);
  if (!query) return [];
  // Literal language and status so the planner picks the per-language partial GIN index; the
  // headline (the costly part) is computed for the top rows only.
  const { rows } = await sql<{ id: string; title: string; category: string | null; score: number; snippet: string }>`
    select r.id, r.title, r.category, r.score, ts_headline(${cfg}, r.body_text, r.query, ${HEADLINE}) as snippet
    from (
      select a.id, a.title, a.category, a.body_text, q.query, ts_rank(a.search, q.query) as score, a.updated_at
      from kb_articles a, (select ${query} as query) q
      where a.status = 'published' and a.language = ${sql.lit(lang)} and a.search @@ q.query
      order by score desc, a.updated_at desc
      limit ${limit}
    ) r
    order by r.score desc, r.updated_at desc`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    snippet: r.snippet.replaceAll(START, "").replaceAll(STOP, ""),
    snippet_html: escapeHtml(r.snippet).replaceAll(START, "<mark>").replaceAll(STOP, "</mark>"),
    url: articleUrl(r.id),
    language: lang,
    category: r.category,
    score: Math.round(Number(r.score) * 10_000) / 10_000,
  }));
}

/** Refreshes the planner's statistics of the articles after a bulk load (seeding, an import). */
export async function analyzeArticles(db: Executor): Promise<void> {
  await sql`analyze kb_articles`.execute(db);
}
