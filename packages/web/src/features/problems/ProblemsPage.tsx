import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import type { User } from "../../lib/types.ts";
import { Field } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { Empty, ErrorNote, Loading } from "../../ui/Notice.tsx";
import { isAdmin } from "../auth/session.ts";
import { DigestSettingsForm } from "./DigestSettingsForm.tsx";
import { ProblemStatusBadge } from "./ProblemStatusBadge.tsx";
import "../../styles/problems.css";
import {
  PROBLEM_STATUSES,
  createProblem,
  useProblemMutation,
  useProblems,
  type ProblemStatus,
} from "./problems-api.ts";

/** The console's problems: a list with a status filter, a form to propose one, and (admins) the digest's schedule. */
export function ProblemsPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [status, setStatus] = useState<ProblemStatus | "">("");
  const list = useProblems({ status: status || undefined });
  const [title, setTitle] = useState("");
  const create = useProblemMutation((body: { title: string }) => createProblem(body));
  const fieldError = useFieldErrors(create.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ title }, { onSuccess: (p) => void navigate(`/app/problems/${p.id}`) });
  };

  return (
    <main className="page problems-page">
      <h1>{t("problems.title")}</h1>
      <p className="muted">{t("problems.intro")}</p>
      <div className="problems-toolbar">
        <Field label={t("problems.status_filter")}>
          {(p) => (
            <select {...p} value={status} onChange={(e) => setStatus(e.target.value as ProblemStatus | "")}>
              <option value="">{t("problems.all_statuses")}</option>
              {PROBLEM_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`problems.status.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <form className="problems-new" onSubmit={submit} aria-label={t("problems.new")}>
          <Field label={t("problems.title_label")} error={fieldError("title")}>
            {(p) => <input {...p} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />}
          </Field>
          <button type="submit" className="button primary" disabled={create.isPending || !title.trim()}>
            {t("problems.create")}
          </button>
          <FormError error={create.error} shownPaths={["title"]} />
        </form>
      </div>
      {list.isLoading ? (
        <Loading />
      ) : list.error ? (
        <ErrorNote error={list.error} />
      ) : !list.data?.items.length ? (
        <Empty>{t("problems.none")}</Empty>
      ) : (
        <table className="table problems-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t("problems.title_label")}</th>
              <th scope="col">{t("problems.status_filter")}</th>
              <th scope="col">{t("problems.linked_tickets")}</th>
              <th scope="col">{t("problems.owner")}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((p) => (
              <tr key={p.id}>
                <td>{p.number}</td>
                <td>
                  <Link to={`/app/problems/${p.id}`}>{p.title}</Link>
                </td>
                <td>
                  <ProblemStatusBadge status={p.status} />
                </td>
                <td>
                  {t("problems.tickets_count", { count: p.ticket_count })}
                  {p.open_ticket_count > 0 && (
                    <span className="muted"> · {t("problems.open_count", { count: p.open_ticket_count })}</span>
                  )}
                </td>
                <td>{p.owner?.name ?? <span className="muted">{t("problems.no_owner")}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {isAdmin(user) && <DigestSettingsForm />}
    </main>
  );
}
