import { sql, type Kysely, type Transaction } from "kysely";
import type { HandoffFacts, HandoffSlaFact } from "@eskala/core/escalation";
import type { DB } from "../db/schema.ts";

type Executor = Kysely<DB> | Transaction<DB>;

/** What a handoff reads from a ticket's messages and SLA record (the rest comes from the ticket row and the cause). */
export type TicketHandoffFacts = Pick<
  HandoffFacts,
  "latestCustomerMessage" | "lastAgentReply" | "notesCount" | "latestNote" | "sla"
>;

interface FactsRow {
  id: string;
  lc_body: string | null;
  lc_at: Date | string | null;
  ar_body: string | null;
  ar_at: Date | string | null;
  ar_author: string | null;
  notes: number | string;
  ln_body: string | null;
  ln_at: Date | string | null;
  ln_author: string | null;
  sla:
    | { type: string; target: string | null; tier: number | null; due_at: string | null; threshold: number | null }[]
    | string
    | null;
}

const when = (v: Date | string) => (v instanceof Date ? v : new Date(v));

/** Per transaction: the tickets a batch will likely move (read together at the first need) and what was read. */
const batches = new WeakMap<object, { expected: Set<string>; facts: Map<string, TicketHandoffFacts> }>();

/**
 * Tells this transaction which tickets it may move (a deadline batch's locked tickets): the first
 * handoff composed in it reads the facts of all of them in one statement, so a batch of escalations
 * costs one query, not one per ticket. Messages do not change inside a batch.
 */
export function expectHandoffs(trx: Executor, ticketIds: Iterable<string>): void {
  const entry = batches.get(trx) ?? { expected: new Set<string>(), facts: new Map() };
  for (const id of ticketIds) entry.expected.add(id);
  batches.set(trx, entry);
}

/** The handoff facts of one ticket, read with those of the batch's other expected tickets. */
export async function handoffFactsOf(trx: Executor, ticketId: string): Promise<TicketHandoffFacts> {
  const entry = batches.get(trx);
  const known = entry?.facts.get(ticketId);
  if (known) return known;
  const ids = entry?.expected.has(ticketId) ? [...entry.expected].filter((id) => !entry.facts.has(id)) : [ticketId];
  const read = await readHandoffFacts(trx, ids);
  if (entry?.expected.has(ticketId)) {
    for (const id of ids) entry.expected.delete(id);
    for (const [id, f] of read) entry.facts.set(id, f);
  }
  return (
    read.get(ticketId) ?? {
      latestCustomerMessage: null,
      lastAgentReply: null,
      notesCount: 0,
      latestNote: null,
      sla: [],
    }
  );
}

/** One statement for any number of tickets: each one's latest customer message, last public agent reply, notes and SLA events. */
export async function readHandoffFacts(trx: Executor, ticketIds: string[]): Promise<Map<string, TicketHandoffFacts>> {
  const out = new Map<string, TicketHandoffFacts>();
  if (ticketIds.length === 0) return out;
  const { rows } = await sql<FactsRow>`
    select t.id,
      lc.body as lc_body, lc.created_at as lc_at,
      ar.body as ar_body, ar.created_at as ar_at, ar.name as ar_author,
      coalesce(n.count, 0) as notes,
      ln.body as ln_body, ln.created_at as ln_at, ln.name as ln_author,
      s.sla
    from tickets t
    left join lateral (
      select m.body, m.created_at from messages m join users u on u.id = m.author_id
      where m.ticket_id = t.id and m.kind = 'reply' and u.role = 'customer'
      order by m.created_at desc limit 1) lc on true
    left join lateral (
      select m.body, m.created_at, u.name from messages m join users u on u.id = m.author_id
      where m.ticket_id = t.id and m.kind = 'reply' and u.role <> 'customer'
      order by m.created_at desc limit 1) ar on true
    left join lateral (
      select count(*)::int as count from messages m where m.ticket_id = t.id and m.kind = 'note') n on true
    left join lateral (
      select m.body, m.created_at, u.name from messages m left join users u on u.id = m.author_id
      where m.ticket_id = t.id and m.kind = 'note'
      order by m.created_at desc limit 1) ln on true
    left join lateral (
      select json_agg(json_build_object(
        'type', x.type, 'target', x.data->>'target', 'tier', (x.data->>'tier')::int,
        'due_at', x.data->>'due_at', 'threshold', (x.data->>'threshold')::float8) order by x.id) as sla
      from (
        select distinct on (e.data->>'target', e.data->>'tier') e.id, e.type, e.data
        from ticket_events e
        where e.ticket_id = t.id and e.type in ('sla.warning', 'sla.breached', 'tier.budget_exceeded')
        order by e.data->>'target', e.data->>'tier', (e.type <> 'sla.warning') desc, e.id desc) x) s on true
    where t.id in (${sql.join(ticketIds)})`.execute(trx);
  for (const r of rows) {
    const slaRows = typeof r.sla === "string" ? (JSON.parse(r.sla) as Exclude<FactsRow["sla"], string>) : r.sla;
    out.set(r.id, {
      latestCustomerMessage: r.lc_body !== null && r.lc_at ? { body: r.lc_body, at: when(r.lc_at) } : null,
      lastAgentReply:
        r.ar_body !== null && r.ar_at ? { body: r.ar_body, at: when(r.ar_at), authorName: r.ar_author } : null,
      notesCount: Number(r.notes),
      latestNote:
        r.ln_body !== null && r.ln_at ? { body: r.ln_body, at: when(r.ln_at), authorName: r.ln_author } : null,
      sla: (slaRows ?? []).flatMap((e): HandoffSlaFact[] =>
        e.target
          ? [
              {
                target: e.type === "tier.budget_exceeded" ? `tier_budget:${e.tier ?? ""}` : e.target,
                state: e.type === "sla.warning" ? "warning" : "breached",
                dueAt: e.due_at ? new Date(e.due_at) : null,
                threshold: e.threshold,
              },
            ]
          : [],
      ),
    });
  }
  return out;
}
