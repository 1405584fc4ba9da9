import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { api } from "../../lib/api.ts";
import { Field } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { Notice } from "../../ui/Notice.tsx";
import { LoginForm } from "../auth/LoginForm.tsx";

/** Customer sign-in: a password, or a one-time link by email. */
export function PortalLogin() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <div className="portal-login">
      <section className="card" aria-labelledby="portal-login-title">
        <h1 id="portal-login-title">{t("portal.sign_in_title")}</h1>
        <p className="muted">{t("portal.sign_in_intro")}</p>
        <LoginForm
          onSignedIn={(user) =>
            navigate(user.role === "customer" ? "/portal" : "/app/tickets?queue=mine", { replace: true })
          }
        />
      </section>
      <MagicLink />
    </div>
  );
}

function MagicLink() {
  const { t } = useTranslation();
  const [email, setEmail] = useState("");
  const [clientError, setClientError] = useState<string | undefined>();
  const send = useMutation({ mutationFn: (body: { email: string }) => api.post<void>("/auth/magic-link", body) });
  const fieldError = useFieldErrors(send.error, clientError ? { email: clientError } : {});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
      setClientError(t("errors.field.email"));
      return;
    }
    setClientError(undefined);
    send.mutate({ email: value });
  };

  return (
    <section className="card" aria-labelledby="magic-title">
      <h2 id="magic-title">{t("portal.magic_title")}</h2>
      {send.isSuccess ? (
        <Notice kind="success" live>
          {t("portal.check_email", { email: email.trim() })}
        </Notice>
      ) : (
        <form onSubmit={submit} noValidate className="stack">
          <Field label={t("auth.email")} error={fieldError("email")} required>
            {(p) => (
              <input
                {...p}
                type="email"
                autoComplete="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            )}
          </Field>
          <FormError error={send.error} shownPaths={["email"]} />
          <button type="submit" className="button" disabled={send.isPending}>
            {t("portal.email_me_link")}
          </button>
        </form>
      )}
    </section>
  );
}
