/**
 * Training needs: agents whose escalations for `missing_skill` or `too_complex` in a category
 * stand out from their team's in the same period.
 *
 * For an agent and a category: `tickets` = the category's tickets they held in the period (created
 * in it and assigned to them now, or moved away from them by an escalation record of the period),
 * `escalations` = those they escalated for one of the two reasons (the escalating agent is the
 * record's `from_assignee_id`, else its actor). The team is the other members of the agent's
 * groups, counted the same way. One-sided Fisher exact test of the 2×2 table (agent / team ×
 * escalated / not): a small p-value says the agent's rate is above the team's by more than
 * chance. Listed from MIN_SAMPLE tickets held (fewer are not listed: they say too little).
 */
import { sql, type Kysely } from "kysely";
import type { PatternTicket, ReportFilters, TrainingNeedRow, TrainingNeedsReport } from "@eskala/contracts";
import { confidenceLevel, fisherExactGreater, MIN_SAMPLE } from "@eskala/core/stats";
import type { DB } from "../db/schema.ts";
import {
  ESCALATING_TYPES,
  escalationsMadeIn,
  ticketFilters,
  ticketsCreatedIn,
  type ReportScope,
} from "./report-query.ts";
import { presentFilters, presentPeriod } from "./pattern-present.ts";

const SKILL_REASONS = ["missing_skill", "too_complex"] as const;
const STANDS_OUT_P = 0.05;
const ITEMS = 20;

interface Counts {
  tickets: number;
  escalations: number;
  missing_skill: number;
  too_complex: number;
}

