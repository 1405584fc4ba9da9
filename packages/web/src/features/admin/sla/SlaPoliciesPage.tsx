import type { TFunction } from "i18next";
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../../lib/api.ts";
import type { SlaPolicy } from "../../../lib/types.ts";
import { Dialog } from "../../../ui/Dialog.tsx";
import { ErrorNote } from "../../../ui/Notice.tsx";
import { AdminPage } from "../AdminPage.tsx";
import { useList, useRemove, useSave } from "../admin-api.ts";
import { SlaPolicyForm } from "./SlaPolicyForm.tsx";

const KEY = ["admin", "sla-policies"];

/** SLA policies in the order they are tried: the first enabled policy whose conditions match applies. */
export function SlaPoliciesPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const policies = useList<SlaPolicy>(KEY, "/sla-policies");
  const toggle = useSave<SlaPolicy>("/sla-policies", [KEY]);
  const remove = useRemove("/sla-policies", [KEY]);
  const reorder = useMutation({
    mutationFn: (ids: string[]) => api.post("/sla-policies/reorder", { ids }),
    onSettled: () => qc.invalidateQueries({ queryKey: KEY }),
  });
  const [editing, setEditing] = useState<SlaPolicy | "new" | null>(null);
  const sorted = [...(policies.data ?? [])].sort((a, b) => a.position - b.position);
  const move = (index: number, delta: number) => {
    const ids = sorted.map((p) => p.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + delta, 0, id!);
    reorder.mutate(ids);
  };

  return (
    <AdminPage
      title={t("admin.nav.sla")}
      intro={t("sla_admin.intro")}
      query={policies}
      actions={
        <button type="button" className="button primary" onClick={() => setEditing("new")}>
          {t("sla_admin.add")}
        </button>
      }
    >
      <ErrorNote error={reorder.error ?? toggle.error ?? remove.error} />
      <ol className="policy-list">
        {sorted.map((p, i) => (
          <li key={p.id} className={`card policy ${p.enabled ? "" : "disabled-row"}`}>
            <div className="policy-head">
              <span className="position" aria-hidden="true">
                {i + 1}
              </span>
              <h2>{p.name}</h2>
              <span className={`badge ${p.enabled ? "badge-on" : "subtle"}`}>
                {p.enabled ? t("admin.enabled") : t("admin.disabled")}
              </span>
            </div>
            <p className="muted small">{summarize(p, t)}</p>
            <div className="button-row start">
              <button
                type="button"
                className="button small"
                disabled={i === 0 || reorder.isPending}
                onClick={() => move(i, -1)}
                aria-label={t("admin.move_up", { name: p.name })}
              >
                ↑
              </button>
              <button
                type="button"
                className="button small"
                disabled={i === sorted.length - 1 || reorder.isPending}
                onClick={() => move(i, 1)}
                aria-label={t("admin.move_down", { name: p.name })}
              >
                ↓
              </button>
              <button
                type="button"
                className="button small"
                onClick={() => toggle.mutate({ id: p.id, body: { enabled: !p.enabled } })}
              >
                {p.enabled ? t("admin.disable") : t("admin.enable")}
              </button>
              <button
                type="button"
                className="button small"
                onClick={() => setEditing(p)}
                aria-label={t("admin.edit_named", { name: p.name })}
              >
                {t("admin.edit")}
              </button>
              <button
                type="button"
                className="button small danger"
                onClick={() => {
                  if (confirm(t("admin.confirm_delete", { name: p.name }))) remove.mutate(p.id);
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
        title={editing === "new" ? t("sla_admin.add") : t("sla_admin.edit")}
      >
        {editing !== null && (
          <SlaPolicyForm policy={editing === "new" ? null : editing} onDone={() => setEditing(null)} />
        )}
      </Dialog>
    </AdminPage>
  );
}

function summarize(p: SlaPolicy, t: TFunction): string {
  const parts: string[] = [];
  const c = p.conditions;
  if (c.priorities?.length) parts.push(c.priorities.map((x) => t(`priority.${x}`)).join("/"));
  if (c.channels?.length) parts.push(c.channels.map((x) => t(`channel.${x}`)).join("/"));
  if (c.segments?.length) parts.push(c.segments.join("/"));
  if (c.category_ids?.length) parts.push(t("sla_admin.n_categories", { count: c.category_ids.length }));
  if (c.group_ids?.length) parts.push(t("sla_admin.n_groups", { count: c.group_ids.length }));
  const when = parts.length ? parts.join(" · ") : t("sla_admin.all_tickets");
  const urgent = p.targets.urgent?.first_response ?? p.targets.high?.first_response;
  return urgent !== undefined ? `${when} — ${t("sla_admin.urgent_first", { minutes: urgent })}` : when;
}
