import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { sql, type Kysely, type Transaction } from "kysely";
import { PRIORITIES, checkTransition, type Priority, type ResolutionCode, type TicketStatus } from "@eskala/core";
import type { CreateTicketBody, UpdateTicketBody } from "@eskala/contracts";
import type { Actor } from "../auth/actor.ts";
import type { DB, GroupRow, NewTicket, TicketRow } from "../db/schema.ts";
import { AppError } from "../lib/app-error.ts";
import { adminOnlyField, assertStaff, assertVisible } from "./ticket-access.ts";
import type { TimelineEvent } from "./ticket-events.ts";
import { recordChange, type TicketHook } from "./ticket-hooks.ts";
import {
  defaultEntryGroup,
  findOrCreateCustomers,
  resolveCategory,
  resolveGroup,
  resolveStaff,
} from "./ticket-refs.ts";
import {
  findTicketForUpdate,
  findTicketView,
  findTicketViews,
  updateTicket,
  type TicketPatch,
  type TicketView,
} from "./ticket.repo.ts";
import { deferWrites, flushDeferred } from "../db/deferred.ts";
import { createGroupCommit, type Settled } from "../db/group-commit.ts";
import { saveAttachments } from "./attachments.ts";
import { notifyCollaborators } from "./collaborators.ts";

export const priorityRank = (p: Priority) => PRIORITIES.indexOf(p);

export type TicketService = ReturnType<typeof createTicketService>;

/** What a new ticket takes from its group. */
type EntryGroup = Pick<GroupRow, "id" | "tier_level">;

/** A creation checked and waiting for its group's transaction. */
interface Creation {
  actor: Actor;
  body: CreateTicketBody;
  now: Date;
  createdAt: Date;
  solvedAt: Date | null;
  /**
   * Runs a function in the async context of the request that submitted this creation: its hooks
   * read what that request set around its call (the inbound mail's Message-ID), not the context of
   * whichever request happened to start the group.
   */
  inContext: <R>(fn: () => R) => R;
}

