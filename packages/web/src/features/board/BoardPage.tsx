import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { isNotAvailable } from "../../lib/api.ts";
import type { BoardAgent, BoardRisk } from "../../lib/types.ts";
import { PresenceDot } from "../../ui/Badges.tsx";
import { Empty, ErrorNote, Loading, NotAvailable } from "../../ui/Notice.tsx";
import { DueIn } from "../ticket/SlaBadges.tsx";
import { EscalationChart } from "./EscalationChart.tsx";
import { useAgentLoad, useBoard, useReassign } from "./board-api.ts";
import { BoardRequests } from "../requests/requests.tsx";

/** The supervisor's live view: SLA risk by time to breach, escalations by reason, customer requests, agent load. */
export function BoardPage() {
  const { t } = useTranslation();
  // The board is the one screen left open all day: poll as a safety net even with the stream up.
  const board = useBoard(30_000);
  const missing = isNotAvailable(board.error);
  const fallbackAgents = useAgentLoad(missing, 30_000);
  const agents = board.data?.agents ?? fallbackAgents.data ?? [];

  return (
    <div className="page board">
      <h1>{t("board.title")}</h1>
      {board.isLoading && <Loading />}
      {board.error && !missing && <ErrorNote error={board.error} />}
      <div className="board-grid">
        <section className="card board-risk" aria-labelledby="risk-title">
          <h2 id="risk-title">{t("board.risk")}</h2>
          {missing ? (
            <NotAvailable what={t("board.risk")} />
          ) : (
            board.data && <RiskList risk={board.data.risk} agents={agents} />
          )}
        </section>
        <section className="card" aria-labelledby="esc-title">
          <h2 id="esc-title">{t("board.escalations_24h")}</h2>
          {missing ? (
            <NotAvailable what={t("board.escalations_24h")} />
          ) : (
            board.data && <EscalationChart data={board.data.escalations_24h} />
          )}
        </section>
        <section className="card" aria-labelledby="req-title">
          <h2 id="req-title">{t("board.open_requests")}</h2>
          {missing ? (
            <NotAvailable what={t("board.open_requests")} />
          ) : (
            board.data && <BoardRequests items={board.data.open_requests} />
          )}
        </section>
        <section className="card board-agents" aria-labelledby="agents-title">
          <h2 id="agents-title">{t("board.agents")}</h2>
          <AgentLoad agents={agents} />
        </section>
      </div>
    </div>
  );
}

function RiskList({ risk, agents }: { risk: BoardRisk[]; agents: BoardAgent[] }) {
  const { t } = useTranslation();
  const reassign = useReassign();
  const rows = [...risk].sort((a, b) => a.due_at.localeCompare(b.due_at));
  if (rows.length === 0) return <Empty>{t("board.no_risk")}</Empty>;
  return (
    <>
      <ErrorNote error={reassign.error} />
      <div className="table-scroll risk-scroll">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("board.ticket")}</th>
              <th scope="col">{t("board.target")}</th>
              <th scope="col">{t("board.time_to_breach")}</th>
              <th scope="col">{t("ticket.assignee")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.ticket.id}-${r.target}`} className={`risk-${r.state}`}>
                <td>
                  <Link to={`/app/tickets/${r.ticket.id}?queue=all`}>
                    #{r.ticket.number} {r.ticket.subject}
                  </Link>
                  <div className="muted small">
                    Tier {r.ticket.tier} · {r.ticket.group?.name ?? "—"}
                  </div>
                </td>
                <td>
                  {t(`sla.target.${r.target}`)}
                  <div>
                    <span className={`badge sla-state-${r.state}`}>{t(`sla.state.${r.state}`)}</span>
                  </div>
                </td>
                <td>
                  <DueIn dueAt={r.due_at} target={r.target} />
                </td>
                <td>
                  <label className="sr-only" htmlFor={`reassign-${r.ticket.id}-${r.target}`}>
                    {t("board.reassign", { number: r.ticket.number })}
                  </label>
                  <select
                    id={`reassign-${r.ticket.id}-${r.target}`}
                    value={r.ticket.assignee?.id ?? ""}
                    disabled={reassign.isPending}
                    onChange={(e) => reassign.mutate({ ticketId: r.ticket.id, assigneeId: e.target.value || null })}
                  >
                    <option value="">{t("ticket.unassigned")}</option>
                    {r.ticket.assignee && !agents.some((a) => a.id === r.ticket.assignee?.id) && (
                      <option value={r.ticket.assignee.id}>{r.ticket.assignee.name}</option>
                    )}
                    {agents.map((a) => (
                      <option key={a.id} value={a.id}>
                        {a.name} · T{a.tier} · {t(`presence.${a.presence}`)} ({a.open_tickets}/{a.capacity})
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function AgentLoad({ agents }: { agents: BoardAgent[] }) {
  const { t } = useTranslation();
  if (agents.length === 0) return <Empty>{t("board.no_agents")}</Empty>;
  const sorted = [...agents].sort((a, b) => a.tier - b.tier || a.name.localeCompare(b.name));
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">{t("board.agent")}</th>
          <th scope="col">{t("ticket.tier")}</th>
          <th scope="col">{t("header.presence")}</th>
          <th scope="col">{t("board.load")}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((a) => {
          const ratio = a.capacity > 0 ? a.open_tickets / a.capacity : a.open_tickets > 0 ? 1.5 : 0;
          const level = ratio >= 1 ? "over" : ratio >= 0.8 ? "high" : "ok";
          return (
            <tr key={a.id}>
              <td>{a.name}</td>
              <td>{a.tier}</td>
              <td>
                <PresenceDot presence={a.presence} />
              </td>
              <td>
                <div className={`load load-${level}`}>
                  <meter
                    min={0}
                    max={Math.max(a.capacity, 1)}
                    value={Math.min(a.open_tickets, Math.max(a.capacity, 1))}
                    aria-label={t("board.load_of", { name: a.name })}
                  />
                  <span>
                    {a.open_tickets}/{a.capacity}
                    {level === "over" && <span className="load-flag"> · {t("board.over_capacity")}</span>}
                  </span>
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
