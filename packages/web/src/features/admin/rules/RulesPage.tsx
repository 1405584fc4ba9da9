import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Rule } from "../../../lib/types.ts";
import { Dialog } from "../../../ui/Dialog.tsx";
import { Empty, ErrorNote } from "../../../ui/Notice.tsx";
import { AdminPage } from "../AdminPage.tsx";
import { useList, useRemove, useSave } from "../admin-api.ts";
import { DryRunPanel } from "./DryRunPanel.tsx";
import { RuleBuilder } from "./RuleBuilder.tsx";
import { describeActions, describeEvent, useRuleNames } from "./rule-sentences.ts";

/** Automatic escalation rules in firing order, each with its event, conditions and actions. */
export function RulesPage() {
  const { t } = useTranslation();
  const names = useRuleNames();
  const rules = useList<Rule>(["admin", "rules"], "/escalation-rules");
  const toggle = useSave<Rule>("/escalation-rules", [["admin", "rules"]]);
  const remove = useRemove("/escalation-rules", [["admin", "rules"]]);
  const [editing, setEditing] = useState<Rule | "new" | null>(null);
  const [dryRun, setDryRun] = useState<Rule | null>(null);
  const sorted = [...(rules.data ?? [])].sort((a, b) => a.position - b.position);
  return (
    <AdminPage
      title={t("admin.nav.rules")}
      intro={t("rules.intro")}
      query={rules}
      actions={
        <button type="button" className="button primary" onClick={() => setEditing("new")}>
          {t("rules.add")}
        </button>
      }
    >
      <ErrorNote error={toggle.error ?? remove.error} />
      {sorted.length === 0 && <Empty>{t("rules.none")}</Empty>}
      <ol className="policy-list">
        {sorted.map((r) => (
          <li key={r.id} className={`card policy ${r.enabled ? "" : "disabled-row"}`}>
            <div className="policy-head">
              <h2>{r.name}</h2>
              <span className={`badge ${r.enabled ? "badge-on" : "subtle"}`}>
                {r.enabled ? t("admin.enabled") : t("admin.disabled")}
              </span>
            </div>
            <p className="small">
              <strong>{t("rules.when")}</strong> {describeEvent(r.event, t)}
              {(r.conditions.all?.length ?? 0) + (r.conditions.any?.length ?? 0) > 0 &&
                ` · ${t("rules.n_conditions", { count: (r.conditions.all?.length ?? 0) + (r.conditions.any?.length ?? 0) })}`}
            </p>
            <p className="small">
              <strong>{t("rules.then")}</strong> {describeActions(r.actions, t, names)}
            </p>
            <div className="button-row start">
              <button type="button" className="button small" onClick={() => setDryRun(r)}>
                {t("rules.dry_run")}
              </button>
              {r.enabled && (
                <button
                  type="button"
                  className="button small"
                  onClick={() => toggle.mutate({ id: r.id, body: { enabled: false } })}
                >
                  {t("admin.disable")}
                </button>
              )}
              <button
                type="button"
                className="button small"
                onClick={() => setEditing(r)}
                aria-label={t("admin.edit_named", { name: r.name })}
              >
                {t("admin.edit")}
              </button>
              <button
                type="button"
                className="button small danger"
                onClick={() => {
                  if (confirm(t("admin.confirm_delete", { name: r.name }))) remove.mutate(r.id);
                }}
              >
                {t("admin.delete")}
              </button>
            </div>
          </li>
        ))}
      </ol>
      <Dialog
        wide
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === "new" ? t("rules.add") : t("rules.edit")}
      >
        {editing !== null && <RuleBuilder rule={editing === "new" ? null : editing} onDone={() => setEditing(null)} />}
      </Dialog>
      <Dialog wide open={dryRun !== null} onClose={() => setDryRun(null)} title={t("rules.dry_run")}>
        {dryRun && <DryRunPanel rule={dryRun} onEnabled={() => setDryRun(null)} />}
      </Dialog>
    </AdminPage>
  );
}
