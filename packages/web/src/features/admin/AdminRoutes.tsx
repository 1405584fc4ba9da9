import { Navigate, Route, Routes } from "react-router";
import { AgentsPage } from "./AgentsPage.tsx";
import { AuditLogPage } from "./AuditLogPage.tsx";
import { CalendarsPage } from "./calendars/CalendarsPage.tsx";
import { CategoriesPage } from "./CategoriesPage.tsx";
import { GroupsPage } from "./GroupsPage.tsx";
import { IntegrationsPage } from "./IntegrationsPage.tsx";
import { KbArticlesPage } from "./kb/KbArticlesPage.tsx";
import { MailboxesPage } from "./MailboxesPage.tsx";
import { MailTemplatesPage } from "./kb/MailTemplatesPage.tsx";
import { OrganizationsPage } from "./OrganizationsPage.tsx";
import { RulesPage } from "./rules/RulesPage.tsx";
import { SlaPoliciesPage } from "./sla/SlaPoliciesPage.tsx";
import { TiersPage } from "./TiersPage.tsx";
import { TokensPage } from "./TokensPage.tsx";
import { WebhooksPage } from "./WebhooksPage.tsx";
import { WhatsappTemplatesPage } from "./WhatsappTemplatesPage.tsx";

/** /app/admin/*: loaded on demand (React.lazy) so the console's first load stays small. */
export function AdminRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="tiers" replace />} />
      <Route path="tiers" element={<TiersPage />} />
      <Route path="groups" element={<GroupsPage />} />
      <Route path="agents" element={<AgentsPage />} />
      <Route path="categories" element={<CategoriesPage />} />
      <Route path="organizations" element={<OrganizationsPage />} />
      <Route path="calendars/*" element={<CalendarsPage />} />
      <Route path="sla" element={<SlaPoliciesPage />} />
      <Route path="rules" element={<RulesPage />} />
      <Route path="webhooks" element={<WebhooksPage />} />
      <Route path="integrations" element={<IntegrationsPage />} />
      <Route path="kb" element={<KbArticlesPage />} />
      <Route path="mail-templates" element={<MailTemplatesPage />} />
      <Route path="mailboxes" element={<MailboxesPage />} />
      <Route path="whatsapp" element={<WhatsappTemplatesPage />} />
      <Route path="tokens" element={<TokensPage />} />
      <Route path="audit" element={<AuditLogPage />} />
      <Route path="*" element={<Navigate to="tiers" replace />} />
    </Routes>
  );
}
