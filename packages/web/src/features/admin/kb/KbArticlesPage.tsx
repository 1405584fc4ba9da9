import { useMemo, useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../../lib/api.ts";
import { renderMarkdown } from "@eskala/contracts/markdown";
import { Dialog } from "../../../ui/Dialog.tsx";
import { Field } from "../../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../../ui/form-errors.tsx";
import { ErrorNote, Loading } from "../../../ui/Notice.tsx";
import { AdminPage } from "../AdminPage.tsx";
import { FormButtons } from "../TiersPage.tsx";
import { useRemove, useSave } from "../admin-api.ts";

type Lang = "id" | "en";
type Status = "draft" | "published";

interface ArticleSummary {
  id: string;
  title: string;
  category: string | null;
  language: Lang;
  status: Status;
  url: string;
  excerpt: string;
  deflections?: number;
  updated_at: string;
}
interface Article extends ArticleSummary {
  body: string;
  body_html: string;
  version: number;
}

const KEY = ["kb-admin", "articles"];
/** Articles a page of the list shows; "Next page" follows the server's cursor. */
const PAGE_SIZE = 50;

/** Help-center articles: find, write in Markdown with the customers' preview, publish or withdraw, delete. */
export function KbArticlesPage() {
  const { t, i18n } = useTranslation();
  const [lang, setLang] = useState<"" | Lang>("");
  const [status, setStatus] = useState<"" | Status>("");
  const [search, setSearch] = useState("");
  // The cursors of the pages before this one (the first page has none): back goes to the last.
  const [cursors, setCursors] = useState<string[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const query: Record<string, string> = { limit: String(PAGE_SIZE) };
  if (lang) query.lang = lang;
  if (status) query.status = status;
  if (cursor) query.cursor = cursor;
  const page = useQuery({
    queryKey: [...KEY, lang, status, cursor ?? ""],
    queryFn: () => api.get<{ items: ArticleSummary[]; next_cursor: string | null }>("/kb/articles", query),
    retry: false,
  });
  const list = { ...page, data: page.data?.items };
  const nextCursor = page.data?.next_cursor ?? null;
  const firstPage = () => {
    setCursors([]);
    setCursor(undefined);
  };
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const save = useSave<Article>("/kb/articles", [KEY]);
  const remove = useRemove("/kb/articles", [KEY]);
  const words = search.trim().toLocaleLowerCase();
  const rows = useMemo(
    () =>
      (list.data ?? []).filter(
        (a) => !words || `${a.title} ${a.category ?? ""} ${a.excerpt}`.toLocaleLowerCase().includes(words),
      ),
    [list.data, words],
  );
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  return (
    <AdminPage
      title={t("kbAdmin.nav.kb")}
      intro={t("kbAdmin.kb.intro")}
      query={list}
      actions={
        <button type="button" className="button primary" onClick={() => setEditing("new")}>
          {t("kbAdmin.kb.add")}
        </button>
      }
    >
      <div className="form-grid">
        <Field label={t("kbAdmin.kb.search")}>
          {(p) => <input {...p} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />}
        </Field>
        <Field label={t("kbAdmin.kb.language")}>
          {(p) => (
            <select
              {...p}
              value={lang}
              onChange={(e) => {
                setLang(e.target.value as "" | Lang);
                firstPage();
              }}
            >
              <option value="">{t("kbAdmin.kb.all_languages")}</option>
              <option value="id">{t("kbAdmin.lang.id")}</option>
              <option value="en">{t("kbAdmin.lang.en")}</option>
            </select>
          )}
        </Field>
        <Field label={t("kbAdmin.kb.status")}>
          {(p) => (
            <select
              {...p}
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as "" | Status);
                firstPage();
              }}
            >
              <option value="">{t("kbAdmin.kb.all_states")}</option>
              <option value="published">{t("kbAdmin.status.published")}</option>
              <option value="draft">{t("kbAdmin.status.draft")}</option>
            </select>
          )}
        </Field>
      </div>
      {rows.length === 0 ? (
        <p className="muted">{t("kbAdmin.kb.none")}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("kbAdmin.kb.title")}</th>
              <th scope="col">{t("kbAdmin.kb.language")}</th>
              <th scope="col">{t("kbAdmin.kb.status")}</th>
              <th scope="col">{t("kbAdmin.kb.updated")}</th>
              <th scope="col">
                <span className="sr-only">{t("admin.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id}>
                <td>
                  {a.title}
                  {a.category ? <span className="tag"> {a.category}</span> : null}
                </td>
                <td>{t(`kbAdmin.lang.${a.language}`)}</td>
                <td>{t(`kbAdmin.status.${a.status}`)}</td>
                <td>{fmt.format(new Date(a.updated_at))}</td>
                <td>
                  <div className="button-row">
                    <button
                      type="button"
                      className="button small"
                      onClick={() => setEditing(a.id)}
                      aria-label={t("admin.edit_named", { name: a.title })}
                    >
                      {t("admin.edit")}
                    </button>
                    <button
                      type="button"
                      className="button small"
                      disabled={save.isPending}
                      onClick={() =>
                        save.mutate({ id: a.id, body: { status: a.status === "published" ? "draft" : "published" } })
                      }
                      aria-label={t(
                        a.status === "published" ? "kbAdmin.kb.unpublish_named" : "kbAdmin.kb.publish_named",
                        {
                          title: a.title,
                        },
                      )}
                    >
                      {t(a.status === "published" ? "kbAdmin.kb.unpublish" : "kbAdmin.kb.publish")}
                    </button>
                    <button
                      type="button"
                      className="button small danger"
                      disabled={remove.isPending}
                      onClick={() => {
                        if (window.confirm(t("kbAdmin.kb.delete_confirm", { title: a.title }))) remove.mutate(a.id);
                      }}
                      aria-label={t("kbAdmin.kb.delete_named", { title: a.title })}
                    >
                      {t("kbAdmin.kb.delete")}
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursors.length > 0 || nextCursor ? (
        <nav className="button-row" aria-label={t("kbAdmin.kb.pages")}>
          <button
            type="button"
            className="button small"
            disabled={cursors.length === 0}
            onClick={() => {
              setCursor(cursors[cursors.length - 1] || undefined);
              setCursors(cursors.slice(0, -1));
            }}
          >
            {t("kbAdmin.kb.previous_page")}
          </button>
          <span className="muted">{t("kbAdmin.kb.page_number", { n: cursors.length + 1 })}</span>
          <button
            type="button"
            className="button small"
            disabled={!nextCursor}
            onClick={() => {
              setCursors([...cursors, cursor ?? ""]);
              setCursor(nextCursor ?? undefined);
            }}
          >
            {t("kbAdmin.kb.next_page")}
          </button>
        </nav>
      ) : null}
      {save.error && !editing ? <ErrorNote error={save.error} /> : null}
      {remove.error ? <ErrorNote error={remove.error} /> : null}
      <Dialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === "new" ? t("kbAdmin.kb.add") : t("kbAdmin.kb.edit")}
      >
        {editing === "new" ? (
          <ArticleForm article={null} onDone={() => setEditing(null)} />
        ) : editing ? (
          <LoadedArticleForm id={editing} onDone={() => setEditing(null)} />
        ) : null}
      </Dialog>
    </AdminPage>
  );
}

