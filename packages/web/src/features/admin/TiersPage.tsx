import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Tier } from "../../lib/types.ts";
import { Field } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { AdminListPage } from "./AdminList.tsx";
import { useList, useSave } from "./admin-api.ts";

/** Support levels (Tier 0 self-service … Tier 3 engineering): names and descriptions. */
export function TiersPage() {
  const { t } = useTranslation();
  const tiers = useList<Tier>(["tiers"], "/tiers");
  return (
    <AdminListPage
      title={t("admin.nav.tiers")}
      intro={t("admin.tiers.intro")}
      query={tiers}
      addLabel={t("admin.tiers.add")}
      editLabel={t("admin.tiers.edit")}
      columns={[
        { header: t("admin.tiers.level"), cell: (tier) => tier.level },
        { header: t("admin.name"), cell: (tier) => tier.name },
        { header: t("admin.description"), cell: (tier) => tier.description, className: "muted" },
      ]}
      rowKey={(tier) => tier.level}
      rowName={(tier) => tier.name}
      form={(tier, onDone) => <TierForm tier={tier} onDone={onDone} />}
    />
  );
}

function TierForm({ tier, onDone }: { tier: Tier | null; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSave<Tier>("/tiers", [["tiers"]]);
  const [level, setLevel] = useState(String(tier?.level ?? ""));
  const [name, setName] = useState(tier?.name ?? "");
  const [description, setDescription] = useState(tier?.description ?? "");
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(save.error, clientErrors);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!tier && !/^\d+$/.test(level)) errs.level = t("errors.field.required");
    if (!name.trim()) errs.name = t("errors.field.required");
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    const body = tier ? { name: name.trim(), description } : { level: Number(level), name: name.trim(), description };
    save.mutate({ id: tier?.level, body }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} noValidate className="stack">
      {!tier && (
        <Field label={t("admin.tiers.level")} error={fieldError("level")} required>
          {(p) => (
            <input {...p} type="number" min={0} max={20} value={level} onChange={(e) => setLevel(e.target.value)} />
          )}
        </Field>
      )}
      <Field label={t("admin.name")} error={fieldError("name")} required>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label={t("admin.description")} error={fieldError("description")}>
        {(p) => <textarea {...p} rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <FormError error={save.error} shownPaths={["level", "name", "description"]} />
      <FormButtons pending={save.isPending} onCancel={onDone} />
    </form>
  );
}

export function FormButtons({ pending, onCancel, label }: { pending: boolean; onCancel: () => void; label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="button-row">
      <button type="button" className="button" onClick={onCancel}>
        {t("common.cancel")}
      </button>
      <button type="submit" className="button primary" disabled={pending}>
        {label ?? t("common.save")}
      </button>
    </div>
  );
}
