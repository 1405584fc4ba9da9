import { useEffect, useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, isNotAvailable } from "../../lib/api.ts";
import type { Items, KbArticle } from "../../lib/types.ts";

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setV(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return v;
}

/** Help-center articles matching what the customer is typing; "this solved my problem" ends the request there. */
export function KbSuggestions({ text, onSolved }: { text: string; onSolved: (article: KbArticle) => void }) {
  const { t, i18n } = useTranslation();
  const query = useDebounced(text.trim().slice(0, 200), 400);
  const search = useQuery({
    queryKey: ["kb", query, i18n.language],
    enabled: query.length >= 3,
    queryFn: ({ signal }) => api.get<Items<KbArticle>>("/kb/search", { q: query, lang: i18n.language }, signal),
    retry: false,
    staleTime: 60_000,
    placeholderData: (prev) => prev,
  });
  const deflect = useMutation({
    mutationFn: (article: KbArticle) => api.post<void>("/kb/deflections", { query, article_id: article.id }),
    onSuccess: (_d, article) => onSolved(article),
  });

  if (isNotAvailable(search.error)) return null;
  const items = query.length >= 3 ? (search.data?.items ?? []).slice(0, 5) : [];
  return (
    <aside className="kb-suggestions card" aria-labelledby="kb-title" aria-live="polite" aria-busy={search.isFetching}>
      <h2 id="kb-title">{t("portal.kb_title")}</h2>
      {items.length === 0 ? (
        <p className="muted small">
          {query.length < 3 ? t("portal.kb_hint") : search.isFetching ? t("common.loading") : t("portal.kb_none")}
        </p>
      ) : (
        <ul className="plain-list">
          {items.map((a) => (
            <li key={a.id}>
              <a href={a.url} target="_blank" rel="noreferrer">
                {a.title}
              </a>
              <p className="small">{a.snippet}</p>
              <button
                type="button"
                className="button small"
                disabled={deflect.isPending}
                onClick={() => deflect.mutate(a)}
              >
                {t("portal.solved_my_problem")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {deflect.error && !isNotAvailable(deflect.error) ? (
        <p className="field-error">{t("errors.code.internal")}</p>
      ) : null}
    </aside>
  );
}
