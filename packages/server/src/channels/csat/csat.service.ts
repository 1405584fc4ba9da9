import type { Kysely, Selectable, Transaction } from "kysely";
import type { RateBody } from "@eskala/contracts";
import type { Actor } from "../../auth/actor.ts";
import type { Config } from "../../config.ts";
import type { DB, TicketRow } from "../../db/schema.ts";
import type { CsatSurveysTable } from "../../db/schema-channels.ts";
import { AppError, forbidden, notFound } from "../../lib/app-error.ts";
import { assertVisible } from "../../tickets/ticket-access.ts";
import type { Executor, TimelineEvent } from "../../tickets/ticket-events.ts";
import { loadSecret, publicBaseUrl } from "../settings.ts";
import { SURVEY_TTL_MS, signSurveyToken, verifySurveyToken } from "./survey-token.ts";

/** A rating at or below this raises `csat.low` for the rules. */
export const LOW_RATING = 2;

type SurveyRow = Selectable<CsatSurveysTable>;

/** Records timeline events and runs the ticket hooks (rules) in the caller's transaction: `app.events.record`. */
export type RecordTicketEvents = (
  actor: Actor,
  ticketId: string,
  events: Omit<TimelineEvent, "ticketId">[],
  now: Date,
  opts: { trx: Transaction<DB> },
) => Promise<unknown>;

