import { useEffect } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../../lib/api.ts";
import type { DryRun, Rule } from "../../../lib/types.ts";
import { Empty, ErrorNote, Loading } from "../../../ui/Notice.tsx";
import { useSave } from "../admin-api.ts";
import { describeActions, useRuleNames } from "./rule-sentences.ts";

/** What the saved rule would do to current tickets; enabling is offered only after seeing it. */
export function DryRunPanel({ rule, onEnabled }: { rule: Rule; onEnabled: () => void }) {
  const { t } = useTranslation();
  const names = useRuleNames();
  const run = useMutation({ mutationFn: () => api.post<DryRun>(`/escalation-rules/${rule.id}/dry-run`) });
  const enable = useSave<Rule>("/escalation-rules", [["admin", "rules"]]);
  const { mutate } = run;
  useEffect(() => mutate(), [mutate, rule.id]);

  return (
    <section className="dry-run card" aria-labelledby="dry-run-title" aria-busy={run.isPending}>
      <h3 id="dry-run-title">{t("rules.dry_run_title", { name: rule.name })}</h3>
      {run.isPending && <Loading />}
      <ErrorNote error={run.error} />
      {run.data?.evaluated !== undefined && (
        <p className="muted small">
          {t("rules.dry_run_stats", {
            evaluated: run.data.evaluated,
            matched: run.data.matched ?? run.data.items.length,
          })}
        </p>
      )}
      {run.data && run.data.items.length === 0 && <Empty>{t("rules.dry_run_none")}</Empty>}
      {run.data && run.data.items.length > 0 && (
        <>
          <p role="status">{t("rules.dry_run_count", { count: run.data.matched ?? run.data.items.length })}</p>
          {run.data.mode === "event" && (
            <p className="muted small">
              {t("rules.dry_run_event_mode", { actions: describeActions(rule.actions, t, names) })}
            </p>
          )}
          <ul className="dry-run-list">
            {run.data.items.slice(0, 100).map((item) => (
              <li key={item.ticket.id}>
                <span className="ticket-number">#{item.ticket.number}</span> {item.ticket.subject}
                {item.actions.length > 0 && <span className="muted"> → {describeActions(item.actions, t, names)}</span>}
              </li>
            ))}
          </ul>
          {run.data.items.length > 100 && (
            <p className="muted small">{t("rules.dry_run_more", { count: run.data.items.length - 100 })}</p>
          )}
        </>
      )}
      {run.isSuccess && !rule.enabled && (
        <div className="button-row">
          <ErrorNote error={enable.error} />
          <button
            type="button"
            className="button primary"
            disabled={enable.isPending}
            onClick={() => enable.mutate({ id: rule.id, body: { enabled: true } }, { onSuccess: onEnabled })}
          >
            {t("rules.enable_after_dry_run")}
          </button>
        </div>
      )}
    </section>
  );
}
