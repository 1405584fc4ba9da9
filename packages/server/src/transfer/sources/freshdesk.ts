/**
 * A Freshdesk export as import records: what Freshdesk's API v2 returns (json-files.ts), as
 * `companies`, `groups`, `agents`, `contacts`, `tickets` (arrays or one object a line), each
 * ticket's conversations inline (`conversations`, as `include=conversations` gives) or in
 * `conversations/<ticket id>.json`, and `satisfaction_ratings`. Attachment files, when
 * downloaded, sit in `attachments/<attachment id>/<name>`.
 *
 * Mapping: status 2 open, 3 pending, 4 resolved → solved, 5 closed, 6/7 (waiting on customer /
 * third party) → pending / on_hold; priority 1–4 → low, medium, high, urgent; source 1 email,
 * 2 portal → web, 3 phone, 7 chat, others → api; conversations `private` → internal notes;
 * ratings 103/102 → 5, 101 → 4, 100 → 3, -101 → 2, -102/-103 → 1.
 */
import type { Channel, Priority, TicketStatus } from "@eskala/core";
import type { TransferKind } from "../format.ts";
import type { SourceItem } from "../import/source.ts";
import type { Line } from "./jsonl.ts";
import { readApiRecords, readTicketFile } from "./json-files.ts";

type Obj = Record<string, unknown>;
const key = (kind: string, id: unknown) => (id === null || id === undefined ? null : `freshdesk:${kind}:${String(id)}`);

const STATUS: Record<number, TicketStatus> = {
  2: "open",
  3: "pending",
  4: "solved",
  5: "closed",
  6: "pending",
  7: "on_hold",
};
const PRIORITY: Record<number, Priority> = { 1: "low", 2: "medium", 3: "high", 4: "urgent" };
const SOURCE: Record<number, Channel> = { 1: "email", 2: "web", 3: "phone", 7: "chat", 9: "web", 10: "email" };

function rating(value: unknown): number | null {
  if (typeof value !== "number") return null;
  if (value >= 102) return 5;
  if (value === 101) return 4;
  if (value === 100) return 3;
  if (value === -101) return 2;
  return value <= -102 ? 1 : null;
}

function company(c: Obj) {
  const domains = Array.isArray(c.domains) ? c.domains : [];
  return { key: key("company", c.id), name: c.name, domain: domains[0] ?? null, created_at: c.created_at };
}

function contact(c: Obj) {
  return {
    key: key("contact", c.id),
    email: c.email ?? undefined,
    name: c.name,
    role: "customer",
    language: String(c.language ?? "").startsWith("id") ? "id" : "en",
    org_key: key("company", c.company_id),
    disabled: c.active === false && c.deleted === true,
    created_at: c.created_at,
  };
}

/** An agent, with the groups that list them (`agent_ids`). */
function agent(a: Obj, groupsOf: Map<string, string[]>) {
  const c = (a.contact as Obj | undefined) ?? {};
  return {
    key: key("agent", a.id),
    email: c.email ?? undefined,
    name: c.name,
    role: "agent",
    language: String(c.language ?? "").startsWith("id") ? "id" : "en",
    tier: 1,
    group_keys: groupsOf.get(String(a.id)) ?? [],
    disabled: c.active === false,
    created_at: a.created_at,
  };
}

function group(g: Obj) {
  return { key: key("group", g.id), name: g.name, kind: "department", created_at: g.created_at };
}

