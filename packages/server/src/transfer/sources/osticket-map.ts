/**
 * osTicket 1.18 rows → Eskala transfer records (format.ts). Pure: rows in, records or a skip reason
 * out; the reader (osticket.ts) queries MariaDB/MySQL and calls these.
 */
import { compile } from "html-to-text";
import type { Channel, Priority, TicketStatus } from "@eskala/core";
import {
  transferKey,
  type TransferAttachment,
  type TransferCategory,
  type TransferGroup,
  type TransferMessage,
  type TransferOrganization,
  type TransferSlaPolicy,
  type TransferTicket,
  type TransferUser,
} from "../format.ts";

export const OSTICKET = "osticket";
export const osKey = (
  kind: "org" | "user" | "staff" | "department" | "topic" | "sla" | "ticket" | "entry",
  id: number | string,
) => transferKey(OSTICKET, kind, id);

/** A record the reader leaves out, with the osTicket table and id and why. */
export interface OsTicketSkip {
  table: string;
  id: number | string;
  reason: string;
}
export type Mapped<T> = { ok: true; record: T } | { ok: false; reason: string };

const iso = (d: Date | null | undefined) => (d && !Number.isNaN(d.getTime()) ? d.toISOString() : null);
const trimmed = (s: string | null | undefined) => (s ?? "").trim();

export function mapOrganization(r: {
  id: number;
  name: string;
  domain: string;
  created: Date | null;
}): Mapped<TransferOrganization> {
  const name = trimmed(r.name);
  if (!name) return { ok: false, reason: "the organisation has no name" };
  // osTicket keeps a comma-separated list of domains; Eskala keeps one.
  const domain = trimmed(r.domain).split(/[,\s]+/)[0] || null;
  return {
    ok: true,
    record: { key: osKey("org", r.id), name: name.slice(0, 200), domain, created_at: iso(r.created) },
  };
}

/** A department's name with its parents' (`Support / Maintenance`), since Eskala groups are flat. */
export function mapDepartment(r: {
  id: number;
  name: string;
  path_name: string;
  created: Date | null;
}): Mapped<TransferGroup> {
  const name = trimmed(r.path_name) || trimmed(r.name);
  if (!name) return { ok: false, reason: "the department has no name" };
  return {
    ok: true,
    record: {
      key: osKey("department", r.id),
      name: name.slice(0, 200),
      kind: "department",
      created_at: iso(r.created),
    },
  };
}

export function mapTopic(r: { topic_id: number; path_name: string }): Mapped<TransferCategory> {
  const name = trimmed(r.path_name);
  if (!name) return { ok: false, reason: "the help topic has no name" };
  return { ok: true, record: { key: osKey("topic", r.topic_id), name: name.slice(0, 200) } };
}

/**
 * An SLA plan becomes a starting policy whose resolution target is the plan's grace period
 * (hours → minutes) for every priority, counted 24/7 unless the plan names a business schedule;
 * it applies to the departments and help topics that use the plan. A grace period of 0 has no
 * deadline to carry.
 */
export function mapSlaPlan(
  r: { id: number; name: string; grace_period: number; flags: number; schedule_id: number },
  usedBy: { departmentKeys: string[]; topicKeys: string[] },
  position: number,
): Mapped<TransferSlaPolicy> {
  if (!(r.grace_period > 0))
    return { ok: false, reason: "its grace period is 0 hours, so there is no deadline to carry" };
  const resolution = r.grace_period * 60;
  const targets = { low: { resolution }, medium: { resolution }, high: { resolution }, urgent: { resolution } };
  const conditions: NonNullable<TransferSlaPolicy["conditions"]> = {};
  if (usedBy.departmentKeys.length) conditions.group_keys = usedBy.departmentKeys;
  if (usedBy.topicKeys.length) conditions.category_keys = usedBy.topicKeys;
  return {
    ok: true,
    record: {
      key: osKey("sla", r.id),
      name: trimmed(r.name).slice(0, 200) || `osTicket SLA ${r.id}`,
      position,
      // Flag 1 is "active" in osTicket's SLA plans.
      enabled: (r.flags & 1) === 1,
      targets,
      business_hours: r.schedule_id > 0,
      ...(Object.keys(conditions).length ? { conditions } : {}),
    },
  };
}

export function languageOf(lang: string | null | undefined): "id" | "en" | undefined {
  if (!lang) return undefined;
  return /^id\b|^id[_-]|^in\b/i.test(lang) ? "id" : "en";
}

export function mapStaff(
  r: {
    staff_id: number;
    username: string;
    firstname: string | null;
    lastname: string | null;
    email: string | null;
    isadmin: number;
    isactive: number;
    lang: string | null;
    dept_id: number;
    created: Date | null;
  },
  knownDepartments: ReadonlySet<number>,
): Mapped<TransferUser> {
  const email = trimmed(r.email);
  if (!email.includes("@")) return { ok: false, reason: "the agent has no email address" };
  const name = `${trimmed(r.firstname)} ${trimmed(r.lastname)}`.trim() || trimmed(r.username) || email;
  const language = languageOf(r.lang);
  return {
    ok: true,
    record: {
      key: osKey("staff", r.staff_id),
      email,
      name: name.slice(0, 200),
      role: r.isadmin ? "admin" : "agent",
      ...(language ? { language } : {}),
      disabled: !r.isactive,
      group_keys: knownDepartments.has(r.dept_id) ? [osKey("department", r.dept_id)] : [],
      created_at: iso(r.created),
    },
  };
}