export async function trainingNeeds(
  db: Kysely<DB>,
  scope: ReportScope,
  opts: { show: "standing_out" | "all"; limit: number },
): Promise<TrainingNeedsReport> {
  const { period, filters } = scope;
  // Filters on the tickets apply to everyone's counts; tier, group and agent choose whom to list.
  const onTickets: ReportFilters = {
    ...(filters.category_id !== undefined ? { category_id: filters.category_id } : {}),
    ...(filters.channel !== undefined ? { channel: filters.channel } : {}),
    ...(filters.priority !== undefined ? { priority: filters.priority } : {}),
    ...(filters.organization_id !== undefined ? { organization_id: filters.organization_id } : {}),
  };
  const escalating = sql.join(ESCALATING_TYPES.map((t) => sql`${t}`));
  const skill = sql`e.reason in (${sql.join(SKILL_REASONS.map((r) => sql`${r}`))}) and e.type in (${escalating})`;
  const [held, moved, people] = await Promise.all([
    sql<{ agent_id: string; category_id: string; n: number }>`
      select t.assignee_id agent_id, t.category_id, count(*)::int n
      from tickets t
      where ${ticketsCreatedIn(period)} and t.assignee_id is not null and t.category_id is not null
        and ${ticketFilters(onTickets)}
      group by 1, 2`.execute(db),
    sql<{ agent_id: string; category_id: string; away: number } & Omit<Counts, "tickets">>`
      select e.agent_id, t.category_id,
        count(distinct e.ticket_id) filter (where not (t.assignee_id is not distinct from e.agent_id
          and ${ticketsCreatedIn(period)}))::int away,
        count(distinct e.ticket_id) filter (where ${skill})::int escalations,
        count(distinct e.ticket_id) filter (where ${skill} and e.reason = 'missing_skill')::int missing_skill,
        count(distinct e.ticket_id) filter (where ${skill} and e.reason = 'too_complex')::int too_complex
      from (select *, coalesce(from_assignee_id, actor_id) agent_id from escalations) e
        join tickets t on t.id = e.ticket_id
      where ${escalationsMadeIn(period)} and e.agent_id is not null and t.category_id is not null
        and ${ticketFilters(onTickets)}
      group by 1, 2`.execute(db),
    db
      .selectFrom("users as u")
      .leftJoin("group_members as m", "m.user_id", "u.id")
      .leftJoin("agent_profiles as a", "a.user_id", "u.id")
      .select(["u.id", "u.name", "m.group_id", "a.tier"])
      .where("u.role", "<>", "customer")
      .execute(),
  ]);

  const counts = new Map<string, Map<string, Counts>>();
  const at = (agent: string, category: string) => {
    let byCategory = counts.get(agent);
    if (!byCategory) counts.set(agent, (byCategory = new Map()));
    let c = byCategory.get(category);
    if (!c) byCategory.set(category, (c = { tickets: 0, escalations: 0, missing_skill: 0, too_complex: 0 }));
    return c;
  };
  for (const r of held.rows) at(r.agent_id, r.category_id).tickets += r.n;
  for (const r of moved.rows) {
    const c = at(r.agent_id, r.category_id);
    c.tickets += r.away;
    c.escalations += r.escalations;
    c.missing_skill += r.missing_skill;
    c.too_complex += r.too_complex;
  }

  const staff = new Map<string, { name: string; tier: number | null; groups: Set<string> }>();
  const members = new Map<string, Set<string>>();
  for (const p of people) {
    const s = staff.get(p.id) ?? { name: p.name, tier: p.tier, groups: new Set<string>() };
    staff.set(p.id, s);
    if (p.group_id) {
      s.groups.add(p.group_id);
      members.set(p.group_id, (members.get(p.group_id) ?? new Set()).add(p.id));
    }
  }
  const listed = (id: string) => {
    const s = staff.get(id);
    if (!s) return false;
    if (filters.agent_id !== undefined && filters.agent_id !== id) return false;
    if (filters.tier !== undefined && s.tier !== filters.tier) return false;
    if (
      filters.group_id !== undefined &&
      (filters.group_id === "none" ? s.groups.size > 0 : !s.groups.has(filters.group_id))
    )
      return false;
    return true;
  };
  const teamOf = (id: string): string[] => {
    const groups =
      filters.group_id !== undefined && filters.group_id !== "none" ? [filters.group_id] : [...staff.get(id)!.groups];
    return groups;
  };

  type Candidate = Omit<TrainingNeedRow, "agent" | "category" | "team" | "items"> & {
    agentId: string;
    categoryId: string;
    teamGroups: string[];
  };
  const candidates: Candidate[] = [];
  for (const [agentId, byCategory] of counts) {
    if (!listed(agentId)) continue;
    const teamGroups = teamOf(agentId);
    const team = new Set(teamGroups.flatMap((g) => [...(members.get(g) ?? [])]));
    team.delete(agentId);
    for (const [categoryId, c] of byCategory) {
      if (c.tickets < MIN_SAMPLE || c.escalations === 0) continue;
      let teamTickets = 0;
      let teamEscalations = 0;
      for (const m of team) {
        const tc = counts.get(m)?.get(categoryId);
        if (tc) {
          teamTickets += tc.tickets;
          teamEscalations += tc.escalations;
        }
      }
      if (teamTickets === 0) continue;
      const rate = c.escalations / c.tickets;
      const teamRate = teamEscalations / teamTickets;
      if (rate <= teamRate) continue;
      const p = fisherExactGreater(
        c.escalations,
        c.tickets - c.escalations,
        teamEscalations,
        teamTickets - teamEscalations,
      );
      if (opts.show === "standing_out" && p >= STANDS_OUT_P) continue;
      candidates.push({
        agentId,
        categoryId,
        teamGroups,
        tickets: c.tickets,
        escalations: c.escalations,
        reasons: { missing_skill: c.missing_skill, too_complex: c.too_complex },
        rate,
        team_tickets: teamTickets,
        team_escalations: teamEscalations,
        team_rate: teamRate,
        p_value: p,
        confidence: confidenceLevel(p, c.tickets),
        stands_out: p < STANDS_OUT_P,
      });
    }
  }
  candidates.sort(
    (x, y) => x.p_value - y.p_value || y.escalations - x.escalations || x.agentId.localeCompare(y.agentId),
  );
  const rows = candidates.slice(0, opts.limit);
  const [names, items] = await Promise.all([namesOf(db, rows), skillEscalations(db, scope, onTickets, rows)]);
  return {
    period: presentPeriod(period),
    filters: presentFilters(filters),
    min_sample: MIN_SAMPLE,
    rows: rows.map(({ agentId, categoryId, teamGroups, ...figures }) => ({
      agent: { id: agentId, name: staff.get(agentId)!.name },
      category: { id: categoryId, name: names.categories.get(categoryId) ?? "" },
      team: teamGroups.map((id) => ({ id, name: names.groups.get(id) ?? "" })),
      ...figures,
      items: items.get(`${agentId}/${categoryId}`) ?? [],
    })),
  };
}

