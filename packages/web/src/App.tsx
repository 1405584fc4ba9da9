import { Suspense, lazy, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, RouterProvider, createBrowserRouter, useLocation } from "react-router";
import { ErrorNote, Loading } from "./ui/Notice.tsx";
import { ProfilePage } from "./features/auth/ProfilePage.tsx";
import { StaffLoginPage } from "./features/auth/StaffLoginPage.tsx";
import { canSupervise, isAdmin, isStaff, useSession } from "./features/auth/session.ts";
import { AppShell } from "./features/console/AppShell.tsx";
import { ConsolePage } from "./features/console/ConsolePage.tsx";
import { ProblemDetailPage } from "./features/problems/ProblemDetailPage.tsx";
import { ProblemsPage } from "./features/problems/ProblemsPage.tsx";
import type { User } from "./lib/types.ts";

// Admin screens are for a few people and change rarely: keep them out of the console's first load.
const AdminRoutes = lazy(() => import("./features/admin/AdminRoutes.tsx").then((m) => ({ default: m.AdminRoutes })));
// The board is for supervisors and the portal for customers: neither belongs in an agent's first load.
const BoardPage = lazy(() => import("./features/board/BoardPage.tsx").then((m) => ({ default: m.BoardPage })));
// The escalation review draws charts (Chart.js): its chunk loads only when someone opens it.
const ReviewPage = lazy(() => import("./features/review/ReviewPage.tsx").then((m) => ({ default: m.ReviewPage })));
const PortalRoutes = lazy(() =>
  import("./features/portal/PortalRoutes.tsx").then((m) => ({ default: m.PortalRoutes })),
);

/** Staff-only screens: the sign-in form when signed out, the portal for customers. */
function Staff({ children }: { children: (user: User) => ReactNode }) {
  const { user, isLoading, error } = useSession();
  if (isLoading) return <Loading />;
  if (error && !user) return <ErrorNote error={error} />;
  if (!user) return <StaffLoginPage />;
  if (!isStaff(user)) return <Navigate to="/portal" replace />;
  return <>{children(user)}</>;
}

function Home() {
  const { user, isLoading } = useSession();
  if (isLoading) return <Loading />;
  if (!user) return <StaffLoginPage />;
  return <Navigate to={isStaff(user) ? "/app/tickets?queue=mine" : "/portal"} replace />;
}

function Forbidden() {
  const { t } = useTranslation();
  return <p className="page">{t("errors.code.forbidden")}</p>;
}

function NotFound() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <main className="page">
      <h1>{t("errors.page_not_found")}</h1>
      <p className="muted">{pathname}</p>
      <a href="/">{t("errors.go_home")}</a>
    </main>
  );
}

const router = createBrowserRouter([
  { path: "/", element: <Home /> },
  { path: "/app/login", element: <Home /> },
  {
    path: "/app",
    element: <Staff>{(user) => <AppShell user={user} />}</Staff>,
    children: [
      { index: true, element: <Navigate to="/app/tickets?queue=mine" replace /> },
      { path: "tickets", element: <Staff>{(user) => <ConsolePage user={user} />}</Staff> },
      { path: "tickets/:ticketId", element: <Staff>{(user) => <ConsolePage user={user} />}</Staff> },
      { path: "problems", element: <Staff>{(user) => <ProblemsPage user={user} />}</Staff> },
      { path: "problems/:problemId", element: <Staff>{(user) => <ProblemDetailPage user={user} />}</Staff> },
      { path: "board", element: <Staff>{(user) => (canSupervise(user) ? <BoardPage /> : <Forbidden />)}</Staff> },
      { path: "review", element: <Staff>{(user) => <ReviewPage user={user} />}</Staff> },
      { path: "admin/*", element: <Staff>{(user) => (isAdmin(user) ? <AdminRoutes /> : <Forbidden />)}</Staff> },
      { path: "profile", element: <Staff>{(user) => <ProfilePage user={user} />}</Staff> },
      { path: "*", element: <NotFound /> },
    ],
  },
  {
    path: "/portal/*",
    element: (
      <Suspense fallback={<Loading />}>
        <PortalRoutes />
      </Suspense>
    ),
  },
  { path: "*", element: <NotFound /> },
]);

export function App() {
  return <RouterProvider router={router} />;
}
