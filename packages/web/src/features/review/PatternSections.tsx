import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { PatternTicket, RecurringGroup, RisingRow, TrainingNeedRow } from "@eskala/contracts";
import { formatDate } from "../../lib/time.ts";
import { Empty, ErrorNote } from "../../ui/Notice.tsx";
import { DrillNumber } from "./DrillDown.tsx";
import { useFormats } from "./format.ts";
import { ReportCard } from "./ReportCard.tsx";
import { csvUrl, useMakeProblem, useRecurringProblems, useTrainingNeeds, type ReviewQuery } from "./review-api.ts";

function TicketLinks({ items }: { items: PatternTicket[] }) {
  const { t } = useTranslation();
  return (
    <ul className="plain-list review-tickets">
      {items.map((x) => (
        <li key={x.id}>
          <Link to={`/app/tickets/${x.id}?queue=all`}>
            #{x.number} {x.subject}
          </Link>{" "}
          <span className="muted small">
            · {t("review.recurring.ticket_escalations", { count: x.escalations })} ·{" "}
            {t(`common.languages.${x.language}`, { defaultValue: x.language })}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Group({ group, canAct }: { group: RecurringGroup; canAct: boolean }) {
  const { t, i18n } = useTranslation();
  const f = useFormats();
  const [open, setOpen] = useState(false);
  const make = useMakeProblem();
  const categories = group.categories.map((c) => c.name ?? t("review.none.category")).join(", ");
  return (
    <li>
      <div className="review-list-head">
        <div>
          <h3>{group.label}</h3>
          <p className="small">
            {t("review.recurring.group_summary", {
              tickets: f.count(group.tickets),
              escalations: f.count(group.escalations),
              last: formatDate(group.last_escalated_at, i18n.language),
            })}{" "}
            {categories && <span className="muted">{t("review.recurring.categories", { names: categories })}</span>}
          </p>
        </div>
        <div className="review-list-actions">
          <button type="button" className="button small" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? t("review.recurring.hide_tickets") : t("review.recurring.show_tickets", { count: group.tickets })}
          </button>
          {canAct && !make.data && (
            <button
              type="button"
              className="button small primary"
              disabled={make.isPending}
              onClick={() => make.mutate({ title: group.label, ticket_ids: group.items.map((x) => x.id) })}
            >
              {t("review.recurring.make_problem")}
            </button>
          )}
        </div>
      </div>
      {make.data && (
        <p className="notice notice-success" role="status">
          {t("review.recurring.made", { number: make.data.number, count: make.data.ticket_count })}{" "}
          <Link to={`/app/problems/${make.data.id}`}>{t("review.recurring.open_problem")}</Link>
        </p>
      )}
      <ErrorNote error={make.error} />
      {open && <TicketLinks items={group.items} />}
    </li>
  );
}

/** A rise in words: "12 escalations against 4 in the period before (3 times as many). Likely a real rise." */
function Rising({ row }: { row: RisingRow }) {
  const { t } = useTranslation();
  const f = useFormats();
  const [open, setOpen] = useState(false);
  const name =
    row.kind === "tag" ? t("review.recurring.tag", { tag: row.label }) : (row.label ?? t("review.none.category"));
  return (
    <li>
      <div className="review-list-head">
        <div>
          <h3>{name}</h3>
          <p className="small">
            {row.previous === 0
              ? t("review.recurring.rise_from_none", { count: row.escalations })
              : t("review.recurring.rise", {
                  count: row.escalations,
                  previous: f.count(row.previous),
                  ratio: f.rating(row.ratio),
                })}{" "}
            {t(`review.confidence.rise.${row.confidence}`)}
          </p>
        </div>
        <div className="review-list-actions">
          {row.ticket_filter ? (
            <DrillNumber
              value={row.tickets}
              text={t("review.recurring.show_tickets", { count: row.tickets })}
              title={t("review.recurring.rising_tickets", { name })}
              filter={row.ticket_filter}
            />
          ) : (
            <button type="button" className="button small" aria-expanded={open} onClick={() => setOpen(!open)}>
              {open
                ? t("review.recurring.hide_tickets")
                : t("review.recurring.show_tickets", { count: row.items.length })}
            </button>
          )}
        </div>
      </div>
      {open && <TicketLinks items={row.items} />}
    </li>
  );
}

const FIRST = 5;

/** The first few of a long list, and a button for the rest. */
function ShowAll({ total, shown, onShow }: { total: number; shown: number; onShow: () => void }) {
  const { t } = useTranslation();
  if (shown >= total) return null;
  return (
    <button type="button" className="button small" onClick={onShow}>
      {t("review.recurring.show_all", { count: total })}
    </button>
  );
}

/** Recurring problems: groups of similar tickets that keep escalating, each one click from a problem record. */
export function RecurringSection({ q, canAct }: { q: ReviewQuery; canAct: boolean }) {
  const { t } = useTranslation();
  const report = useRecurringProblems(q);
  const [allGroups, setAllGroups] = useState(false);
  const [allRising, setAllRising] = useState(false);
  const d = report.data;
  const rising = d
    ? [...d.rising.categories, ...d.rising.tags]
        .filter((r) => r.escalations > r.previous)
        .sort((a, b) => (a.p_value ?? 1) - (b.p_value ?? 1) || b.escalations - a.escalations)
    : [];
  const groups = d ? (allGroups ? d.groups : d.groups.slice(0, FIRST)) : [];
  const risingShown = allRising ? rising : rising.slice(0, FIRST);
  return (
    <ReportCard id="recurring" title={t("review.recurring.title")} query={report} csv={csvUrl("recurring", q)} wide>
      {d && (
        <div className="review-split">
          <div>
            <h3 className="review-subtitle">{t("review.recurring.groups")}</h3>
            {d.groups.length === 0 ? (
              <Empty>{t("review.recurring.no_groups")}</Empty>
            ) : (
              <ul className="review-list">
                {groups.map((g) => (
                  <Group key={g.key} group={g} canAct={canAct} />
                ))}
              </ul>
            )}
            <ShowAll total={d.groups.length} shown={groups.length} onShow={() => setAllGroups(true)} />
            <p className="muted small">{t("review.recurring.method", { count: d.method.compared_tickets })}</p>
          </div>
          <div>
            <h3 className="review-subtitle">{t("review.recurring.rising_title")}</h3>
            {rising.length === 0 ? (
              <Empty>{t("review.recurring.no_rising")}</Empty>
            ) : (
              <ul className="review-list">
                {risingShown.map((r) => (
                  <Rising key={`${r.kind}-${r.key ?? "none"}`} row={r} />
                ))}
              </ul>
            )}
            <ShowAll total={rising.length} shown={risingShown.length} onShow={() => setAllRising(true)} />
          </div>
        </div>
      )}
    </ReportCard>
  );
}

/** One training need as a sentence a supervisor can act on. */
function Need({ row }: { row: TrainingNeedRow }) {
  const { t, i18n } = useTranslation();
  const f = useFormats();
  const [open, setOpen] = useState(false);
  const team = row.team.map((g) => g.name).join(", ");
  const p = new Intl.NumberFormat(i18n.language === "en" ? "en-GB" : "id-ID", { maximumSignificantDigits: 2 }).format(
    row.p_value,
  );
  return (
    <li>
      <div className="review-list-head">
        <div>
          <h3>{t("review.training.heading", { agent: row.agent.name, category: row.category.name })}</h3>
          <p className="small">
            {t("review.training.sentence", {
              agent: row.agent.name,
              escalations: f.count(row.escalations),
              count: row.tickets,
              category: row.category.name,
              rate: f.share(row.rate),
              team_rate: f.share(row.team_rate),
              team: team || t("review.training.their_team"),
            })}{" "}
            {t(`review.confidence.agent.${row.confidence}`, { p })}
          </p>
          <p className="small muted">
            {t("review.training.reasons", {
              missing_skill: row.reasons.missing_skill,
              too_complex: row.reasons.too_complex,
            })}
          </p>
        </div>
        <div className="review-list-actions">
          <button type="button" className="button small" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open
              ? t("review.recurring.hide_tickets")
              : t("review.recurring.show_tickets", { count: row.items.length })}
          </button>
        </div>
      </div>
      {open && <TicketLinks items={row.items} />}
    </li>
  );
}

/** Training needs: agents whose escalations for a missing skill or complexity in a category stand out from their team's. */
export function TrainingSection({ q }: { q: ReviewQuery }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const show = all ? "all" : "standing_out";
  const report = useTrainingNeeds(q, show);
  const d = report.data;
  return (
    <ReportCard
      id="training"
      title={t("review.training.title")}
      query={report}
      csv={csvUrl("training", q, { show })}
      wide
      controls={
        <label className="inline-check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />{" "}
          {t("review.training.show_all")}
        </label>
      }
    >
      {d && (
        <>
          <p className="muted small">{t("review.training.how", { n: d.min_sample })}</p>
          {d.rows.length === 0 ? (
            <Empty>{t("review.training.empty")}</Empty>
          ) : (
            <ul className="review-list">
              {d.rows.map((r) => (
                <Need key={`${r.agent.id}-${r.category.id}`} row={r} />
              ))}
            </ul>
          )}
        </>
      )}
    </ReportCard>
  );
}