/** Creating and changing tickets: every change is one transaction with its timeline events and hooks. */
export function createTicketService(deps: {
  db: Kysely<DB>;
  hooks: TicketHook[];
  /** The group a new ticket lands in when none is given (the org cache's answer); a query by default. */
  entryGroup?: (trx: Transaction<DB>) => Promise<EntryGroup | undefined>;
  /**
   * The SLA policy a new ticket will get (the SLA part's answer), so the ticket is inserted with it
   * and the SLA hook need not write the row a second time; undefined leaves it to the hook.
   */
  initialPolicy?: (trx: Transaction<DB>, draft: NewTicket) => Promise<string | null | undefined>;
}) {
  const { db, hooks } = deps;
  const entryGroupOf = deps.entryGroup ?? defaultEntryGroup;
  // Concurrent creations share transactions: under load a group holds what arrived meanwhile.
  const creations = createGroupCommit<Creation, TicketView>({
    max: 32,
    inFlight: 2,
    run: (items) => createGroup(items),
  });

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
      // Priority and tags choose the SLA targets and routing: our team sets them, not the requester.
      const staffOnly = (["priority", "tags"] as const).filter((f) => body[f] !== undefined);
      if (staffOnly.length)
        throw new AppError(
          "validation_failed",
          `Customers cannot set ${staffOnly.join(" or ")}; our team sets them`,
          staffOnly.map((f) => ({ path: [f], message: "set by the support team" })),
        );
    } else if (!body.requester) {
      throw AppError.field(["requester"], "required");
    }
    const createdAt = body.created_at ? new Date(body.created_at) : now;
    if (createdAt.getTime() > now.getTime() + 60_000) throw AppError.field(["created_at"], "must not be in the future");
    const solvedAt = body.solved_at ? new Date(body.solved_at) : null;
    if (solvedAt && !body.created_at) throw AppError.field(["solved_at"], "needs created_at (imports only)");
    if (solvedAt && (solvedAt < createdAt || solvedAt > now))
      throw AppError.field(["solved_at"], "must lie between created_at and now");

    return creations.submit({ actor, body, now, createdAt, solvedAt, inContext: AsyncLocalStorage.snapshot() });
  }

  /**
   * Writes a group of creations in one transaction (group commit: see db/group-commit.ts): the
   * references of every item are checked first, so a bad one is refused alone and writes nothing;
   * then the tickets go in with one statement, each with its events and hooks, the timeline and
   * the other deferrable rows written once for all. If the transaction fails anyway (a database
   * error), each item is tried again on its own so only its requester sees the error.
   */
  async function createGroup(items: Creation[]): Promise<Settled<TicketView>[]> {
    try {
      return await db.transaction().execute(async (trx) => {
        deferWrites(trx, { idsHint: 2 * items.length }); // created, and assigned when routed
        const results: (Settled<string> | undefined)[] = new Array(items.length);
        await writeCreations(trx, items, results);
        await flushDeferred(trx);
        const ids = results.flatMap((r) => (r?.ok ? [r.value] : []));
        const views = ids.length ? await findTicketViews(trx, ids) : new Map<string, TicketView>();
        return results.map((r): Settled<TicketView> => {
          if (!r) return { ok: false, error: new Error("creation was not written") };
          if (!r.ok) return r;
          const view = views.get(r.value);
          return view ? { ok: true, value: view } : { ok: false, error: new Error("created ticket not found") };
        });
      });
    } catch (error) {
      if (items.length === 1) return [{ ok: false, error }];
      const alone: Settled<TicketView>[] = [];
      for (const item of items) alone.push(...(await createGroup([item])));
      return alone;
    }
  }

  async function writeCreations(trx: Transaction<DB>, items: Creation[], results: (Settled<string> | undefined)[]) {
    // 1. References, read only: an unknown category or group refuses that item, nothing written for it.
    let entryGroup: Promise<EntryGroup | undefined> | undefined;
    const refs: ({ categoryId: string | null; group: EntryGroup | undefined } | null)[] = [];
    for (const [i, { body }] of items.entries()) {
      try {
        const categoryId = body.category ? await resolveCategory(trx, body.category) : null;
        const group = body.group_id ? await resolveGroup(trx, body.group_id) : await (entryGroup ??= entryGroupOf(trx));
        refs.push({ categoryId, group });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        results[i] = { ok: false, error };
        refs.push(null);
      }
    }
    const accepted = items.flatMap((item, i) => (refs[i] ? [{ item, i, ref: refs[i]! }] : []));
    if (accepted.length === 0) return;
    // 2. Requesters: the known ones in one query, a new address created.
    const customers = await findOrCreateCustomers(
      trx,
      accepted.flatMap(({ item }) => (item.actor.role === "customer" ? [] : [item.body.requester!])),
      accepted[0]!.item.now,
    );
    // 3. The tickets, in one statement; then each one's events and hooks.
    const rows = accepted.map(({ item, ref }): NewTicket & { id: string } => {
      const { actor, body, createdAt, solvedAt } = item;
      const requester =
        actor.role === "customer"
          ? { id: actor.userId, organization_id: actor.organizationId, language: actor.language }
          : customers.get(body.requester!.email.trim().toLowerCase())!;
      const tier = ref.group?.tier_level ?? 1;
      const priority = body.priority ?? "medium";
      return {
        id: randomUUID(),
        subject: body.subject,
        description: body.description,
        requester_id: requester.id,
        organization_id: requester.organization_id,
        channel: body.channel ?? (actor.role === "customer" ? "web" : "api"),
        status: solvedAt ? "solved" : "new",
        priority,
        priority_rank: priorityRank(priority),
        language: body.language ?? requester.language,
        category_id: ref.categoryId,
        tags: dedupe(body.tags ?? []),
        tier,
        group_id: ref.group?.id ?? null,
        resolution_code: solvedAt ? (body.resolution_code ?? "answered") : null,
        solved_tier: solvedAt ? tier : null,
        solved_at: solvedAt,
        created_at: createdAt,
        updated_at: solvedAt ?? createdAt,
        tier_entered_at: createdAt, // as the SLA ledger of a new ticket will say
      };
    });
    for (const row of rows) {
      const policy = await deps.initialPolicy?.(trx, row);
      if (policy !== undefined) row.sla_policy_id = policy;
    }
    const inserted = await trx
      .insertInto("tickets")
      .values(
        rows.map(({ sla_policy_id: policy, ...row }) => ({
          ...row,
          // Only while the policy still exists: another process's configuration may be seconds old.
          sla_policy_id: policy ? sql<string>`(select p.id from sla_policies p where p.id = ${policy})` : null,
        })),
      )
      .returningAll()
      .execute();
    const byId = new Map(inserted.map((t) => [t.id, t]));
    for (const [k, { item, i }] of accepted.entries()) {
      await item.inContext(() => writeCreated(trx, item, byId.get(rows[k]!.id)!));
      results[i] = { ok: true, value: rows[k]!.id };
    }
  }

  /** A new ticket's events and hooks, in the transaction of its group. */
  async function writeCreated(trx: Transaction<DB>, item: Creation, ticket: TicketRow) {
    const { actor, body, now, createdAt, solvedAt } = item;
    if (body.attachments?.length) await saveAttachments(trx, ticket.id, null, body.attachments);
    const events: TimelineEvent[] = [
      {
        ticketId: ticket.id,
        type: body.created_at ? "ticket.imported" : "ticket.created",
        at: createdAt,
        data: {
          channel: ticket.channel,
          priority: ticket.priority,
          tier: ticket.tier,
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
    await recordChange(hooks, trx, actor, { ticket, previous: null, events, actor, now });
  }

  async function update(actor: Actor, id: string, body: UpdateTicketBody, now: Date) {
    await db.transaction().execute((trx) => updateInTrx(trx, actor, id, body, now));
    return (await findTicketView(db, id))!;
  }

  /** A change in the caller's transaction (a macro writes its reply and its field changes together). */
  async function updateInTrx(trx: Transaction<DB>, actor: Actor, id: string, body: UpdateTicketBody, now: Date) {
    const current = assertVisible(actor, await findTicketForUpdate(trx, id));
    assertStaff(actor, "Changing a ticket");
    if (body.expected_version !== undefined && body.expected_version !== current.version) {
      throw new AppError("version_conflict", `The ticket is at version ${current.version}; reload and try again`);
    }
    const set: TicketPatch = {};
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
    const ticket = await updateTicket(trx, current, set, now);
    const events: TimelineEvent[] = [{ ticketId: id, type: "ticket.updated", at: now, data: { changes } }];
    if (set.collaborator_ids) {
      const added = set.collaborator_ids.filter((c) => !current.collaborator_ids.includes(c));
      await notifyCollaborators(trx, {
        kind: "collaborator.added",
        userIds: added,
        actorId: actor.via === "system" ? null : actor.userId,
        ticket,
        key: `${id}:${ticket.version}`,
        now,
      });
    }
    await recordChange(hooks, trx, actor, { ticket, previous: current, events, actor, now });
  }

  async function get(actor: Actor, id: string) {
    return assertVisible(actor, await findTicketView(db, id));
  }

  return { create, update, updateInTrx, get };
}

/** The columns a status change sets, after checking the move is allowed. */
export function statusChange(
  current: TicketRow,
  to: TicketStatus,
  resolutionCode: ResolutionCode | undefined,
  now: Date,
): TicketPatch {
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