function LoadedArticleForm({ id, onDone }: { id: string; onDone: () => void }) {
  const article = useQuery({
    queryKey: [...KEY, "one", id],
    queryFn: ({ signal }) => api.get<Article>(`/kb/articles/${id}`, undefined, signal),
    retry: false,
  });
  if (article.isLoading) return <Loading />;
  if (article.error || !article.data) return <ErrorNote error={article.error} />;
  return <ArticleForm article={article.data} onDone={onDone} />;
}

const SHOWN = ["title", "body", "category", "language", "status"];

function ArticleForm({ article, onDone }: { article: Article | null; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const save = useSave<Article>("/kb/articles", [KEY]);
  const [title, setTitle] = useState(article?.title ?? "");
  const [body, setBody] = useState(article?.body ?? "");
  const [category, setCategory] = useState(article?.category ?? "");
  const [language, setLanguage] = useState<Lang>(article?.language ?? (i18n.language === "en" ? "en" : "id"));
  const [status, setStatus] = useState<Status>(article?.status ?? "draft");
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(save.error, clientErrors);
  const preview = useMemo(() => renderMarkdown(body), [body]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!title.trim()) missing.title = t("errors.field.required");
    if (!body.trim()) missing.body = t("errors.field.required");
    setClientErrors(missing);
    if (Object.keys(missing).length) return;
    const payload = { title: title.trim(), body, category: category.trim() || null, language, status };
    save.mutate(
      article ? { id: article.id, body: { ...payload, expected_version: article.version } } : { body: payload },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit} noValidate className="stack kb-article-form">
      <Field label={t("kbAdmin.kb.title")} error={fieldError("title")} required>
        {(p) => <input {...p} value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <div className="form-grid">
        <Field label={t("kbAdmin.kb.language")} hint={t("kbAdmin.kb.language_hint")} error={fieldError("language")}>
          {(p) => (
            <select {...p} value={language} onChange={(e) => setLanguage(e.target.value as Lang)}>
              <option value="id">{t("kbAdmin.lang.id")}</option>
              <option value="en">{t("kbAdmin.lang.en")}</option>
            </select>
          )}
        </Field>
        <Field label={t("kbAdmin.kb.category")} error={fieldError("category")}>
          {(p) => <input {...p} value={category} onChange={(e) => setCategory(e.target.value)} />}
        </Field>
        <Field label={t("kbAdmin.kb.status")} hint={t("kbAdmin.kb.status_hint")} error={fieldError("status")}>
          {(p) => (
            <select {...p} value={status} onChange={(e) => setStatus(e.target.value as Status)}>
              <option value="draft">{t("kbAdmin.status.draft")}</option>
              <option value="published">{t("kbAdmin.status.published")}</option>
            </select>
          )}
        </Field>
      </div>
      <Field label={t("kbAdmin.kb.body")} hint={t("kbAdmin.kb.body_hint")} error={fieldError("body")} required>
        {(p) => <textarea {...p} rows={12} value={body} onChange={(e) => setBody(e.target.value)} />}
      </Field>
      <section aria-labelledby="kb-preview-title" className="card kb-preview">
        <h3 id="kb-preview-title">{t("kbAdmin.kb.preview")}</h3>
        {body.trim() ? (
          // Rendered by markdown-it with raw HTML off and unsafe links refused: the help center's own renderer settings.
          <div className="article-body" data-testid="kb-preview" dangerouslySetInnerHTML={{ __html: preview }} />
        ) : (
          <p className="muted small">{t("kbAdmin.kb.preview_empty")}</p>
        )}
      </section>
      <FormError error={save.error} shownPaths={SHOWN} />
      <FormButtons pending={save.isPending} onCancel={onDone} />
    </form>
  );
}