async function namesOf(db: Kysely<DB>, rows: { categoryId: string; teamGroups: string[] }[]) {
  const categoryIds = [...new Set(rows.map((r) => r.categoryId))];
  const groupIds = [...new Set(rows.flatMap((r) => r.teamGroups))];
  const [categories, groups] = await Promise.all([
    categoryIds.length
      ? db.selectFrom("categories").select(["id", "name"]).where("id", "in", categoryIds).execute()
      : [],
    groupIds.length ? db.selectFrom("groups").select(["id", "name"]).where("id", "in", groupIds).execute() : [],
  ]);
  return {
    categories: new Map(categories.map((c) => [c.id, c.name])),
    groups: new Map(groups.map((g) => [g.id, g.name])),
  };
}

type SkillItem = PatternTicket & { reason: (typeof SKILL_REASONS)[number] };

/** The tickets behind each row's count: the agent's skill escalations in the category, newest first. */
async function skillEscalations(
  db: Kysely<DB>,
  scope: ReportScope,
  onTickets: ReportFilters,
  rows: { agentId: string; categoryId: string }[],
): Promise<Map<string, SkillItem[]>> {
  if (rows.length === 0) return new Map();
  const result = await sql<{
    agent_id: string;
    ticket_id: string;
    number: number;
    subject: string;
    language: string;
    category_id: string;
    reason: SkillItem["reason"];
    escalations: number;
    last_at: Date;
  }>`
    with wanted as (
      select * from unnest(${rows.map((r) => r.agentId)}::uuid[], ${rows.map((r) => r.categoryId)}::uuid[]) w(agent_id, category_id)
    ), hits as (
      select w.agent_id, t.id ticket_id, t.number, t.subject, t.language, t.category_id,
        (array_agg(e.reason order by e.created_at desc))[1] reason, count(*)::int escalations, max(e.created_at) last_at
      from escalations e
        join tickets t on t.id = e.ticket_id
        join wanted w on w.agent_id = coalesce(e.from_assignee_id, e.actor_id) and w.category_id = t.category_id
      where ${escalationsMadeIn(scope.period)} and e.reason in (${sql.join(SKILL_REASONS.map((r) => sql`${r}`))})
        and e.type in (${sql.join(ESCALATING_TYPES.map((t) => sql`${t}`))}) and ${ticketFilters(onTickets)}
      group by w.agent_id, t.id
    )
    select * from (
      select *, row_number() over (partition by agent_id, category_id order by last_at desc, number desc) i from hits
    ) h where i <= ${ITEMS}
    order by agent_id, category_id, i`.execute(db);
  const out = new Map<string, SkillItem[]>();
  for (const r of result.rows) {
    const key = `${r.agent_id}/${r.category_id}`;
    out.set(key, [
      ...(out.get(key) ?? []),
      {
        id: r.ticket_id,
        number: Number(r.number),
        subject: r.subject,
        language: r.language,
        category_id: r.category_id,
        escalations: r.escalations,
        last_escalated_at: new Date(r.last_at).toISOString(),
        reason: r.reason,
      },
    ]);
  }
  return out;
}
