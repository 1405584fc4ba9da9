import { z } from "zod";
import { GROUP_KINDS, PRESENCES, ROLES } from "@eskala/core";
import { Email, Id, Instant, LIMITS, nonEmptyPatch } from "./common.ts";
import { Language } from "./tickets.ts";

const Name = z.string().trim().min(1).max(LIMITS.name);
export const Role = z.enum(ROLES);
export const Presence = z.enum(PRESENCES);
export const GroupKind = z.enum(GROUP_KINDS);

export const Skill = z.strictObject({ skill: z.string().trim().min(1).max(60), level: z.number().int().min(1).max(5) });

export const AgentProfile = z.strictObject({
  tier: z.number().int().min(0).max(20),
  group_ids: z.array(Id).max(50).default([]),
  skills: z.array(Skill).max(100).default([]),
  languages: z.array(Language).min(1).max(5).default(["id"]),
  capacity: z.number().int().min(0).max(1000).default(20),
  presence: Presence.default("offline"),
});

/** A profile change: only the fields sent are changed (no defaults, unlike creation). */
export const AgentProfilePatch = z.strictObject({
  tier: z.number().int().min(0).max(20).optional(),
  group_ids: z.array(Id).max(50).optional(),
  skills: z.array(Skill).max(100).optional(),
  languages: z.array(Language).min(1).max(5).optional(),
  capacity: z.number().int().min(0).max(1000).optional(),
  presence: Presence.optional(),
});

export const CreateUserBody = z.strictObject({
  email: Email,
  name: Name,
  role: Role,
  password: z.string().min(10).max(200).optional(),
  language: Language.default("id"),
  organization_id: Id.nullable().optional(),
  agent: AgentProfile.optional().describe("Required for agents and supervisors."),
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z.strictObject({
  name: Name.optional(),
  role: Role.optional(),
  password: z.string().min(10).max(200).optional(),
  language: Language.optional(),
  organization_id: Id.nullable().optional(),
  disabled: z.boolean().optional(),
  agent: AgentProfilePatch.optional(),
});
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const UpdateMeBody = z.strictObject({
  name: Name.optional(),
  language: Language.optional(),
  presence: Presence.optional(),
  password: z.string().min(10).max(200).optional(),
  current_password: z.string().max(200).optional(),
});

export const User = z
  .object({
    id: Id,
    email: z.string(),
    name: z.string(),
    role: Role,
    language: Language,
    organization_id: Id.nullable(),
    disabled: z.boolean(),
    created_at: Instant,
    agent: z
      .object({
        tier: z.number(),
        group_ids: z.array(Id),
        skills: z.array(z.object({ skill: z.string(), level: z.number() })),
        languages: z.array(Language),
        capacity: z.number(),
        presence: Presence,
        open_tickets: z.number(),
      })
      .nullable(),
  })
  .meta({ id: "User" });
export type User = z.infer<typeof User>;

export const Tier = z.object({ level: z.number().int(), name: z.string(), description: z.string() }).meta({ id: "Tier" });
export const CreateTierBody = z.strictObject({
  level: z.number().int().min(0).max(20),
  name: Name,
  description: z.string().max(500).default(""),
});
export const UpdateTierBody = nonEmptyPatch(
  z.strictObject({ name: Name.optional(), description: z.string().max(500).optional() }),
);

export const Group = z
  .object({
    id: Id,
    name: z.string(),
    kind: GroupKind,
    tier: z.number().int().nullable(),
    is_default: z.boolean(),
    supervisor_ids: z.array(Id),
    member_ids: z.array(Id),
    email_address: z.string().nullable(),
  })
  .meta({ id: "Group" });
export const CreateGroupBody = z.strictObject({
  name: Name,
  kind: GroupKind,
  tier: z.number().int().min(0).max(20).nullable().default(null),
  is_default: z.boolean().default(false).describe("The group a ticket lands in when escalated to this tier."),
  supervisor_ids: z.array(Id).max(20).default([]),
  email_address: z.string().max(120).nullable().optional(),
});
export const UpdateGroupBody = nonEmptyPatch(
  z.strictObject({
    name: Name.optional(),
    tier: z.number().int().min(0).max(20).nullable().optional(),
    is_default: z.boolean().optional(),
    supervisor_ids: z.array(Id).max(20).optional(),
    email_address: z.string().max(120).nullable().optional(),
  }),
);

export const Organization = z
  .object({ id: Id, name: z.string(), segment: z.string().nullable(), domain: z.string().nullable(), shared_tickets: z.boolean() })
  .meta({ id: "Organization" });
const organizationFields = {
  name: Name,
  segment: z.string().trim().min(1).max(40).nullable(),
  domain: z.string().trim().max(200).nullable(),
  shared_tickets: z.boolean().describe("Members may see the organization's tickets."),
};
export const CreateOrganizationBody = z.strictObject({
  ...organizationFields,
  segment: organizationFields.segment.default(null),
  domain: organizationFields.domain.default(null),
  shared_tickets: organizationFields.shared_tickets.default(false),
});
/** Only the fields sent change: zod applies defaults inside optional fields, so the patch has none. */
export const UpdateOrganizationBody = nonEmptyPatch(z.strictObject(organizationFields).partial());

export const Category = z
  .object({ id: Id, name: z.string(), skill: z.string().nullable(), skill_level: z.number().int() })
  .meta({ id: "Category" });
const categoryFields = {
  name: Name,
  skill: z.string().trim().min(1).max(60).nullable().describe("The skill an agent needs for this category."),
  skill_level: z.number().int().min(1).max(5),
};
export const CreateCategoryBody = z.strictObject({
  ...categoryFields,
  skill: categoryFields.skill.default(null),
  skill_level: categoryFields.skill_level.default(1),
});
export const UpdateCategoryBody = nonEmptyPatch(z.strictObject(categoryFields).partial());

export const ApiToken = z
  .object({ id: Id, name: z.string(), user_id: Id, created_at: Instant, last_used_at: Instant.nullable() })
  .meta({ id: "ApiToken" });
export const CreateApiTokenBody = z.strictObject({ name: Name, user_id: Id.optional().describe("Defaults to the admin.") });

export const LoginBody = z.strictObject({ email: Email, password: z.string().min(1).max(200) });
export const Session = z.object({ user: User, csrf_token: z.string() }).meta({ id: "Session" });
/** Asks for a sign-in link by email: answered 202 whether or not the address has an account. */
export const MagicLinkBody = z.strictObject({ email: Email });
/** Signs in with the token of an emailed sign-in link (single use, 15 minutes). */
export const RedeemMagicLinkBody = z.strictObject({ token: z.string().min(1).max(300) });
