import { sql, type Kysely } from "kysely";
import type { z } from "zod";
import type {
  CreateCategoryBody,
  CreateGroupBody,
  CreateOrganizationBody,
  CreateTierBody,
  UpdateCategoryBody,
  UpdateGroupBody,
  UpdateOrganizationBody,
  UpdateTierBody,
} from "@eskala/contracts";
import { atLeast, type Actor } from "../auth/actor.ts";
import { audited, setAuditActor } from "../audit/audit.repo.ts";
import type { DB } from "../db/schema.ts";
import { AppError, forbidden, notFound } from "../lib/app-error.ts";
import type { Executor } from "../tickets/ticket-events.ts";

type In<T extends z.ZodType> = z.infer<T>;

const requireAdmin = (actor: Actor) => {
  if (actor.role !== "admin") throw forbidden("Admins configure this");
};
const requireStaff = (actor: Actor) => {
  if (!atLeast(actor, "agent")) throw forbidden("Staff only");
};

/** Unique-name clashes become a 409 naming the field instead of a database error. */
async function uniqueName(
  db: Executor,
  table: "groups" | "categories" | "organizations",
  name: string,
  exceptId?: string,
) {
  let q = db
    .selectFrom(table)
    .select("id")
    .where(sql<boolean>`lower(name) = ${name.toLowerCase()}`);
  if (exceptId) q = q.where("id", "!=", exceptId);
  if (await q.executeTakeFirst())
    throw new AppError("conflict", `'${name}' exists already`, [{ path: ["name"], message: "already used" }]);
}

export type OrgService = ReturnType<typeof createOrgService>;

/** The group fields a supervisor of the group may change. */
const SUPERVISOR_GROUP_FIELDS = new Set(["name", "supervisor_ids"]);

