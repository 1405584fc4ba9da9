import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Language, Role, User } from "../../lib/types.ts";
import { Field, FieldSet } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { useCategories, useGroups, useTiers } from "../console/reference.ts";
import { FormButtons } from "./TiersPage.tsx";
import { useSave } from "./admin-api.ts";

type SkillRow = { skill: string; level: number };
const STAFF_ROLES: Role[] = ["agent", "supervisor", "admin"];

/** Create or edit a staff member and their routing profile (tier, groups, skills, languages, capacity). */
export function AgentForm({ user, onDone }: { user: User | null; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSave<User>("/users", [["users"], ["groups"]]);
  const tiers = useTiers().data ?? [];
  const groups = useGroups().data ?? [];
  const knownSkills = [...new Set((useCategories().data ?? []).map((c) => c.skill).filter((s): s is string => !!s))];
  const a = user?.agent;
  const [email, setEmail] = useState(user?.email ?? "");
  const [name, setName] = useState(user?.name ?? "");
  const [role, setRole] = useState<Role>(user?.role ?? "agent");
  const [password, setPassword] = useState("");
  const [tier, setTier] = useState(String(a?.tier ?? 1));
  const [groupIds, setGroupIds] = useState<string[]>(a?.group_ids ?? []);
  const [skills, setSkills] = useState<SkillRow[]>(a?.skills ?? []);
  const [languages, setLanguages] = useState<Language[]>(a?.languages ?? ["id"]);
  const [capacity, setCapacity] = useState(String(a?.capacity ?? 20));
  const [disabled, setDisabled] = useState(user?.disabled ?? false);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(save.error, clientErrors);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!name.trim()) errs.name = t("errors.field.required");
    if (!user && !email.trim()) errs.email = t("errors.field.required");
    if (!user && password.length < 10) errs.password = t("errors.field.min_length", { n: 10 });
    if (languages.length === 0) errs["agent.languages"] = t("errors.field.required");
    if (!/^\d+$/.test(capacity)) errs["agent.capacity"] = t("errors.field.required");
    skills.forEach((s, i) => {
      if (!s.skill.trim()) errs[`agent.skills.${i}.skill`] = t("errors.field.required");
    });
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    const agent = {
      tier: Number(tier),
      group_ids: groupIds,
      skills: skills.map((s) => ({ skill: s.skill.trim(), level: s.level })),
      languages,
      capacity: Number(capacity),
    };
    const body = user
      ? { name: name.trim(), role, disabled, agent, ...(password ? { password } : {}) }
      : { email: email.trim(), name: name.trim(), role, password, agent };
    save.mutate({ id: user?.id, body }, { onSuccess: onDone });
  };

  const setSkill = (i: number, patch: Partial<SkillRow>) =>
    setSkills((rows) => rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <form onSubmit={submit} noValidate className="stack">
      <datalist id="known-skills">
        {knownSkills.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <div className="form-grid">
        <Field label={t("admin.name")} error={fieldError("name")} required>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label={t("auth.email")} error={fieldError("email")} required={!user}>
          {(p) => (
            <input {...p} type="email" value={email} disabled={!!user} onChange={(e) => setEmail(e.target.value)} />
          )}
        </Field>
        <Field label={t("admin.agents.role")} error={fieldError("role")}>
          {(p) => (
            <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {STAFF_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={user ? t("profile.new_password") : t("auth.password")}
          error={fieldError("password")}
          required={!user}
          hint={t("profile.password_hint")}
        >
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <Field label={t("ticket.tier")} error={fieldError("agent.tier")}>
          {(p) => (
            <select {...p} value={tier} onChange={(e) => setTier(e.target.value)}>
              {tiers.map((x) => (
                <option key={x.level} value={x.level}>
                  {x.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={t("admin.agents.capacity")}
          hint={t("admin.agents.capacity_hint")}
          error={fieldError("agent.capacity")}
        >
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              max={1000}
              value={capacity}
              onChange={(e) => setCapacity(e.target.value)}
            />
          )}
        </Field>
      </div>
      <FieldSet legend={t("admin.agents.groups")} error={fieldError("agent.group_ids")}>
        <div className="check-grid">
          {groups.map((g) => (
            <label key={g.id} className="checkbox">
              <input
                type="checkbox"
                checked={groupIds.includes(g.id)}
                onChange={(e) =>
                  setGroupIds((ids) => (e.target.checked ? [...ids, g.id] : ids.filter((x) => x !== g.id)))
                }
              />{" "}
              {g.name} <span className="muted small">({t(`admin.groups.kind_${g.kind}`)})</span>
            </label>
          ))}
        </div>
      </FieldSet>
      <FieldSet legend={t("admin.agents.languages")} error={fieldError("agent.languages")}>
        <div className="radio-row">
          {(["id", "en"] as const).map((l) => (
            <label key={l} className="checkbox">
              <input
                type="checkbox"
                checked={languages.includes(l)}
                onChange={(e) => setLanguages((ls) => (e.target.checked ? [...ls, l] : ls.filter((x) => x !== l)))}
              />{" "}
              {l === "id" ? "Bahasa Indonesia" : "English"}
            </label>
          ))}
        </div>
      </FieldSet>
      <FieldSet legend={t("admin.agents.skills")} error={fieldError("agent.skills")}>
        {skills.map((s, i) => (
          <div key={i} className="inline-row">
            <Field label={t("admin.agents.skill_n", { n: i + 1 })} error={fieldError(`agent.skills.${i}.skill`)}>
              {(p) => (
                <input
                  {...p}
                  list="known-skills"
                  value={s.skill}
                  onChange={(e) => setSkill(i, { skill: e.target.value })}
                />
              )}
            </Field>
            <Field label={t("admin.agents.skill_level_n", { n: i + 1 })}>
              {(p) => (
                <select {...p} value={s.level} onChange={(e) => setSkill(i, { level: Number(e.target.value) })}>
                  {[1, 2, 3, 4, 5].map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button
              type="button"
              className="button small"
              onClick={() => setSkills((rows) => rows.filter((_, j) => j !== i))}
              aria-label={t("admin.agents.remove_skill", { n: i + 1 })}
            >
              {t("admin.remove")}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button small"
          onClick={() => setSkills((rows) => [...rows, { skill: "", level: 1 }])}
        >
          {t("admin.agents.add_skill")}
        </button>
      </FieldSet>
      {user && (
        <label className="checkbox">
          <input type="checkbox" checked={disabled} onChange={(e) => setDisabled(e.target.checked)} />{" "}
          {t("admin.agents.disable")}
        </label>
      )}
      <FormError
        error={save.error}
        shownPaths={[
          "name",
          "email",
          "role",
          "password",
          "agent.tier",
          "agent.capacity",
          "agent.group_ids",
          "agent.languages",
          "agent.skills",
          ...skills.map((_, i) => `agent.skills.${i}.skill`),
        ]}
      />
      <FormButtons pending={save.isPending} onCancel={onDone} />
    </form>
  );
}
