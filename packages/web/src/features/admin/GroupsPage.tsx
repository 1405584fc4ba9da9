import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Group, Tier } from "../../lib/types.ts";
import { Field, FieldSet } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { useStaff } from "../console/reference.ts";
import { AdminListPage } from "./AdminList.tsx";
import { FormButtons } from "./TiersPage.tsx";
import { useList, useSave } from "./admin-api.ts";

/** Tier groups (where escalations land) and departments (functional escalation), with their supervisors. */
export function GroupsPage() {
  const { t } = useTranslation();
  const groups = useList<Group>(["groups"], "/groups");
  const staff = useStaff();
  const names = new Map((staff.data ?? []).map((u) => [u.id, u.name]));
  return (
    <AdminListPage
      title={t("admin.nav.groups")}
      intro={t("admin.groups.intro")}
      query={groups}
      addLabel={t("admin.groups.add")}
      editLabel={t("admin.groups.edit")}
      columns={[
        {
          header: t("admin.name"),
          cell: (g) => (
            <>
              {g.name}
              {g.is_default && <span className="badge subtle">{t("admin.groups.default")}</span>}
              {g.email_address && <div className="muted small">{g.email_address}</div>}
            </>
          ),
        },
        { header: t("admin.groups.kind"), cell: (g) => t(`admin.groups.kind_${g.kind}`) },
        { header: t("ticket.tier"), cell: (g) => g.tier ?? "—" },
        {
          header: t("admin.groups.supervisors"),
          cell: (g) => g.supervisor_ids.map((id) => names.get(id) ?? id.slice(0, 8)).join(", ") || "—",
        },
        { header: t("admin.groups.members"), cell: (g) => g.member_ids.length },
      ]}
      rowKey={(g) => g.id}
      rowName={(g) => g.name}
      form={(g, onDone) => <GroupForm group={g} onDone={onDone} />}
    />
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
