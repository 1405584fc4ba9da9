import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { api } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/time.ts";
import type { Items, ResolutionCode, TicketSummary, User } from "../../lib/types.ts";
import { StatusBadge } from "../../ui/Badges.tsx";
import { Field } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { Empty, ErrorNote, Loading, Notice } from "../../ui/Notice.tsx";
import { canSupervise } from "../auth/session.ts";
import { ProblemStatusBadge } from "./ProblemStatusBadge.tsx";
import "../../styles/problems.css";
import {
  PROBLEM_STATUSES,
  linkTicketToProblem,
  unlinkTicketFromProblem,
  updateProblem,
  useProblem,
  useProblemMutation,
  type ProblemRecordDetail,
  type ProblemStatus,
} from "./problems-api.ts";

const CODES: ResolutionCode[] = ["fixed", "workaround", "answered", "replacement", "refund", "credit", "wont_fix"];

/** One problem: its status (supervisors change it, with the workaround or the customers' update), its tickets. */
export function ProblemDetailPage({ user }: { user: User }) {
  const { t, i18n } = useTranslation();
  const { problemId = "" } = useParams();
  const problem = useProblem(problemId);
  if (problem.isLoading) return <Loading />;
  if (problem.error || !problem.data) return <ErrorNote error={problem.error} />;
  const p = problem.data;
  return (
    <main className="page problem-detail">
      <p>
        <Link to="/app/problems">← {t("problems.back")}</Link>
      </p>
      <h1>
        <span className="ticket-number">#{p.number}</span> {p.title} <ProblemStatusBadge status={p.status} />
      </h1>
      {p.description && <p className="problem-description">{p.description}</p>}
      <p className="muted">
        {t("problems.owner")}: {p.owner?.name ?? t("problems.no_owner")}
        {p.fixed_at && <> · {t("problems.fixed_at", { at: formatDateTime(p.fixed_at, i18n.language) })}</>}
      </p>
      {p.workaround && (
        <section className="card problem-workaround" aria-labelledby="workaround-title">
          <h2 id="workaround-title">{t("problems.workaround")}</h2>
          <p>{p.workaround}</p>
        </section>
      )}
      {canSupervise(user) ? <StatusForm problem={p} /> : <p className="muted">{t("problems.lead_only")}</p>}
      <LinkedTickets problem={p} />
    </main>
  );
}

