import { DigestSettings, Problem, UpdateDigestSettingsBody } from "@eskala/contracts";
import { requireRole } from "../auth/actor.ts";
import type { Api, Services } from "../http/context.ts";
import { loadDigestSchedule, nextDigestAt, saveDigestSchedule, scheduleDigest } from "./digest-schedule.ts";

const errors = { 400: Problem, 401: Problem, 403: Problem, 422: Problem };

/** The weekly review digest's schedule: supervisors read it, admins change it (the next timer moves with it). */
export function digestRoutes(api: Api, s: Services): void {
  const tags = ["reports"];
  const present = async (db: Parameters<typeof loadDigestSchedule>[0]): Promise<DigestSettings> => {
    const next = await nextDigestAt(db);
    return { ...(await loadDigestSchedule(db)), next_at: next ? next.toISOString() : null };
  };
  api.get(
    "/api/v1/settings/review-digest",
    {
      schema: {
        tags,
        summary: "When the weekly review digest is emailed to supervisors and admins",
        response: { 200: DigestSettings, ...errors },
      },
    },
    async (req) => {
      requireRole(req.actor, "supervisor");
      return present(s.database.db);
    },
  );
  api.patch(
    "/api/v1/settings/review-digest",
    {
      schema: {
        tags,
        summary: "Change the digest's day, hour, zone or turn it off (admins); the next digest is rescheduled",
        body: UpdateDigestSettingsBody,
        response: { 200: DigestSettings, ...errors },
      },
    },
    async (req) => {
      requireRole(req.actor, "admin");
      return s.database.db.transaction().execute(async (trx) => {
        const current = await loadDigestSchedule(trx);
        await saveDigestSchedule(trx, { ...current, ...req.body });
        await scheduleDigest(trx, s.clock.now());
        return present(trx);
      });
    },
  );
}