function ticket(t: Obj, ratings: Map<string, Obj>) {
  const status = STATUS[Number(t.status)] ?? t.status;
  const stats = (t.stats as Obj | undefined) ?? {};
  const r = ratings.get(String(t.id));
  const score = rating((r?.ratings as Obj | undefined)?.default_question);
  const done = status === "solved" || status === "closed";
  return {
    key: key("ticket", t.id),
    number: t.id,
    subject: t.subject,
    description: t.description_text ?? t.description ?? null,
    status,
    priority: PRIORITY[Number(t.priority)] ?? t.priority,
    channel: SOURCE[Number(t.source)] ?? "api",
    requester_key: key("contact", t.requester_id) ?? undefined,
    org_key: key("company", t.company_id),
    group_key: key("group", t.group_id),
    assignee_key: key("agent", t.responder_id),
    tags: Array.isArray(t.tags) ? t.tags : [],
    created_at: t.created_at,
    updated_at: t.updated_at,
    first_response_at: stats.first_responded_at ?? null,
    solved_at: done ? (stats.resolved_at ?? stats.closed_at ?? t.updated_at) : null,
    closed_at: status === "closed" ? (stats.closed_at ?? t.updated_at) : null,
    satisfaction: score ? { rating: score, comment: r?.feedback ?? null, rated_at: r?.created_at ?? null } : null,
  };
}

/** A conversation; its author is an agent unless it came in from the customer. */
function conversation(ticketKey: string, c: Obj) {
  const attachments = Array.isArray(c.attachments) ? (c.attachments as Obj[]) : [];
  return {
    key: key("conversation", c.id),
    ticket_key: ticketKey,
    author_key: c.incoming === true ? key("contact", c.user_id) : key("agent", c.user_id),
    public: c.private !== true,
    body_text: c.body_text ?? c.body ?? "",
    body_html: c.body ?? null,
    created_at: c.created_at,
    attachments: attachments.map((a) => ({
      name: a.name,
      content_type: a.content_type ?? "application/octet-stream",
      size: a.size ?? 0,
      path: `${String(a.id)}/${String(a.name)}`,
    })),
  };
}

function* asItems(kind: TransferKind, line: Line, map: (o: Obj) => unknown): Generator<SourceItem> {
  if (!line.ok) yield { kind: "skip", at: line.at, reason: line.reason };
  else if (!line.value || typeof line.value !== "object") yield { kind: "skip", at: line.at, reason: "not an object" };
  else yield { kind, record: map(line.value as Obj), at: line.at };
}

export async function* readFreshdeskDir(dir: string): AsyncGenerator<SourceItem> {
  for await (const line of readApiRecords(dir, "companies")) yield* asItems("organizations", line, company);
  const groupsOf = new Map<string, string[]>();
  for await (const line of readApiRecords(dir, "groups")) {
    yield* asItems("groups", line, group);
    if (!line.ok || !line.value || typeof line.value !== "object") continue;
    const g = line.value as Obj;
    for (const id of Array.isArray(g.agent_ids) ? g.agent_ids : [])
      groupsOf.set(String(id), [...(groupsOf.get(String(id)) ?? []), key("group", g.id)!]);
  }
  for await (const line of readApiRecords(dir, "agents")) yield* asItems("users", line, (a) => agent(a, groupsOf));
  for await (const line of readApiRecords(dir, "contacts")) yield* asItems("users", line, contact);
  // Ratings are few beside tickets: read first, joined to their ticket.
  const ratings = new Map<string, Obj>();
  for await (const line of readApiRecords(dir, "satisfaction_ratings"))
    if (line.ok && line.value && typeof line.value === "object")
      ratings.set(String((line.value as Obj).ticket_id), line.value as Obj);
  for await (const line of readApiRecords(dir, "tickets")) {
    yield* asItems("tickets", line, (t) => ticket(t, ratings));
    if (!line.ok || !line.value || typeof line.value !== "object") continue;
    const t = line.value as Obj;
    const ticketKey = key("ticket", t.id);
    if (!ticketKey) continue;
    const conversations: Line[] = Array.isArray(t.conversations)
      ? (t.conversations as unknown[]).map((value, i) => ({
          ok: true as const,
          value,
          at: `${line.at}.conversations[${i}]`,
        }))
      : readTicketFile(dir, "conversations", t.id, "conversations");
    for (const c of conversations) yield* asItems("messages", c, (o) => conversation(ticketKey, o));
  }
}
