import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Field } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { Notice } from "../../ui/Notice.tsx";
import { changeLanguage } from "../../lib/i18n.ts";
import type { Language, Presence, User } from "../../lib/types.ts";
import { useUpdateMe } from "./session.ts";

/** The signed-in person's own name, language, presence and password. */
export function ProfilePage({ user }: { user: User }) {
  const { t } = useTranslation();
  const update = useUpdateMe();
  const [name, setName] = useState(user.name);
  const [language, setLanguage] = useState<Language>(user.language);
  const [presence, setPresence] = useState<Presence>(user.agent?.presence ?? "offline");
  const [password, setPassword] = useState("");
  const [current, setCurrent] = useState("");
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(update.error, clientErrors);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!name.trim()) errs.name = t("errors.field.required");
    if (password && password.length < 10) errs.password = t("errors.field.min_length", { n: 10 });
    if (password && !current) errs.current_password = t("errors.field.required");
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    update.mutate(
      {
        name: name.trim(),
        language,
        ...(user.agent ? { presence } : {}),
        ...(password ? { password, current_password: current } : {}),
      } as Parameters<typeof update.mutate>[0],
      {
        onSuccess: () => {
          void changeLanguage(language);
          setPassword("");
          setCurrent("");
        },
      },
    );
  };

  return (
    <div className="page narrow">
      <h1>{t("profile.title")}</h1>
      <form onSubmit={submit} noValidate className="stack card">
        <Field label={t("profile.name")} error={fieldError("name")} required>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />}
        </Field>
        <p className="muted">{user.email}</p>
        <Field label={t("header.language")} error={fieldError("language")}>
          {(p) => (
            <select {...p} value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
              <option value="id">Bahasa Indonesia</option>
              <option value="en">English</option>
            </select>
          )}
        </Field>
        {user.agent && (
          <Field label={t("header.presence")} error={fieldError("presence")}>
            {(p) => (
              <select {...p} value={presence} onChange={(e) => setPresence(e.target.value as Presence)}>
                {(["online", "away", "offline"] as const).map((x) => (
                  <option key={x} value={x}>
                    {t(`presence.${x}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label={t("profile.new_password")} hint={t("profile.password_hint")} error={fieldError("password")}>
          {(p) => (
            <input
              {...p}
              type="password"
              value={password}
              autoComplete="new-password"
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        {password && (
          <Field label={t("profile.current_password")} error={fieldError("current_password")} required>
            {(p) => (
              <input
                {...p}
                type="password"
                value={current}
                autoComplete="current-password"
                onChange={(e) => setCurrent(e.target.value)}
              />
            )}
          </Field>
        )}
        <FormError error={update.error} shownPaths={["name", "language", "presence", "password", "current_password"]} />
        {update.isSuccess && (
          <Notice kind="success" live>
            {t("common.saved")}
          </Notice>
        )}
        <button type="submit" className="button primary" disabled={update.isPending}>
          {t("common.save")}
        </button>
      </form>
    </div>
  );
}
