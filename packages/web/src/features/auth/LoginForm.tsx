import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Field } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { ApiError } from "../../lib/api.ts";
import { Notice } from "../../ui/Notice.tsx";
import type { User } from "../../lib/types.ts";
import { useLogin } from "./session.ts";

/** Email and password sign-in, shared by the agents' app and the portal. */
export function LoginForm({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const { t } = useTranslation();
  const login = useLogin();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(login.error, clientErrors);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!email.trim()) errs.email = t("errors.field.required");
    if (!password) errs.password = t("errors.field.required");
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    login.mutate({ email: email.trim(), password }, { onSuccess: (s) => onSignedIn(s.user) });
  };

  const badCredentials = login.error instanceof ApiError && login.error.status === 401;
  return (
    <form onSubmit={submit} noValidate className="stack">
      <Field label={t("auth.email")} error={fieldError("email")} required>
        {(p) => (
          <input {...p} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} />
        )}
      </Field>
      <Field label={t("auth.password")} error={fieldError("password")} required>
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      {badCredentials ? (
        <Notice kind="error">{t("auth.bad_credentials")}</Notice>
      ) : (
        <FormError error={login.error} shownPaths={["email", "password"]} />
      )}
      <button type="submit" className="button primary" disabled={login.isPending}>
        {login.isPending ? t("auth.signing_in") : t("auth.sign_in")}
      </button>
    </form>
  );
}
