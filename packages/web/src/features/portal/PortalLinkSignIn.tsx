import { useEffect, useRef } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { ApiError, api, setCsrfToken } from "../../lib/api.ts";
import type { Session } from "../../lib/types.ts";
import { ErrorNote, Loading, Notice } from "../../ui/Notice.tsx";
import { SESSION_KEY } from "../auth/session.ts";

/** Opens the emailed sign-in link (/portal/login/link?token=…): signs in once and lands on my requests. */
export function PortalLinkSignIn() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const navigate = useNavigate();
  const qc = useQueryClient();
  const redeem = useMutation({
    mutationFn: () => api.post<Session>("/auth/magic-link/redeem", { token }),
    onSuccess: (session) => {
      setCsrfToken(session.csrf_token);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
      qc.setQueryData(SESSION_KEY, session);
      void navigate("/portal", { replace: true });
    },
  });
  // A link works once: redeem it once even if the effect runs twice.
  const started = useRef(false);
  useEffect(() => {
    if (started.current || !token) return;
    started.current = true;
    redeem.mutate();
  }, [token, redeem]);

  const status = redeem.error instanceof ApiError ? redeem.error.status : token ? null : 404;
  if (status === 410 || status === 404 || status === 400 || status === 422)
    return (
      <section className="card">
        <h1>{t("portal.link_failed_title")}</h1>
        <Notice kind="warning">{t(status === 410 ? "portal.link_used_or_expired" : "portal.link_invalid")}</Notice>
        <Link to="/portal/login" className="button">
          {t("portal.link_ask_again")}
        </Link>
      </section>
    );
  if (redeem.error) return <ErrorNote error={redeem.error} />;
  return <Loading label={t("portal.link_signing_in")} />;
}