function StatusForm({ problem }: { problem: ProblemRecordDetail }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({
    status: problem.status as ProblemStatus,
    workaround: problem.workaround ?? "",
    resolution_message_id: problem.resolution_message_id ?? "",
    resolution_message_en: problem.resolution_message_en ?? "",
    solve_linked: problem.solve_linked,
    resolution_code: (problem.resolution_code ?? "fixed") as ResolutionCode,
  });
  useEffect(() => setForm((f) => ({ ...f, status: problem.status })), [problem.status]);
  const save = useProblemMutation(() =>
    updateProblem(problem.id, {
      status: form.status,
      ...(form.workaround.trim() ? { workaround: form.workaround } : {}),
      ...(form.status === "fixed"
        ? {
            ...(form.resolution_message_id.trim() ? { resolution_message_id: form.resolution_message_id } : {}),
            ...(form.resolution_message_en.trim() ? { resolution_message_en: form.resolution_message_en } : {}),
            solve_linked: form.solve_linked,
            ...(form.solve_linked ? { resolution_code: form.resolution_code } : {}),
          }
        : {}),
    }),
  );
  const fieldError = useFieldErrors(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  return (
    <section className="card" aria-labelledby="status-title">
      <h2 id="status-title">{t("problems.change_status")}</h2>
      <form onSubmit={submit} className="problem-status-form">
        <Field label={t("problems.status_filter")} error={fieldError("status")}>
          {(p) => (
            <select
              {...p}
              value={form.status}
              onChange={(e) => setForm({ ...form, status: e.target.value as ProblemStatus })}
            >
              {PROBLEM_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`problems.status.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={t("problems.workaround")}
          hint={t("problems.workaround_help")}
          error={fieldError("workaround")}
          required={form.status === "known_error"}
        >
          {(p) => (
            <textarea
              {...p}
              rows={3}
              value={form.workaround}
              onChange={(e) => setForm({ ...form, workaround: e.target.value })}
            />
          )}
        </Field>
        {form.status === "fixed" && problem.status !== "fixed" && (
          <>
            <p className="field-hint">{t("problems.resolution_help")}</p>
            <Field label={t("problems.resolution_id")} error={fieldError("resolution_message_id")}>
              {(p) => (
                <textarea
                  {...p}
                  rows={3}
                  value={form.resolution_message_id}
                  onChange={(e) => setForm({ ...form, resolution_message_id: e.target.value })}
                />
              )}
            </Field>
            <Field label={t("problems.resolution_en")} error={fieldError("resolution_message_en")}>
              {(p) => (
                <textarea
                  {...p}
                  rows={3}
                  value={form.resolution_message_en}
                  onChange={(e) => setForm({ ...form, resolution_message_en: e.target.value })}
                />
              )}
            </Field>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={form.solve_linked}
                onChange={(e) => setForm({ ...form, solve_linked: e.target.checked })}
              />{" "}
              {t("problems.solve_linked")}
            </label>
            {form.solve_linked && (
              <Field label={t("problems.resolution_code")}>
                {(p) => (
                  <select
                    {...p}
                    value={form.resolution_code}
                    onChange={(e) => setForm({ ...form, resolution_code: e.target.value as ResolutionCode })}
                  >
                    {CODES.map((c) => (
                      <option key={c} value={c}>
                        {t(`resolution.${c}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
          </>
        )}
        <button type="submit" className="button primary" disabled={save.isPending}>
          {t("problems.save")}
        </button>
        <FormError
          error={save.error}
          shownPaths={["status", "workaround", "resolution_message_id", "resolution_message_en"]}
        />
      </form>
    </section>
  );
}

function LinkedTickets({ problem }: { problem: ProblemRecordDetail }) {
  const { t } = useTranslation();
  const [number, setNumber] = useState("");
  const [notFound, setNotFound] = useState(false);
  const unlink = useProblemMutation((ticketId: string) => unlinkTicketFromProblem(problem.id, ticketId));
  const link = useProblemMutation(async (n: string) => {
    const found = await api.get<Items<TicketSummary>>("/tickets", { q: `#${n}`, limit: 1 });
    const ticket = found.items[0];
    if (!ticket) {
      setNotFound(true);
      throw new Error("not found");
    }
    return linkTicketToProblem(problem.id, ticket.id);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotFound(false);
    link.mutate(number.replace(/^#/, "").trim(), { onSuccess: () => setNumber("") });
  };
  return (
    <section aria-labelledby="linked-title">
      <h2 id="linked-title">{t("problems.linked_tickets")}</h2>
      {problem.tickets.length === 0 ? (
        <Empty>{t("problems.no_tickets")}</Empty>
      ) : (
        <ul className="problem-tickets">
          {problem.tickets.map((tk) => (
            <li key={tk.id}>
              <Link to={`/app/tickets/${tk.id}`}>
                #{tk.number} {tk.subject}
              </Link>{" "}
              <StatusBadge status={tk.status} />
              {tk.notified && <span className="badge"> {t("problems.notified")}</span>}{" "}
              <button
                type="button"
                className="button small"
                onClick={() => unlink.mutate(tk.id)}
                aria-label={`${t("problems.unlink")} #${tk.number}`}
              >
                {t("problems.unlink")}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} className="problem-link-form" aria-label={t("problems.link_ticket")}>
        <Field label={t("problems.ticket_number")}>
          {(p) => <input {...p} inputMode="numeric" value={number} onChange={(e) => setNumber(e.target.value)} />}
        </Field>
        <button type="submit" className="button" disabled={!/^#?\d+$/.test(number.trim()) || link.isPending}>
          {t("problems.link")}
        </button>
      </form>
      {notFound ? <Notice kind="error">{t("problems.ticket_not_found")}</Notice> : <FormError error={link.error} />}
      <FormError error={unlink.error} />
    </section>
  );
}
