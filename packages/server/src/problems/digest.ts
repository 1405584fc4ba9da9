import type { Kysely, Transaction } from "kysely";
import type { Config } from "../config.ts";
import type { DB } from "../db/schema.ts";
import { SYSTEM_ACTOR } from "../auth/actor.ts";
import { enqueue, type EmailPayload } from "../outbox/outbox.ts";
import { escapeHtml } from "../channels/mail/outbound.ts";
import type { TimerHandler } from "../engine/timers.ts";
import { loadReportCalendar, localToday, periodOf, previousPeriod, type ReportScope } from "../reports/report-query.ts";
import { escalationRate, slaAttainment } from "../reports/reports.service.ts";
import { recurringProblems } from "../reports/recurring.ts";
import { trainingNeeds } from "../reports/training.ts";
import { digestText, type DigestFigures } from "./digest-text.ts";
import { loadDigestSchedule, scheduleDigest } from "./digest-schedule.ts";

const DAY_MS = 86_400_000;
const TOP = 5;

/**
 * The report functions read through a Kysely instance and some open their own transaction; the
 * digest is written in the timer's transaction (the embedded database has one connection), so
 * they get that transaction, whose `transaction()` runs its callback in place.
 */
function asDatabase(trx: Transaction<DB>): Kysely<DB> {
  return new Proxy(trx, {
    get(target, prop) {
      if (prop === "transaction") return () => ({ execute: <T>(fn: (t: Transaction<DB>) => Promise<T>) => fn(target) });
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as unknown as Kysely<DB>;
}

/** The week's figures: the 7 local days before the digest's day, against the 7 before them. */
export async function digestFigures(trx: Transaction<DB>, now: Date, timeZone: string): Promise<DigestFigures> {
  const db = asDatabase(trx);
  const calendar = { ...(await loadReportCalendar(trx)), timeZone };
  const today = Date.parse(`${localToday(timeZone, now)}T00:00:00Z`);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const period = periodOf(day(today - 7 * DAY_MS), day(today - DAY_MS), timeZone);
  const scope: ReportScope = { period, filters: {}, calendar, actor: SYSTEM_ACTOR };
  const [rate, before, sla, recurring, training] = [
    await escalationRate(db, scope, undefined),
    await escalationRate(db, { ...scope, period: previousPeriod(period) }, undefined),
    await slaAttainment(db, scope),
    await recurringProblems(db, scope, { minTickets: 2, limit: TOP }),
    await trainingNeeds(db, scope, { show: "standing_out", limit: TOP }),
  ];
  const sum = (k: "achieved" | "breached" | "open") => sla.rows.reduce((n, r) => n + r[k], 0);
  const problems = await trx
    .selectFrom("problems as p")
    .select([
      "p.number",
      "p.title",
      "p.status",
      (eb) =>
        eb
          .selectFrom("problem_tickets as l")
          .innerJoin("tickets as t", "t.id", "l.ticket_id")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("l.problem_id", "=", "p.id")
          .where("t.status", "in", ["new", "open", "pending", "on_hold"])
          .as("open_tickets"),
    ])
    .where("p.status", "!=", "fixed")
    .orderBy("p.number", "desc")
    .limit(10)
    .execute();
  return {
    from: period.from,
    to: period.to,
    rate: rate.total,
    previousRate: before.total,
    sla: { achieved: sum("achieved"), breached: sum("breached"), open: sum("open") },
    recurring: recurring.groups.map((g) => ({ label: g.label, tickets: g.tickets, escalations: g.escalations })),
    training: training.rows.map((r) => ({
      agent: r.agent.name,
      category: r.category.name,
      escalations: r.escalations,
      tickets: r.tickets,
    })),
    problems: problems.map((p) => ({
      number: Number(p.number),
      title: p.title,
      status: p.status,
      openTickets: Number(p.open_tickets ?? 0),
    })),
  };
}

/**
 * Fires the weekly digest: each supervisor and admin gets one email in their language through
 * the outbox (keyed by week and person), and the next week's timer is armed, all in the timer's
 * transaction. The timer's key (unique, fired once) is what makes it once with any number of workers.
 */
export function digestHandler(config: Pick<Config, "ESKALA_MAIL_DOMAIN" | "ESKALA_PUBLIC_URL" | "PORT">): TimerHandler {
  return async (trx, timer, now) => {
    const schedule = await loadDigestSchedule(trx);
    await scheduleDigest(trx, now, timer.key);
    if (!schedule.enabled) return;
    const recipients = await trx
      .selectFrom("users")
      .select(["id", "email", "name", "language"])
      .where("role", "in", ["supervisor", "admin"])
      .where("disabled", "=", false)
      .orderBy("id")
      .execute();
    if (recipients.length === 0) return;
    const figures = await digestFigures(trx, now, schedule.time_zone);
    const base = (config.ESKALA_PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, "");
    const week = timer.key.replace(/^digest:/, "");
    await enqueue(
      trx,
      recipients.map((u) => ({
        kind: "email" as const,
        key: `${timer.key}:${u.id}`,
        payload: digestEmail(u.email, `Eskala <support@${config.ESKALA_MAIL_DOMAIN}>`, u.language, figures, {
          name: u.name,
          reviewUrl: `${base}/app/review`,
          week,
        }),
      })),
      now,
    );
  };
}

function digestEmail(
  to: string,
  from: string,
  lang: "id" | "en",
  figures: DigestFigures,
  vars: { name: string; reviewUrl: string; week: string },
): EmailPayload {
  const { subject, lines } = digestText(lang, figures, vars);
  const text = lines.join("\n");
  const html =
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    `<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#1f2933">` +
    text
      .split(/\n{2,}/)
      .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
      .join("\n") +
    `</body></html>`;
  return {
    to,
    from,
    subject,
    text,
    html,
    headers: { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" },
    template: "review.weekly_digest",
    language: lang,
  };
}
