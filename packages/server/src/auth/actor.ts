import type { Role } from "@eskala/core";
import { forbidden } from "../lib/app-error.ts";
import { AppError } from "../lib/app-error.ts";

/** Who is acting: resolved once per request and handed to services, which check powers themselves. */
export interface Actor {
  userId: string;
  role: Role;
  name: string;
  email: string;
  language: "id" | "en";
  organizationId: string | null;
  /** The organization lets its members see each other's tickets. */
  orgShared: boolean;
  tier: number | null;
  groupIds: string[];
  /** Groups this user supervises. */
  supervisedGroupIds: string[];
  via: "session" | "token" | "system";
}

const RANK: Record<Role, number> = { customer: 0, agent: 1, supervisor: 2, admin: 3 };

export const isStaff = (actor: Actor) => actor.role !== "customer";
export const atLeast = (actor: Actor, role: Role) => RANK[actor.role] >= RANK[role];

export function requireRole(actor: Actor | null, role: Role): Actor {
  if (!actor) throw new AppError("unauthenticated", "Sign in or send a bearer token");
  if (!atLeast(actor, role)) throw forbidden(`This needs the ${role} role`);
  return actor;
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new AppError("unauthenticated", "Sign in or send a bearer token");
  return actor;
}

/** The system itself (timers, rules, mail intake) acting with admin powers. */
export const SYSTEM_ACTOR: Actor = {
  userId: "00000000-0000-0000-0000-000000000000",
  role: "admin",
  name: "Eskala",
  email: "system@eskala.local",
  language: "en",
  organizationId: null,
  orgShared: false,
  tier: null,
  groupIds: [],
  supervisedGroupIds: [],
  via: "system",
};