/** The structure escalation moves through: tiers, groups and departments, organizations, categories. */
export function createOrgService(deps: { db: Kysely<DB>; onChange?: () => void }) {
  const { db } = deps;
  const changed = <T>(value: T): T => {
    deps.onChange?.();
    return value;
  };

  async function presentGroups(ids?: string[]) {
    let q = db.selectFrom("groups").selectAll();
    if (ids) q = q.where("id", "in", ids.length ? ids : ["00000000-0000-0000-0000-000000000000"]);
    const groups = await q.orderBy("kind", "desc").orderBy("tier_level").orderBy("name").execute();
    const [sups, members] = await Promise.all([
      db.selectFrom("group_supervisors").selectAll().orderBy("position").execute(),
      db.selectFrom("group_members").selectAll().execute(),
    ]);
    return groups.map((g) => ({
      id: g.id,
      name: g.name,
      kind: g.kind,
      tier: g.tier_level,
      is_default: g.is_default,
      email_address: g.email_address,
      supervisor_ids: sups.filter((s) => s.group_id === g.id).map((s) => s.user_id),
      member_ids: members.filter((m) => m.group_id === g.id).map((m) => m.user_id),
    }));
  }

  async function checkGroupRefs(
    trx: Executor,
    body: { tier?: number | null; supervisor_ids?: string[]; kind?: string },
  ) {
    if (body.tier !== undefined && body.tier !== null) {
      if (!(await trx.selectFrom("tiers").select("level").where("level", "=", body.tier).executeTakeFirst()))
        throw AppError.field(["tier"], "unknown tier");
    }
    if (body.kind === "tier" && (body.tier === null || body.tier === undefined))
      throw AppError.field(["tier"], "a tier group needs its tier");
    for (const [i, id] of (body.supervisor_ids ?? []).entries()) {
      const u = await trx.selectFrom("users").select("role").where("id", "=", id).executeTakeFirst();
      if (!u || (u.role !== "supervisor" && u.role !== "admin"))
        throw AppError.field(["supervisor_ids", i], "not a supervisor");
    }
  }

  async function setSupervisors(trx: Executor, groupId: string, ids: string[]) {
    await trx.deleteFrom("group_supervisors").where("group_id", "=", groupId).execute();
    if (ids.length)
      await trx
        .insertInto("group_supervisors")
        .values(ids.map((user_id, position) => ({ group_id: groupId, user_id, position })))
        .execute();
  }

  return {
    // --- tiers
    async listTiers(actor: Actor) {
      requireStaff(actor);
      return db.selectFrom("tiers").selectAll().orderBy("level").execute();
    },
    async createTier(actor: Actor, body: In<typeof CreateTierBody>) {
      requireAdmin(actor);
      if (await db.selectFrom("tiers").select("level").where("level", "=", body.level).executeTakeFirst()) {
        throw new AppError("conflict", `Tier ${body.level} exists`, [{ path: ["level"], message: "already used" }]);
      }
      return changed(
        await audited(db, actor, null, (trx) =>
          trx.insertInto("tiers").values(body).returningAll().executeTakeFirstOrThrow(),
        ),
      );
    },
    async updateTier(actor: Actor, level: number, body: In<typeof UpdateTierBody>) {
      requireAdmin(actor);
      const row = await audited(db, actor, null, (trx) =>
        trx.updateTable("tiers").set(body).where("level", "=", level).returningAll().executeTakeFirst(),
      );
      if (!row) throw notFound("tier");
      return changed(row);
    },

    // --- groups and departments
    async listGroups(actor: Actor) {
      requireStaff(actor);
      return presentGroups();
    },
    async createGroup(actor: Actor, body: In<typeof CreateGroupBody>) {
      requireAdmin(actor);
      const id = await db.transaction().execute(async (trx) => {
        await setAuditActor(trx, actor, null);
        await uniqueName(trx, "groups", body.name);
        await checkGroupRefs(trx, body);
        if (body.kind === "department" && body.is_default)
          throw AppError.field(["is_default"], "only tier groups are a tier's default");
        if (body.is_default)
          await trx
            .updateTable("groups")
            .set({ is_default: false })
            .where("tier_level", "=", body.tier)
            .where("kind", "=", "tier")
            .execute();
        const g = await trx
          .insertInto("groups")
          .values({
            name: body.name,
            kind: body.kind,
            tier_level: body.tier,
            is_default: body.is_default,
            email_address: body.email_address ?? null,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await setSupervisors(trx, g.id, body.supervisor_ids);
        return changed(g.id);
      });
      return changed((await presentGroups([id]))[0]!);
    },
    async updateGroup(actor: Actor, id: string, body: In<typeof UpdateGroupBody>) {
      const group = await db.selectFrom("groups").selectAll().where("id", "=", id).executeTakeFirst();
      if (!group) throw notFound("group");
      const ownSupervisor = actor.role === "supervisor" && actor.supervisedGroupIds.includes(id);
      // Allowed by name: a supervisor renames their group and sets its supervisors, nothing else
      // (the tier, the default and the inbound email address, where customers' mail lands, are an admin's).
      const adminFields = Object.entries(body)
        .filter(([k, v]) => v !== undefined && !SUPERVISOR_GROUP_FIELDS.has(k))
        .map(([k]) => k);
      if (actor.role !== "admin" && !(ownSupervisor && adminFields.length === 0)) {
        throw new AppError(
          "forbidden",
          "Admins configure groups; supervisors may rename theirs and set their supervisors",
          adminFields.map((f) => ({ path: [f], message: "admins only" })),
        );
      }
      await db.transaction().execute(async (trx) => {
        await setAuditActor(trx, actor, null);
        if (body.name) await uniqueName(trx, "groups", body.name, id);
        await checkGroupRefs(trx, {
          ...body,
          kind: group.kind,
          tier: body.tier === undefined ? group.tier_level : body.tier,
        });
        const tier = body.tier === undefined ? group.tier_level : body.tier;
        if (body.is_default)
          await trx
            .updateTable("groups")
            .set({ is_default: false })
            .where("tier_level", "=", tier)
            .where("kind", "=", "tier")
            .execute();
        const set = {
          ...(body.name ? { name: body.name } : {}),
          ...(body.tier !== undefined ? { tier_level: body.tier } : {}),
          ...(body.is_default !== undefined ? { is_default: body.is_default } : {}),
          ...(body.email_address !== undefined ? { email_address: body.email_address } : {}),
        };
        if (Object.keys(set).length) await trx.updateTable("groups").set(set).where("id", "=", id).execute();
        if (body.supervisor_ids) await setSupervisors(trx, id, body.supervisor_ids);
      });
      return changed((await presentGroups([id]))[0]!);
    },

    // --- organizations
    async listOrganizations(actor: Actor) {
      requireStaff(actor);
      return db
        .selectFrom("organizations")
        .select(["id", "name", "segment", "domain", "shared_tickets"])
        .orderBy("name")
        .execute();
    },
    async createOrganization(actor: Actor, body: In<typeof CreateOrganizationBody>) {
      requireAdmin(actor);
      await uniqueName(db, "organizations", body.name);
      const created = await db
        .insertInto("organizations")
        .values(body)
        .returning(["id", "name", "segment", "domain", "shared_tickets"])
        .executeTakeFirstOrThrow();
      return changed(created);
    },
    async updateOrganization(actor: Actor, id: string, body: In<typeof UpdateOrganizationBody>) {
      requireAdmin(actor);
      if (body.name) await uniqueName(db, "organizations", body.name, id);
      const row = Object.keys(body).length
        ? await db
            .updateTable("organizations")
            .set(body)
            .where("id", "=", id)
            .returning(["id", "name", "segment", "domain", "shared_tickets"])
            .executeTakeFirst()
        : await db
            .selectFrom("organizations")
            .select(["id", "name", "segment", "domain", "shared_tickets"])
            .where("id", "=", id)
            .executeTakeFirst();
      if (!row) throw notFound("organization");
      return changed(row);
    },

    // --- categories (and the category → skill map)
    async listCategories(actor: Actor | null) {
      void actor; // customers pick a category on the portal's form, so any signed-in user may list them
      return db.selectFrom("categories").select(["id", "name", "skill", "skill_level"]).orderBy("name").execute();
    },
    async createCategory(actor: Actor, body: In<typeof CreateCategoryBody>) {
      requireAdmin(actor);
      await uniqueName(db, "categories", body.name);
      const created = await audited(db, actor, null, (trx) =>
        trx
          .insertInto("categories")
          .values({ ...body, skill: body.skill?.toLowerCase() ?? null })
          .returning(["id", "name", "skill", "skill_level"])
          .executeTakeFirstOrThrow(),
      );
      return changed(created);
    },
    async updateCategory(actor: Actor, id: string, body: In<typeof UpdateCategoryBody>) {
      requireAdmin(actor);
      if (body.name) await uniqueName(db, "categories", body.name, id);
      const set = { ...body, ...(body.skill !== undefined ? { skill: body.skill?.toLowerCase() ?? null } : {}) };
      const row = Object.keys(set).length
        ? await audited(db, actor, null, (trx) =>
            trx
              .updateTable("categories")
              .set(set)
              .where("id", "=", id)
              .returning(["id", "name", "skill", "skill_level"])
              .executeTakeFirst(),
          )
        : await db
            .selectFrom("categories")
            .select(["id", "name", "skill", "skill_level"])
            .where("id", "=", id)
            .executeTakeFirst();
      if (!row) throw notFound("category");
      return changed(row);
    },
  };
}