/** A survey and its signed link, created in the solve's own transaction (one per solve). */
export async function createSurvey(
  trx: Executor,
  ticket: Pick<TicketRow, "id" | "requester_id" | "solved_at" | "solved_tier" | "escalation_count">,
  now: Date,
  config: Pick<Config, "ESKALA_SECRET" | "ESKALA_PUBLIC_URL" | "PORT">,
): Promise<{ id: string; token: string; url: string }> {
  const expiresAt = new Date(now.getTime() + SURVEY_TTL_MS);
  const row = await trx
    .insertInto("csat_surveys")
    .values({
      ticket_id: ticket.id,
      requester_id: ticket.requester_id,
      solved_at: ticket.solved_at ?? now,
      solved_tier: ticket.solved_tier,
      escalated: ticket.escalation_count > 0,
      expires_at: expiresAt,
      rating: null,
      comment: null,
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const token = signSurveyToken(row.id, expiresAt, await loadSecret(trx, config));
  return { id: row.id, token, url: `${publicBaseUrl(config)}/portal/survey/${token}` };
}

export type RateOutcome = { ok: true; survey: SurveyRow } | { ok: false; reason: "expired" };

export type CsatService = ReturnType<typeof createCsatService>;

export function createCsatService(deps: { db: Kysely<DB>; config: Config; recordEvents: RecordTicketEvents }) {
  const { db, config } = deps;

  /** The survey a link names; `expired` is an outcome, a tampered or unknown link is a 404. */
  async function fromToken(
    token: string,
    now: Date,
  ): Promise<{ ok: true; survey: SurveyRow } | { ok: false; reason: "expired" }> {
    const check = verifySurveyToken(token, await loadSecret(db, config), now);
    if (!check.ok) {
      if (check.reason === "expired") return { ok: false, reason: "expired" };
      throw notFound("survey");
    }
    const survey = await db.selectFrom("csat_surveys").selectAll().where("id", "=", check.surveyId).executeTakeFirst();
    if (!survey) throw notFound("survey");
    return { ok: true, survey };
  }

  async function view(token: string, now: Date) {
    const found = await fromToken(token, now);
    if (!found.ok) return found;
    const t = await db
      .selectFrom("tickets")
      .select(["number", "subject", "status", "language"])
      .where("id", "=", found.survey.ticket_id)
      .executeTakeFirstOrThrow();
    const s = found.survey;
    return {
      ok: true as const,
      view: {
        ticket: { number: t.number, subject: t.subject, status: t.status },
        language: t.language,
        expires_at: s.expires_at.toISOString(),
        rating: s.rating,
        comment: s.comment,
        rated_at: s.rated_at?.toISOString() ?? null,
      },
    };
  }

  /** Rates one survey once; a second rating of the same solve is a 409. */
  async function rate(surveyId: string, body: RateBody, now: Date): Promise<RateOutcome> {
    return db.transaction().execute(async (trx) => {
      const s = await trx
        .selectFrom("csat_surveys")
        .selectAll()
        .where("id", "=", surveyId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (s.rated_at)
        throw new AppError("conflict", "This solve has already been rated", [
          { path: ["rating"], message: "already rated" },
        ]);
      if (s.expires_at <= now) return { ok: false as const, reason: "expired" as const };
      const survey = await trx
        .updateTable("csat_surveys")
        .set({ rating: body.rating, comment: body.comment ?? null, rated_at: now })
        .where("id", "=", surveyId)
        .returningAll()
        .executeTakeFirstOrThrow();
      const actor = await requesterActor(trx, s.requester_id);
      const data = { survey_id: s.id, rating: body.rating, solved_tier: s.solved_tier, escalated: s.escalated };
      const events: Omit<TimelineEvent, "ticketId">[] = [
        { type: "csat.rated", at: now, data: { ...data, has_comment: Boolean(body.comment) } },
      ];
      if (body.rating <= LOW_RATING)
        events.push({ type: "csat.low", at: now, data: { ...data, comment: body.comment ?? null } });
      // Through the ticket event service, so the rules see csat.low in this same transaction.
      await deps.recordEvents(actor, s.ticket_id, events, now, { trx });
      return { ok: true as const, survey };
    });
  }

  return {
    view,
    async rateByToken(token: string, body: RateBody, now: Date): Promise<RateOutcome> {
      const found = await fromToken(token, now);
      return found.ok ? rate(found.survey.id, body, now) : found;
    },

    /** The requester rates the latest solve of their ticket (portal). */
    async rateLatest(actor: Actor, ticketId: string, body: RateBody, now: Date): Promise<RateOutcome> {
      const ticket = assertVisible(
        actor,
        await db
          .selectFrom("tickets")
          .select(["requester_id", "organization_id"])
          .where("id", "=", ticketId)
          .executeTakeFirst(),
      );
      if (actor.role !== "customer" || ticket.requester_id !== actor.userId)
        throw forbidden("Only the requester rates a ticket");
      const latest = await db
        .selectFrom("csat_surveys")
        .select("id")
        .where("ticket_id", "=", ticketId)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .executeTakeFirst();
      if (!latest) throw new AppError("conflict", "The ticket has not been solved: there is nothing to rate yet");
      return rate(latest.id, body, now);
    },

    /** A ticket's surveys, newest first: for staff, and for the requester (who sees what they gave). */
    async list(actor: Actor, ticketId: string) {
      const ticket = assertVisible(
        actor,
        await db
          .selectFrom("tickets")
          .select(["requester_id", "organization_id"])
          .where("id", "=", ticketId)
          .executeTakeFirst(),
      );
      if (actor.role === "customer" && ticket.requester_id !== actor.userId)
        throw forbidden("Only the requester sees the ratings of a ticket");
      const rows = await db
        .selectFrom("csat_surveys")
        .selectAll()
        .where("ticket_id", "=", ticketId)
        .orderBy("created_at", "desc")
        .execute();
      return rows.map(presentSurvey);
    },
  };

  async function requesterActor(trx: Executor, userId: string): Promise<Actor> {
    // The link itself is the credential; the event is the requester's.
    const u = await trx
      .selectFrom("users")
      .select(["id", "name", "email", "language", "organization_id"])
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();
    return {
      userId: u.id,
      role: "customer",
      name: u.name,
      email: u.email,
      language: u.language,
      organizationId: u.organization_id,
      orgShared: false,
      tier: null,
      groupIds: [],
      supervisedGroupIds: [],
      via: "token",
    };
  }
}

export function presentSurvey(s: SurveyRow) {
  return {
    id: s.id,
    ticket_id: s.ticket_id,
    solved_at: s.solved_at.toISOString(),
    solved_tier: s.solved_tier,
    escalated: s.escalated,
    expires_at: s.expires_at.toISOString(),
    rating: s.rating,
    comment: s.comment,
    rated_at: s.rated_at?.toISOString() ?? null,
    created_at: s.created_at.toISOString(),
  };
}
