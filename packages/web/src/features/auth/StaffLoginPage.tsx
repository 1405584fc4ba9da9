import { useTranslation } from "react-i18next";
import { useLocation, useNavigate } from "react-router";
import { LanguageSwitch } from "./LanguageSwitch.tsx";
import { LoginForm } from "./LoginForm.tsx";

/** The agents' sign-in; customers who land here are sent on to the portal. */
export function StaffLoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  return (
    <div className="auth-page">
      <main className="auth-card" aria-labelledby="login-title">
        <div className="auth-brand">
          <span className="logo" aria-hidden="true">
            E
          </span>
          <span>Eskala</span>
          <LanguageSwitch />
        </div>
        <h1 id="login-title">{t("auth.staff_title")}</h1>
        <p className="muted">{t("auth.staff_intro")}</p>
        <LoginForm
          onSignedIn={(user) => {
            if (user.role === "customer") navigate("/portal", { replace: true });
            else if (!pathname.startsWith("/app/") || pathname === "/app/login")
              navigate("/app/tickets?queue=mine", { replace: true });
          }}
        />
        <p className="muted small">
          {t("auth.customer_hint")} <a href="/portal">{t("auth.portal_link")}</a>
        </p>
      </main>
    </div>
  );
}
