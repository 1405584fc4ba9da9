import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Category } from "../../lib/types.ts";
import { Dialog } from "../../ui/Dialog.tsx";
import { Field } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { AdminPage } from "./AdminPage.tsx";
import { FormButtons } from "./TiersPage.tsx";
import { useList, useSave } from "./admin-api.ts";

/** Categories and the skill (with minimum level) an agent needs to take them: the routing map. */
export function CategoriesPage() {
  const { t } = useTranslation();
  const categories = useList<Category>(["categories"], "/categories");
  const [editing, setEditing] = useState<Category | "new" | null>(null);
  return (
    <AdminPage
      title={t("admin.nav.categories")}
      intro={t("admin.categories.intro")}
      query={categories}
      actions={
        <button type="button" className="button primary" onClick={() => setEditing("new")}>
          {t("admin.categories.add")}
        </button>
      }
    >
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t("admin.name")}</th>
            <th scope="col">{t("admin.categories.skill")}</th>
            <th scope="col">{t("admin.categories.level")}</th>
            <th scope="col">
              <span className="sr-only">{t("admin.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {categories.data?.map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td>{c.skill ? <span className="tag">{c.skill}</span> : <span className="muted">—</span>}</td>
              <td>{c.skill ? c.skill_level : "—"}</td>
              <td>
                <button
                  type="button"
                  className="button small"
                  onClick={() => setEditing(c)}
                  aria-label={t("admin.edit_named", { name: c.name })}
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
        title={editing === "new" ? t("admin.categories.add") : t("admin.categories.edit")}
      >
        {editing !== null && (
          <CategoryForm category={editing === "new" ? null : editing} onDone={() => setEditing(null)} />
        )}
      </Dialog>
    </AdminPage>
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
