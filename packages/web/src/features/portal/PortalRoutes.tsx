import { useTranslation } from "react-i18next";
import { Link, NavLink, Navigate, Route, Routes, useNavigate } from "react-router";
import { useLiveUpdates } from "../../lib/live.ts";
import type { User } from "../../lib/types.ts";
import { ErrorNote, Loading } from "../../ui/Notice.tsx";
import { LanguageSwitch } from "../auth/LanguageSwitch.tsx";
import { isStaff, useLogout, useSession } from "../auth/session.ts";
import { ConnectionBanner } from "../console/ConnectionBanner.tsx";
import { MyTickets } from "./MyTickets.tsx";
import { NewTicket } from "./NewTicket.tsx";
import { PortalLinkSignIn } from "./PortalLinkSignIn.tsx";
import { PortalLogin } from "./PortalLogin.tsx";
import { PortalTicket } from "./PortalTicket.tsx";
import { SurveyPage } from "./SurveyPage.tsx";

/** The customer portal under /portal: sign in, my tickets, a new request, one ticket. */
export function PortalRoutes() {
  const { user, isLoading, error } = useSession();
  if (isLoading) return <Loading />;
  if (error && !user) return <ErrorNote error={error} />;
  return (
    <Routes>
      <Route
        path="login"
        element={
          user ? (
            <Navigate to="/portal" replace />
          ) : (
            <PortalFrame user={null}>
              <PortalLogin />
            </PortalFrame>
          )
        }
      />
      {/* The emailed links work signed out: a sign-in link, and the survey of the solved email. */}
      <Route
        path="login/link"
        element={
          <PortalFrame user={null}>
            <PortalLinkSignIn />
          </PortalFrame>
        }
      />
      <Route
        path="survey/:token"
        element={
          <PortalFrame user={user}>
            <SurveyPage signedIn={!!user} />
          </PortalFrame>
        }
      />
      <Route path="*" element={user ? <SignedIn user={user} /> : <Navigate to="/portal/login" replace />} />
    </Routes>
  );
}

function SignedIn({ user }: { user: User }) {
  useLiveUpdates(true);
  return (
    <PortalFrame user={user}>
      <Routes>
        <Route index element={<MyTickets />} />
        <Route path="new" element={<NewTicket />} />
        <Route path="tickets/:ticketId" element={<PortalTicket />} />
        <Route path="*" element={<Navigate to="/portal" replace />} />
      </Routes>
    </PortalFrame>
  );
}

function PortalFrame({ user, children }: { user: User | null; children: React.ReactNode }) {
  const { t } = useTranslation();
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <div className="portal">
      <a href="#main" className="skip-link">
        {t("common.skip_to_content")}
      </a>
      <header className="portal-header">
        <Link to="/portal" className="brand">
          <span className="logo" aria-hidden="true">
            E
          </span>
          {t("portal.brand")}
        </Link>
        {user && (
          <nav aria-label={t("nav.main")} className="portal-nav">
            <NavLink to="/portal" end>
              {t("portal.my_tickets")}
            </NavLink>
            <NavLink to="/portal/new">{t("portal.new_ticket")}</NavLink>
            {isStaff(user) && <NavLink to="/app/tickets?queue=mine">{t("portal.to_console")}</NavLink>}
          </nav>
        )}
        <div className="header-right">
          <LanguageSwitch />
          {user && (
            <>
              <span className="user-name">{user.name}</span>
              <button
                type="button"
                className="button small"
                onClick={() =>
                  logout.mutate(undefined, { onSettled: () => navigate("/portal/login", { replace: true }) })
                }
              >
                {t("auth.sign_out")}
              </button>
            </>
          )}
        </div>
      </header>
      <ConnectionBanner />
      <main id="main" className="portal-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
