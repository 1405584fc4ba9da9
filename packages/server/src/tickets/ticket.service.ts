import type { Kysely } from "kysely";
import { PRIORITIES, checkTransition, type Priority, type ResolutionCode, type TicketStatus } from "@eskala/core";
import type { CreateTicketBody, UpdateTicketBody } from "@eskala/contracts";
import type { Actor } from "../auth/actor.ts";
import type { DB, TicketRow, TicketUpdate } from "../db/schema.ts";
import { AppError } from "../lib/app-error.ts";
import { adminOnlyField, assertStaff, assertVisible } from "./ticket-access.ts";
import { appendEvents, type TimelineEvent } from "./ticket-events.ts";
import { runHooks, type TicketHook } from "./ticket-hooks.ts";
import { defaultEntryGroup, findOrCreateCustomer, resolveCategory, resolveGroup, resolveStaff } from "./ticket-refs.ts";
import { findTicketForUpdate, findTicketView } from "./ticket.repo.ts";
import { saveAttachments } from "./attachments.ts";

export const priorityRank = (p: Priority) => PRIORITIES.indexOf(p);

export type TicketService = ReturnType<typeof createTicketService>;

/** Creating and changing tickets: every change is one transaction with its timeline events and hooks. */
export function createTicketService(deps: { db: Kysely<DB>; hooks: TicketHook[] }) {
  const { db, hooks } = deps;

  async function create(actor: Actor, body: CreateTicketBody, now: Date) {
    adminOnlyField(actor, "created_at", body.created_at !== undefined);
    adminOnlyField(actor, "solved_at", body.solved_at !== undefined);
    if (actor.role === "customer") {
      if (body.requester && body.requester.email.toLowerCase() !== actor.email.toLowerCase()) {
        throw new AppError("forbidden", "Customers create tickets as themselves", [
          { path: ["requester", "email"], message: "must be your own" },
        ]);
      }
      if (body.group_id)
        throw new AppError("forbidden", "Customers cannot choose a group", [
          { path: ["group_id"], message: "agents only" },
        ]);
    } else if (!body.requester) {
      throw AppError.field(["requester"], "required");
    }
    const createdAt = body.created_at ? new Date(body.created_at) : now;
    if (createdAt.getTime() > now.getTime() + 60_000) throw AppError.field(["created_at"], "must not be in the future");
    const solvedAt = body.solved_at ? new Date(body.solved_at) : null;
    if (solvedAt && !body.created_at) throw AppError.field(["solved_at"], "needs created_at (imports only)");
    if (solvedAt && (solvedAt < createdAt || solvedAt > now))
      throw AppError.field(["solved_at"], "must lie between created_at and now");

    const id = await db.transaction().execute(async (trx) => {
      const requester =
        actor.role === "customer"
          ? { id: actor.userId, organization_id: actor.organizationId, language: actor.language }
          : await findOrCreateCustomer(trx, body.requester!, now);
      const categoryId = body.category ? await resolveCategory(trx, body.category) : null;
      const group = body.group_id ? await resolveGroup(trx, body.group_id) : await defaultEntryGroup(trx);
      const tier = group?.tier_level ?? 1;
      const priority = body.priority ?? "medium";
      const ticket = await trx
        .insertInto("tickets")
        .values({
          subject: body.subject,
          description: body.description,
          requester_id: requester.id,
          organization_id: requester.organization_id,
          channel: body.channel ?? (actor.role === "customer" ? "web" : "api"),
          status: solvedAt ? "solved" : "new",
          priority,
          priority_rank: priorityRank(priority),
          language: body.language ?? requester.language,
          category_id: categoryId,
          tags: dedupe(body.tags ?? []),
          tier,
          group_id: group?.id ?? null,
          resolution_code: solvedAt ? (body.resolution_code ?? "answered") : null,
          solved_tier: solvedAt ? tier : null,
          solved_at: solvedAt,
          created_at: createdAt,
          updated_at: solvedAt ?? createdAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (body.attachments?.length) await saveAttachments(trx, ticket.id, null, body.attachments);
      const events: TimelineEvent[] = [
        {
          ticketId: ticket.id,
          type: body.created_at ? "ticket.imported" : "ticket.created",
          at: createdAt,
          data: {
            channel: ticket.channel,
            priority,
            tier,
            group_id: ticket.group_id,
            ...(body.created_at ? { imported_at: now.toISOString() } : {}),
          },
        },
      ];
      if (solvedAt)
        events.push({
          ticketId: ticket.id,
          type: "ticket.updated",
          at: solvedAt,
          data: { changes: { status: ["new", "solved"] } },
        });
      const ids = await appendEvents(trx, actor, events);
      await runHooks(hooks, trx, {
        ticket,
        previous: null,
        events: events.map((e, i) => ({ ...e, id: ids[i]! })),
        actor,
        now,
      });
      return ticket.id;
    });
    return (await findTicketView(db, id))!;
  }

  async function update(actor: Actor, id: string, body: UpdateTicketBody, now: Date) {
    await db.transaction().execute(async (trx) => {
      const current = assertVisible(actor, await findTicketForUpdate(trx, id));
      assertStaff(actor, "Changing a ticket");
      if (body.expected_version !== undefined && body.expected_version !== current.version) {
        throw new AppError("version_conflict", `The ticket is at version ${current.version}; reload and try again`);
      }
      const set: TicketUpdate = {};
      const changes: Record<string, [unknown, unknown]> = {};
      const change = <K extends keyof TicketRow>(key: K, value: TicketRow[K]) => {
        if (JSON.stringify(current[key]) === JSON.stringify(value)) return;
        (set as Record<string, unknown>)[key] = value;
        changes[key] = [current[key], value];
      };
      if (body.subject !== undefined) change("subject", body.subject);
      if (body.priority !== undefined) {
        change("priority", body.priority);
        if (set.priority) set.priority_rank = priorityRank(body.priority);
      }
      if (body.category_id !== undefined)
        change("category_id", body.category_id && (await resolveCategory(trx, body.category_id, "category_id")));
      if (body.group_id !== undefined) {
        if (body.group_id) {
          const group = await resolveGroup(trx, body.group_id);
          if (group.kind === "tier" && group.tier_level !== current.tier) {
            throw AppError.field(["group_id"], "that group belongs to another tier: escalate instead");
          }
        }
        change("group_id", body.group_id);
      }
      if (body.assignee_id !== undefined)
        change("assignee_id", body.assignee_id && (await resolveStaff(trx, body.assignee_id)).id);
      if (body.tags !== undefined) change("tags", dedupe(body.tags));
      if (body.collaborator_ids !== undefined) {
        for (const [i, cid] of body.collaborator_ids.entries()) await resolveStaff(trx, cid, `collaborator_ids.${i}`);
        change("collaborator_ids", dedupe(body.collaborator_ids));
      }
      if (body.status !== undefined && body.status !== current.status) {
        Object.assign(set, statusChange(current, body.status, body.resolution_code, now));
        changes.status = [current.status, body.status];
      } else if (body.resolution_code !== undefined && current.status !== "solved") {
        throw AppError.field(["resolution_code"], "only with status solved");
      }
      if (Object.keys(changes).length === 0) return;
      const ticket = await trx
        .updateTable("tickets")
        .set({ ...set, updated_at: now, version: current.version + 1 })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const events: TimelineEvent[] = [{ ticketId: id, type: "ticket.updated", at: now, data: { changes } }];
      const ids = await appendEvents(trx, actor, events);
      await runHooks(hooks, trx, {
        ticket,
        previous: current,
        events: events.map((e, i) => ({ ...e, id: ids[i]! })),
        actor,
        now,
      });
    });
    return (await findTicketView(db, id))!;
  }

  async function get(actor: Actor, id: string) {
    return assertVisible(actor, await findTicketView(db, id));
  }

  return { create, update, get };
}

/** The columns a status change sets, after checking the move is allowed. */
export function statusChange(
  current: TicketRow,
  to: TicketStatus,
  resolutionCode: ResolutionCode | undefined,
  now: Date,
): TicketUpdate {
  const check = checkTransition(current.status as TicketStatus, to);
  if (!check.ok) {
    const why =
      check.reason === "closed_is_final" ? "a closed ticket cannot change" : `${current.status} → ${to} is not allowed`;
    throw new AppError("invalid_transition", why, [{ path: ["status"], message: why }]);
  }
  if (to === "solved") {
    if (!resolutionCode) throw AppError.field(["resolution_code"], "required when solving");
    return { status: to, resolution_code: resolutionCode, solved_at: now, solved_tier: current.tier };
  }
  if (resolutionCode !== undefined) throw AppError.field(["resolution_code"], "only with status solved");
  if (to === "closed") return { status: to, closed_at: now };
  if (current.status === "solved") return { status: to, solved_at: null, resolution_code: null, solved_tier: null };
  return { status: to };
}

const dedupe = <T>(xs: T[]) => [...new Set(xs)];