export function mapCustomer(
  r: { id: number; name: string; org_id: number; email: string | null; lang: string | null; created: Date | null },
  knownOrgs: ReadonlySet<number>,
): Mapped<TransferUser> {
  const email = trimmed(r.email);
  if (!email.includes("@")) return { ok: false, reason: "the user has no email address" };
  const language = languageOf(r.lang);
  return {
    ok: true,
    record: {
      key: osKey("user", r.id),
      email,
      name: (trimmed(r.name) || email).slice(0, 200),
      role: "customer",
      ...(language ? { language } : {}),
      org_key: r.org_id && knownOrgs.has(r.org_id) ? osKey("org", r.org_id) : null,
      created_at: iso(r.created),
    },
  };
}

const PRIORITY: Record<string, Priority> = { low: "low", normal: "medium", high: "high", emergency: "urgent" };
const CHANNEL: Record<string, Channel> = { Web: "web", Email: "email", Phone: "phone", API: "api" };

export interface TicketRow {
  ticket_id: number;
  number: string | null;
  user_id: number;
  user_exists: number | null;
  org_id: number | null;
  status_name: string | null;
  state: string | null;
  dept_id: number;
  sla_id: number;
  topic_id: number;
  staff_id: number;
  source: string;
  isoverdue: number;
  subject: string | null;
  priority_name: string | null;
  created: Date;
  updated: Date | null;
  closed: Date | null;
}

/** What the reader knows exists, to keep references to records it yields and drop the rest. */
export interface Known {
  orgs: ReadonlySet<number>;
  departments: ReadonlySet<number>;
  topics: ReadonlySet<number>;
  slas: ReadonlySet<number>;
  staff: ReadonlySet<number>;
}

/**
 * osTicket's status state decides: open stays open, closed is solved when the status is named as a
 * resolution ("Resolved") and closed otherwise, archived is closed; deleted tickets are left out.
 */
export function mapTicket(r: TicketRow, known: Known): Mapped<TransferTicket> {
  if (!r.user_exists) return { ok: false, reason: `its user ${r.user_id} does not exist` };
  const state = (r.state ?? "").toLowerCase();
  let status: TicketStatus;
  if (state === "open") status = "open";
  else if (state === "closed") status = /resol|solv|selesai/i.test(r.status_name ?? "") ? "solved" : "closed";
  else if (state === "archived") status = "closed";
  else if (state === "deleted") return { ok: false, reason: "it was deleted in osTicket" };
  else return { ok: false, reason: `its status ${r.status_name ?? "(none)"} is unknown` };
  const done = status === "solved" || status === "closed";
  const closedAt = done ? iso(r.closed ?? r.updated) : null;
  return {
    ok: true,
    record: {
      key: osKey("ticket", r.ticket_id),
      number: trimmed(r.number) || String(r.ticket_id),
      subject: (trimmed(r.subject) || `osTicket #${trimmed(r.number) || r.ticket_id}`).slice(0, 500),
      status,
      priority: PRIORITY[(r.priority_name ?? "").toLowerCase()] ?? "medium",
      channel: CHANNEL[r.source] ?? "web",
      requester_key: osKey("user", r.user_id),
      org_key: r.org_id && known.orgs.has(r.org_id) ? osKey("org", r.org_id) : null,
      group_key: known.departments.has(r.dept_id) ? osKey("department", r.dept_id) : null,
      assignee_key: known.staff.has(r.staff_id) ? osKey("staff", r.staff_id) : null,
      category_key: known.topics.has(r.topic_id) ? osKey("topic", r.topic_id) : null,
      sla_policy_key: known.slas.has(r.sla_id) ? osKey("sla", r.sla_id) : null,
      // osTicket's overdue flag is kept as a tag; the clocks are worked out again from the policy.
      tags: r.isoverdue && !done ? ["osticket-overdue"] : [],
      created_at: iso(r.created)!,
      updated_at: iso(r.updated),
      solved_at: closedAt,
      closed_at: status === "closed" ? closedAt : null,
    },
  };
}

export interface EntryRow {
  id: number;
  ticket_id: number;
  type: string;
  staff_id: number;
  user_id: number;
  body: string;
  format: string;
  created: Date;
}

/** Plain text of an entry's body: HTML entries are converted, text ones kept. */
export function entryText(body: string, format: string): string {
  if (format !== "html") return body;
  return htmlToText(body).trim();
}
// Compiled once: `convert` compiles its options at every call, 50 times slower.
const htmlToText = compile({ wordwrap: false, selectors: [{ selector: "img", format: "skip" }] });

/** M = the customer's message, R = an agent's public response, N = an internal note. */
export function mapEntry(
  r: EntryRow,
  requesterId: number,
  known: Known,
  attachments: TransferAttachment[],
): Mapped<TransferMessage> {
  if (r.type !== "M" && r.type !== "R" && r.type !== "N")
    return { ok: false, reason: `its type ${r.type} is not a message, response or note` };
  const byCustomer = r.type === "M";
  const author = byCustomer
    ? osKey("user", r.user_id || requesterId)
    : known.staff.has(r.staff_id)
      ? osKey("staff", r.staff_id)
      : null;
  const html = r.format === "html";
  return {
    ok: true,
    record: {
      key: osKey("entry", r.id),
      ticket_key: osKey("ticket", r.ticket_id),
      author_key: author,
      public: r.type !== "N",
      body_text: entryText(r.body ?? "", r.format),
      body_html: html ? r.body : null,
      created_at: iso(r.created)!,
      ...(attachments.length ? { attachments } : {}),
    },
  };
}
