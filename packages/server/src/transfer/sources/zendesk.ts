/**
 * A Zendesk export as import records. The directory holds what Zendesk's API returns
 * (json-files.ts): organizations, users, groups and tickets (the ticket export or incremental
 * export: `{"tickets": [...]}` pages or one ticket a line), each ticket's comments inline
 * (`comments`, as in Zendesk's JSON data export) or in `comments/<ticket id>.json` (the ticket
 * comments endpoint's `{"comments": [...]}`). Attachment files, when downloaded, sit in
 * `attachments/<attachment id>/<file name>`.
 *
 * Mapping: end-users → customers, agents and admins → staff; groups → department groups;
 * statuses as named (`hold` → on_hold), priority `normal` → medium (none → medium), the channel
 * from `via.channel`, the ticket id as its external number, `satisfaction_rating` good → 5, bad → 1.
 * The first comment is the ticket's description; the rest are its messages, private ones as
 * internal notes.
 */
import type { Channel, Priority, TicketStatus } from "@eskala/core";
import type { TransferKind } from "../format.ts";
import type { SourceItem } from "../import/source.ts";
import type { Line } from "./jsonl.ts";
import { readApiRecords, readTicketFile } from "./json-files.ts";

type Obj = Record<string, unknown>;
const key = (kind: string, id: unknown) => (id === null || id === undefined ? null : `zendesk:${kind}:${String(id)}`);
const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v : undefined);

const STATUS: Record<string, TicketStatus> = {
  new: "new",
  open: "open",
  pending: "pending",
  hold: "on_hold",
  solved: "solved",
  closed: "closed",
};
const PRIORITY: Record<string, Priority> = { low: "low", normal: "medium", high: "high", urgent: "urgent" };
const CHANNEL: Record<string, Channel> = {
  email: "email",
  web: "web",
  web_form: "web",
  web_widget: "web",
  help_center: "web",
  mobile: "web",
  chat: "chat",
  messaging: "chat",
  native_messaging: "chat",
  voice: "phone",
  phone: "phone",
  api: "api",
};

function organization(o: Obj) {
  const domains = Array.isArray(o.domain_names) ? o.domain_names : [];
  return { key: key("organization", o.id), name: o.name, domain: str(domains[0]) ?? null, created_at: o.created_at };
}

function user(u: Obj) {
  const role = u.role === "admin" ? "admin" : u.role === "agent" ? "agent" : "customer";
  return {
    key: key("user", u.id),
    email: u.email ?? undefined,
    name: u.name,
    role,
    language: String(u.locale ?? "").startsWith("id") ? "id" : "en",
    org_key: key("organization", u.organization_id),
    disabled: u.suspended === true || u.active === false,
    ...(role !== "customer" ? { tier: 1, group_keys: [] } : {}),
    created_at: u.created_at,
  };
}

function group(g: Obj) {
  return { key: key("group", g.id), name: g.name, kind: "department", created_at: g.created_at };
}

function ticket(t: Obj) {
  const via = (t.via as Obj | undefined)?.channel;
  const status = STATUS[String(t.status)] ?? t.status;
  const rating = t.satisfaction_rating as Obj | null | undefined;
  const score = rating?.score === "good" ? 5 : rating?.score === "bad" ? 1 : null;
  const done = status === "solved" || status === "closed";
  const metrics = t.metric_set as Obj | undefined;
  return {
    key: key("ticket", t.id),
    number: t.id,
    subject: str(t.subject) ?? str(t.raw_subject) ?? undefined,
    description: t.description ?? null,
    status,
    priority: t.priority ? (PRIORITY[String(t.priority)] ?? t.priority) : "medium",
    channel: CHANNEL[String(via)] ?? "api",
    requester_key: key("user", t.requester_id) ?? undefined,
    org_key: key("organization", t.organization_id),
    group_key: key("group", t.group_id),
    assignee_key: key("user", t.assignee_id),
    tags: Array.isArray(t.tags) ? t.tags : [],
    created_at: t.created_at,
    updated_at: t.updated_at,
    solved_at: done ? (metrics?.solved_at ?? t.updated_at) : null,
    satisfaction: score
      ? { rating: score, comment: str(rating?.comment) ?? null, rated_at: rating?.updated_at ?? null }
      : null,
  };
}

function comment(ticketKey: string, c: Obj) {
  const attachments = Array.isArray(c.attachments) ? (c.attachments as Obj[]) : [];
  return {
    key: key("comment", c.id),
    ticket_key: ticketKey,
    author_key: key("user", c.author_id),
    public: c.public !== false,
    body_text: c.plain_body ?? c.body ?? "",
    body_html: c.html_body ?? null,
    created_at: c.created_at,
    attachments: attachments.map((a) => ({
      name: a.file_name,
      content_type: a.content_type ?? "application/octet-stream",
      size: a.size ?? 0,
      path: `${String(a.id)}/${String(a.file_name)}`,
    })),
  };
}

function* asItems(kind: TransferKind, line: Line, map: (o: Obj) => unknown): Generator<SourceItem> {
  if (!line.ok) yield { kind: "skip", at: line.at, reason: line.reason };
  else if (!line.value || typeof line.value !== "object") yield { kind: "skip", at: line.at, reason: "not an object" };
  else yield { kind, record: map(line.value as Obj), at: line.at };
}

export async function* readZendeskDir(dir: string): AsyncGenerator<SourceItem> {
  for await (const line of readApiRecords(dir, "organizations")) yield* asItems("organizations", line, organization);
  for await (const line of readApiRecords(dir, "groups")) yield* asItems("groups", line, group);
  for await (const line of readApiRecords(dir, "users")) yield* asItems("users", line, user);
  for await (const line of readApiRecords(dir, "tickets")) {
    yield* asItems("tickets", line, ticket);
    if (!line.ok || !line.value || typeof line.value !== "object") continue;
    const t = line.value as Obj;
    const ticketKey = key("ticket", t.id);
    if (!ticketKey) continue;
    const comments: Line[] = Array.isArray(t.comments)
      ? (t.comments as unknown[]).map((value, i) => ({ ok: true as const, value, at: `${line.at}.comments[${i}]` }))
      : readTicketFile(dir, "comments", t.id, "comments");
    // The first comment is the description the ticket already carries.
    const first = comments[0];
    const rest = first?.ok && typeof t.description === "string" ? comments.slice(1) : comments;
    for (const c of rest) yield* asItems("messages", c, (o) => comment(ticketKey, o));
  }
}
