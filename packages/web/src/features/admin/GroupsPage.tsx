import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Group, Tier } from "../../lib/types.ts";
import { Dialog } from "../../ui/Dialog.tsx";
import { Field, FieldSet } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { useStaff } from "../console/reference.ts";
import { AdminPage } from "./AdminPage.tsx";
import { FormButtons } from "./TiersPage.tsx";
import { useList, useSave } from "./admin-api.ts";

/** Tier groups (where escalations land) and departments (functional escalation), with their supervisors. */
export function GroupsPage() {
  const { t } = useTranslation();
  const groups = useList<Group>(["groups"], "/groups");
  const staff = useStaff();
  const names = new Map((staff.data ?? []).map((u) => [u.id, u.name]));
  const [editing, setEditing] = useState<Group | "new" | null>(null);
  return (
    <AdminPage
      title={t("admin.nav.groups")}
      intro={t("admin.groups.intro")}
      query={groups}
      actions={
        <button type="button" className="button primary" onClick={() => setEditing("new")}>
          {t("admin.groups.add")}
        </button>
      }
    >
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t("admin.name")}</th>
            <th scope="col">{t("admin.groups.kind")}</th>
            <th scope="col">{t("ticket.tier")}</th>
            <th scope="col">{t("admin.groups.supervisors")}</th>
            <th scope="col">{t("admin.groups.members")}</th>
            <th scope="col">
              <span className="sr-only">{t("admin.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {groups.data?.map((g) => (
            <tr key={g.id}>
              <td>
                {g.name}
                {g.is_default && <span className="badge subtle">{t("admin.groups.default")}</span>}
                {g.email_address && <div className="muted small">{g.email_address}</div>}
              </td>
              <td>{t(`admin.groups.kind_${g.kind}`)}</td>
              <td>{g.tier ?? "—"}</td>
              <td>{g.supervisor_ids.map((id) => names.get(id) ?? id.slice(0, 8)).join(", ") || "—"}</td>
              <td>{g.member_ids.length}</td>
              <td>
                <button
                  type="button"
                  className="button small"
                  onClick={() => setEditing(g)}
                  aria-label={t("admin.edit_named", { name: g.name })}
                >
                  {t("admin.edit")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Dialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === "new" ? t("admin.groups.add") : t("admin.groups.edit")}
      >
        {editing !== null && <GroupForm group={editing === "new" ? null : editing} onDone={() => setEditing(null)} />}
      </Dialog>
    </AdminPage>
  );
}

function GroupForm({ group, onDone }: { group: Group | null; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSave<Group>("/groups", [["groups"], ["users"]]);
  const tiers = useList<Tier>(["tiers"], "/tiers");
  const supervisors = (useStaff().data ?? []).filter((u) => u.role === "supervisor" || u.role === "admin");
  const [name, setName] = useState(group?.name ?? "");
  const [kind, setKind] = useState<Group["kind"]>(group?.kind ?? "tier");
  const [tier, setTier] = useState(group?.tier !== null && group?.tier !== undefined ? String(group.tier) : "1");
  const [isDefault, setIsDefault] = useState(group?.is_default ?? false);
  const [supervisorIds, setSupervisorIds] = useState<string[]>(group?.supervisor_ids ?? []);
  const [email, setEmail] = useState(group?.email_address ?? "");
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(save.error, clientErrors);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setClientErrors({ name: t("errors.field.required") });
      return;
    }
    setClientErrors({});
    const common = {
      name: name.trim(),
      tier: kind === "tier" ? Number(tier) : null,
      is_default: kind === "tier" ? isDefault : false,
      supervisor_ids: supervisorIds,
      email_address: email.trim() || null,
    };
    save.mutate({ id: group?.id, body: group ? common : { ...common, kind } }, { onSuccess: onDone });
  };

  return (
    <form onSubmit={submit} noValidate className="stack">
      <Field label={t("admin.name")} error={fieldError("name")} required>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      {!group && (
        <FieldSet legend={t("admin.groups.kind")}>
          <div className="radio-row">
            {(["tier", "department"] as const).map((k) => (
              <label key={k}>
                <input type="radio" name="group-kind" checked={kind === k} onChange={() => setKind(k)} />{" "}
                {t(`admin.groups.kind_${k}`)}
              </label>
            ))}
          </div>
        </FieldSet>
      )}
      {kind === "tier" && (
        <>
          <Field label={t("ticket.tier")} error={fieldError("tier")}>
            {(p) => (
              <select {...p} value={tier} onChange={(e) => setTier(e.target.value)}>
                {(tiers.data ?? []).map((x) => (
                  <option key={x.level} value={x.level}>
                    {x.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <label className="checkbox">
            <input type="checkbox" checked={isDefault} onChange={(e) => setIsDefault(e.target.checked)} />{" "}
            {t("admin.groups.is_default")}
          </label>
        </>
      )}
      <FieldSet legend={t("admin.groups.supervisors")} error={fieldError("supervisor_ids")}>
        <div className="check-grid">
          {supervisors.map((u) => (
            <label key={u.id} className="checkbox">
              <input
                type="checkbox"
                checked={supervisorIds.includes(u.id)}
                onChange={(e) =>
                  setSupervisorIds((ids) => (e.target.checked ? [...ids, u.id] : ids.filter((x) => x !== u.id)))
                }
              />{" "}
              {u.name}
            </label>
          ))}
        </div>
      </FieldSet>
      <Field label={t("admin.groups.email")} hint={t("admin.groups.email_hint")} error={fieldError("email_address")}>
        {(p) => <input {...p} value={email} onChange={(e) => setEmail(e.target.value)} />}
      </Field>
      <FormError error={save.error} shownPaths={["name", "kind", "tier", "supervisor_ids", "email_address"]} />
      <FormButtons pending={save.isPending} onCancel={onDone} />
    </form>
  );
}
