import { z } from "zod";
import {
  ApiToken,
  Category,
  CreateApiTokenBody,
  CreateCategoryBody,
  CreateGroupBody,
  CreateOrganizationBody,
  CreateTierBody,
  CreateUserBody,
  Group,
  Id,
  Organization,
  Problem,
  Role,
  Tier,
  UpdateCategoryBody,
  UpdateGroupBody,
  UpdateOrganizationBody,
  UpdateTierBody,
  UpdateUserBody,
  User,
} from "@eskala/contracts";
import { requireActor, requireRole } from "../auth/actor.ts";
import { AppError } from "../lib/app-error.ts";
import type { Api, Services } from "../http/context.ts";

const IdParams = z.object({ id: Id });
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };
const list = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export function adminRoutes(api: Api, s: Services): void {
  // --- users and agents
  let tags = ["users"];
  api.get(
    "/api/v1/users",
    {
      schema: {
        tags,
        summary: "List users (staff only)",
        querystring: z.object({
          role: Role.optional(),
          group_id: Id.optional(),
          q: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(200),
        }),
        response: { 200: list(User), ...errors },
      },
    },
    async (req) => ({ items: await s.users.list(requireActor(req.actor), req.query) }),
  );
  api.post(
    "/api/v1/users",
    { schema: { tags, summary: "Create a user (admins)", body: CreateUserBody, response: { 201: User, ...errors } } },
    async (req, reply) => reply.code(201).send(await s.users.create(requireActor(req.actor), req.body, s.clock.now())),
  );
  api.get(
    "/api/v1/users/:id",
    { schema: { tags, summary: "Get a user (staff only)", params: IdParams, response: { 200: User, ...errors } } },
    async (req) => {
      requireRole(req.actor, "agent");
      return s.users.getOne(req.params.id);
    },
  );
  api.patch(
    "/api/v1/users/:id",
    {
      schema: {
        tags,
        summary: "Change a user (admins; supervisors tune their agents)",
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: User, ...errors },
      },
    },
    async (req) => s.users.update(requireActor(req.actor), req.params.id, req.body),
  );

  // --- tiers
  tags = ["tiers"];
  api.get(
    "/api/v1/tiers",
    { schema: { tags, summary: "List tiers", response: { 200: list(Tier), ...errors } } },
    async (req) => ({
      items: await s.org.listTiers(requireActor(req.actor)),
    }),
  );
  api.post(
    "/api/v1/tiers",
    { schema: { tags, summary: "Add a tier", body: CreateTierBody, response: { 201: Tier, ...errors } } },
    async (req, reply) => reply.code(201).send(await s.org.createTier(requireActor(req.actor), req.body)),
  );
  api.patch(
    "/api/v1/tiers/:level",
    {
      schema: {
        tags,
        summary: "Rename a tier",
        params: z.object({ level: z.coerce.number().int().min(0).max(20) }),
        body: UpdateTierBody,
        response: { 200: Tier, ...errors },
      },
    },
    async (req) => s.org.updateTier(requireActor(req.actor), req.params.level, req.body),
  );

  // --- groups and departments
  tags = ["groups"];
  api.get(
    "/api/v1/groups",
    { schema: { tags, summary: "List groups and departments", response: { 200: list(Group), ...errors } } },
    async (req) => ({
      items: await s.org.listGroups(requireActor(req.actor)),
    }),
  );
  api.post(
    "/api/v1/groups",
    {
      schema: {
        tags,
        summary: "Create a group or department",
        body: CreateGroupBody,
        response: { 201: Group, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await s.org.createGroup(requireActor(req.actor), req.body)),
  );
  api.patch(
    "/api/v1/groups/:id",
    {
      schema: {
        tags,
        summary: "Change a group",
        params: IdParams,
        body: UpdateGroupBody,
        response: { 200: Group, ...errors },
      },
    },
    async (req) => s.org.updateGroup(requireActor(req.actor), req.params.id, req.body),
  );

  // --- organizations
  tags = ["organizations"];
  api.get(
    "/api/v1/organizations",
    { schema: { tags, summary: "List customer organizations", response: { 200: list(Organization), ...errors } } },
    async (req) => ({
      items: await s.org.listOrganizations(requireActor(req.actor)),
    }),
  );
  api.post(
    "/api/v1/organizations",
    {
      schema: {
        tags,
        summary: "Create an organization",
        body: CreateOrganizationBody,
        response: { 201: Organization, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await s.org.createOrganization(requireActor(req.actor), req.body)),
  );
  api.patch(
    "/api/v1/organizations/:id",
    {
      schema: {
        tags,
        summary: "Change an organization",
        params: IdParams,
        body: UpdateOrganizationBody,
        response: { 200: Organization, ...errors },
      },
    },
    async (req) => s.org.updateOrganization(requireActor(req.actor), req.params.id, req.body),
  );

  // --- categories
  tags = ["categories"];
  api.get(
    "/api/v1/categories",
    {
      schema: {
        tags,
        summary: "List categories with the skill each needs",
        response: { 200: list(Category), ...errors },
      },
    },
    async (req) => ({
      items: await s.org.listCategories(requireActor(req.actor)),
    }),
  );
  api.post(
    "/api/v1/categories",
    {
      schema: { tags, summary: "Create a category", body: CreateCategoryBody, response: { 201: Category, ...errors } },
    },
    async (req, reply) => reply.code(201).send(await s.org.createCategory(requireActor(req.actor), req.body)),
  );
  api.patch(
    "/api/v1/categories/:id",
    {
      schema: {
        tags,
        summary: "Change a category",
        params: IdParams,
        body: UpdateCategoryBody,
        response: { 200: Category, ...errors },
      },
    },
    async (req) => s.org.updateCategory(requireActor(req.actor), req.params.id, req.body),
  );

  // --- API tokens
  tags = ["tokens"];
  api.get(
    "/api/v1/tokens",
    { schema: { tags, summary: "List API tokens (admins)", response: { 200: list(ApiToken), ...errors } } },
    async (req) => {
      requireRole(req.actor, "admin");
      const rows = await s.database.db
        .selectFrom("api_tokens")
        .selectAll()
        .where("revoked_at", "is", null)
        .orderBy("created_at")
        .execute();
      return {
        items: rows.map((r) => ({
          id: r.id,
          name: r.name,
          user_id: r.user_id,
          created_at: r.created_at.toISOString(),
          last_used_at: r.last_used_at?.toISOString() ?? null,
        })),
      };
    },
  );
  api.post(
    "/api/v1/tokens",
    {
      schema: {
        tags,
        summary: "Create an API token; its value is shown once",
        body: CreateApiTokenBody,
        response: { 201: ApiToken.extend({ token: z.string() }), ...errors },
      },
    },
    async (req, reply) => {
      const admin = requireRole(req.actor, "admin");
      const userId = req.body.user_id ?? admin.userId;
      await s.users.getOne(userId).catch(() => {
        throw AppError.field(["user_id"], "unknown user");
      });
      const { token, row } = await s.auth.createToken(userId, req.body.name, { actor: admin, now: s.clock.now() });
      return reply.code(201).send({
        id: row.id,
        name: row.name,
        user_id: row.user_id,
        created_at: row.created_at.toISOString(),
        last_used_at: null,
        token,
      });
    },
  );
  api.delete(
    "/api/v1/tokens/:id",
    { schema: { tags, summary: "Revoke an API token", params: IdParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      const admin = requireRole(req.actor, "admin");
      await s.auth.revokeToken(req.params.id, s.clock.now(), admin);
      return reply.code(204).send(null);
    },
  );
}
