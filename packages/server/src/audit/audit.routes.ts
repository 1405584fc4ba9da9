import { AuditLogPage, AuditLogQuery, Problem } from "@eskala/contracts";
import { requireRole } from "../auth/actor.ts";
import type { Api, Services } from "../http/context.ts";
import { findAuditEntries } from "./audit.repo.ts";
import { presentAuditEntry } from "./audit.presenter.ts";

const errors = { 400: Problem, 401: Problem, 403: Problem, 422: Problem };

/** The audit log of configuration changes, for admins. */
export function auditRoutes(api: Api, s: Services): void {
  api.get(
    "/api/v1/audit-log",
    {
      schema: {
        tags: ["audit"],
        summary: "Who changed which configuration, when, before and after (admins; newest first)",
        querystring: AuditLogQuery,
        response: { 200: AuditLogPage, ...errors },
      },
    },
    async (req) => {
      requireRole(req.actor, "admin");
      const rows = await findAuditEntries(s.database.db, req.query);
      const items = rows.slice(0, req.query.limit);
      return {
        items: items.map(presentAuditEntry),
        next_cursor: rows.length > req.query.limit ? String(items.at(-1)!.id) : null,
      };
    },
  );
}
