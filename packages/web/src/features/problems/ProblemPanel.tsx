import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Ticket } from "../../lib/types.ts";
import { FormError } from "../../ui/form-errors.tsx";
import { ProblemStatusBadge } from "./ProblemStatusBadge.tsx";
import "../../styles/problems.css";
import {
  createProblem,
  linkTicketToProblem,
  unlinkTicketFromProblem,
  useProblemMutation,
  useProblems,
} from "./problems-api.ts";

/**
 * On the ticket view (staff): the ticket's problem with its status and the workaround for agents,
 * or a search to link it to a problem by title, or to create one named after the search.
 */
export function ProblemPanel({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const [searching, setSearching] = useState(false);
  const [q, setQ] = useState("");
  const found = useProblems({ q: q.trim() || undefined }, searching);
  const link = useProblemMutation((problemId: string) => linkTicketToProblem(problemId, ticket.id));
  const create = useProblemMutation((title: string) => createProblem({ title, ticket_ids: [ticket.id] }));
  const unlink = useProblemMutation((problemId: string) => unlinkTicketFromProblem(problemId, ticket.id));
  const problem = ticket.problem;

  if (problem)
    return (
      <section className="problem-panel" aria-label={t("problems.panel.title")}>
        <p>
          <strong>{t("problems.panel.linked_to", { number: problem.number })}</strong>{" "}
          <Link to={`/app/problems/${problem.id}`}>{problem.title}</Link> <ProblemStatusBadge status={problem.status} />{" "}
          <button type="button" className="button small" onClick={() => unlink.mutate(problem.id)}>
            {t("problems.panel.unlink")}
          </button>
        </p>
        {problem.workaround && (
          <div className="problem-workaround">
            <strong>{t("problems.panel.workaround")}</strong>
            <p>{problem.workaround}</p>
          </div>
        )}
        <FormError error={unlink.error} />
      </section>
    );

  if (!searching)
    return (
      <div className="problem-panel collapsed">
        <button type="button" className="button small" onClick={() => setSearching(true)}>
          {t("problems.panel.link")}
        </button>
      </div>
    );

  const items = found.data?.items.slice(0, 8) ?? [];
  return (
    <section className="problem-panel" aria-label={t("problems.panel.link")}>
      <label>
        {t("problems.panel.search")}{" "}
        <input type="search" value={q} maxLength={200} autoFocus onChange={(e) => setQ(e.target.value)} />
      </label>{" "}
      <button type="button" className="button small" onClick={() => setSearching(false)}>
        {t("problems.panel.cancel")}
      </button>
      <ul className="problem-choices">
        {items.map((p) => (
          <li key={p.id}>
            <button type="button" className="button small" onClick={() => link.mutate(p.id)} disabled={link.isPending}>
              #{p.number} {p.title}
            </button>{" "}
            <ProblemStatusBadge status={p.status} />
          </li>
        ))}
        {found.isSuccess && items.length === 0 && <li className="muted">{t("problems.panel.no_match")}</li>}
        {q.trim() && (
          <li>
            <button
              type="button"
              className="button small primary"
              onClick={() => create.mutate(q.trim())}
              disabled={create.isPending}
            >
              {t("problems.panel.create_from", { title: q.trim() })}
            </button>
          </li>
        )}
      </ul>
      <FormError error={link.error ?? create.error} />
    </section>
  );
}
