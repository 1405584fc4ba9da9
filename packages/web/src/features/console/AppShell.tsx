import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link, NavLink, Outlet, useLocation, useNavigate, useSearchParams } from "react-router";
import { useLiveUpdates, usePollInterval } from "../../lib/live.ts";
import { QUEUE_KEYS, type User } from "../../lib/types.ts";
import { Loading } from "../../ui/Notice.tsx";
import { LanguageSwitch } from "../auth/LanguageSwitch.tsx";
import { PresenceSelect } from "../auth/PresenceSelect.tsx";
import { canSupervise, isAdmin, useLogout } from "../auth/session.ts";
import { NotificationsBell } from "../notifications/NotificationsBell.tsx";
import { ConnectionBanner } from "./ConnectionBanner.tsx";
import { SavedViewsNav } from "../macros/SavedViews.tsx";
import { useQueueCounts, type QueueCounts } from "./queues.ts";

const ADMIN_SECTIONS = [
  "tiers",
  "groups",
  "agents",
  "categories",
  "organizations",
  "calendars",
  "sla",
  "rules",
  "webhooks",
  "integrations",
  "kb",
  "mail-templates",
  "mailboxes",
  "whatsapp",
  "tokens",
  "audit",
] as const;

/** Sections whose names live in their feature's own sentences. */
const ADMIN_LABELS: Partial<Record<(typeof ADMIN_SECTIONS)[number], string>> = {
  organizations: "adminScreens.nav.organizations",
  integrations: "adminScreens.nav.integrations",
  kb: "kbAdmin.nav.kb",
  "mail-templates": "kbAdmin.nav.templates",
  mailboxes: "mailboxes.nav",
  whatsapp: "whatsapp.admin.title",
};

/** A queue's total beside its name in the navigation, read out as a sentence. */
function QueueCount({ counts, queue }: { counts: QueueCounts | undefined; queue: keyof QueueCounts }) {
  const { t } = useTranslation();
  if (!counts) return null;
  return (
    <>
      <span className="nav-count" aria-hidden="true">
        {counts[queue]}
      </span>
      <span className="sr-only"> · {t("console.count", { count: counts[queue] })}</span>
    </>
  );
}

/** The agents' frame: header (language, presence, notifications, sign out), left navigation, content. */
export function AppShell({ user }: { user: User }) {
  const { t } = useTranslation();
  const logout = useLogout();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [params] = useSearchParams();
  useLiveUpdates(true);
  const currentQueue = pathname.startsWith("/app/tickets") ? (params.get("queue") ?? "mine") : null;
  const counts = useQueueCounts(usePollInterval(30_000)).data;

  return (
    <div className="app">
      <a href="#main" className="skip-link">
        {t("common.skip_to_content")}
      </a>
      <header className="app-header">
        <NavLink to="/app/tickets?queue=mine" className="brand">
          <span className="logo" aria-hidden="true">
            E
          </span>
          Eskala
        </NavLink>
        <div className="header-right">
          <NotificationsBell />
          <PresenceSelect />
          <LanguageSwitch />
          <span className="user-name" title={user.email}>
            {user.name}
            <span className="muted small"> · {t(`role.${user.role}`)}</span>
          </span>
          <button
            type="button"
            className="button small"
            onClick={() => logout.mutate(undefined, { onSettled: () => navigate("/", { replace: true }) })}
          >
            {t("auth.sign_out")}
          </button>
        </div>
      </header>
      <ConnectionBanner />
      <div className="app-body">
        <nav className="app-nav" aria-label={t("nav.main")}>
          <h2 className="nav-heading">{t("nav.queues")}</h2>
          <ul>
            {QUEUE_KEYS.map((q) => (
              <li key={q}>
                <Link
                  to={`/app/tickets?queue=${q}`}
                  className={currentQueue === q ? "active" : ""}
                  aria-current={currentQueue === q ? "page" : undefined}
                >
                  {t(`queues.${q}`)}
                  <QueueCount counts={counts} queue={q} />
                </Link>
              </li>
            ))}
            <li>
              <Link
                to="/app/tickets?queue=all"
                className={currentQueue === "all" ? "active" : ""}
                aria-current={currentQueue === "all" ? "page" : undefined}
              >
                {t("queues.all")}
                <QueueCount counts={counts} queue="all" />
              </Link>
            </li>
          </ul>
          <SavedViewsNav />
          <ul>
            <li>
              <NavLink to="/app/problems">{t("problems.nav")}</NavLink>
            </li>
          </ul>
          {canSupervise(user) && (
            <>
              <h2 className="nav-heading">{t("nav.supervise")}</h2>
              <ul>
                <li>
                  <NavLink to="/app/board">{t("nav.board")}</NavLink>
                </li>
                <li>
                  <NavLink to="/app/review">{t("review.nav")}</NavLink>
                </li>
              </ul>
            </>
          )}
          {isAdmin(user) && (
            <>
              <h2 className="nav-heading">{t("nav.admin")}</h2>
              <ul>
                {ADMIN_SECTIONS.map((s) => (
                  <li key={s}>
                    <NavLink to={`/app/admin/${s}`}>{t(ADMIN_LABELS[s] ?? `admin.nav.${s}`)}</NavLink>
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2 className="nav-heading">{t("nav.account")}</h2>
          <ul>
            {!canSupervise(user) && (
              <li>
                <NavLink to="/app/review">{t("review.nav_own")}</NavLink>
              </li>
            )}
            <li>
              <NavLink to="/app/profile">{t("nav.profile")}</NavLink>
            </li>
          </ul>
        </nav>
        <main id="main" className="app-main" tabIndex={-1}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}
