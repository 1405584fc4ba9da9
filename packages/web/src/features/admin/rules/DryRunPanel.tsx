import type { TFunction } from "i18next";
import { useEffect } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../../lib/api.ts";
import type { DryRun, Rule, RuleAction } from "../../../lib/types.ts";
import { Empty, ErrorNote, Loading } from "../../../ui/Notice.tsx";
import { useSave } from "../admin-api.ts";

export function describeAction(a: RuleAction, t: TFunction): string {
  switch (a.type) {
    case "escalate": {
      const to =
        "supervisor" in a.to
          ? t("rules.target.supervisor")
          : "group_id" in a.to
            ? t("rules.target.group")
            : "department_id" in a.to
              ? t("rules.target.department")
              : a.to.tier === "next"
                ? t("rules.target.next")
                : `Tier ${a.to.tier}`;
      return `${t("rules.action.escalate")} → ${to} (${t(`reason.${a.reason}`)})`;
    }
    case "set_priority":
      return `${t("rules.action.set_priority")}: ${t(`priority.${a.priority}`)}`;
    case "assign":
      return `${t("rules.action.assign")}: ${a.agent_id === "auto" ? t("rules.assign_auto") : a.agent_id.slice(0, 8)}`;
    case "add_tag":
    case "remove_tag":
      return `${t(`rules.action.${a.type}`)}: ${a.tag}`;
    case "internal_note":
      return `${t("rules.action.internal_note")}: ${a.body.slice(0, 60)}`;
    case "notify":
      return `${t("rules.action.notify")}: ${t(`rules.notify.${a.channel}`)}`;
  }
}

/** What the saved rule would do to current tickets; enabling is offered only after seeing it. */
export function DryRunPanel({ rule, onEnabled }: { rule: Rule; onEnabled: () => void }) {
  const { t } = useTranslation();
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
              {t("rules.dry_run_event_mode", { actions: rule.actions.map((a) => describeAction(a, t)).join("; ") })}
            </p>
          )}
          <ul className="dry-run-list">
            {run.data.items.slice(0, 100).map((item) => (
              <li key={item.ticket.id}>
                <span className="ticket-number">#{item.ticket.number}</span> {item.ticket.subject}
                {item.actions.length > 0 && (
                  <span className="muted"> → {item.actions.map((a) => describeAction(a, t)).join("; ")}</span>
                )}
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
