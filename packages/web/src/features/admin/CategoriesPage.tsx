import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Category } from "../../lib/types.ts";
import { Field } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { AdminListPage } from "./AdminList.tsx";
import { FormButtons } from "./TiersPage.tsx";
import { useList, useSave } from "./admin-api.ts";

/** Categories and the skill (with minimum level) an agent needs to take them: the routing map. */
export function CategoriesPage() {
  const { t } = useTranslation();
  const categories = useList<Category>(["categories"], "/categories");
  return (
    <AdminListPage
      title={t("admin.nav.categories")}
      intro={t("admin.categories.intro")}
      query={categories}
      addLabel={t("admin.categories.add")}
      editLabel={t("admin.categories.edit")}
      columns={[
        { header: t("admin.name"), cell: (c) => c.name },
        {
          header: t("admin.categories.skill"),
          cell: (c) => (c.skill ? <span className="tag">{c.skill}</span> : <span className="muted">—</span>),
        },
        { header: t("admin.categories.level"), cell: (c) => (c.skill ? c.skill_level : "—") },
      ]}
      rowKey={(c) => c.id}
      rowName={(c) => c.name}
      form={(c, onDone) => <CategoryForm category={c} onDone={onDone} />}
    />
  );
}

function CategoryForm({ category, onDone }: { category: Category | null; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSave<Category>("/categories", [["categories"]]);
  const [name, setName] = useState(category?.name ?? "");
  const [skill, setSkill] = useState(category?.skill ?? "");
  const [level, setLevel] = useState(String(category?.skill_level ?? 1));
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(save.error, clientErrors);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setClientErrors({ name: t("errors.field.required") });
      return;
    }
    setClientErrors({});
    save.mutate(
      { id: category?.id, body: { name: name.trim(), skill: skill.trim() || null, skill_level: Number(level) } },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit} noValidate className="stack">
      <Field label={t("admin.name")} error={fieldError("name")} required>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label={t("admin.categories.skill")} hint={t("admin.categories.skill_hint")} error={fieldError("skill")}>
        {(p) => <input {...p} value={skill} onChange={(e) => setSkill(e.target.value)} />}
      </Field>
      <Field label={t("admin.categories.level")} error={fieldError("skill_level")}>
        {(p) => (
          <select {...p} value={level} onChange={(e) => setLevel(e.target.value)}>
            {[1, 2, 3, 4, 5].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        )}
      </Field>
      <FormError error={save.error} shownPaths={["name", "skill", "skill_level"]} />
      <FormButtons pending={save.isPending} onCancel={onDone} />
    </form>
  );
}
