/** Ticket vocabulary shared by every part of Eskala (PRODUCT.md §2). */

export const TICKET_STATUSES = ["new", "open", "pending", "on_hold", "solved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const PRIORITIES = ["low", "medium", "high", "urgent"] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CHANNELS = ["email", "web", "chat", "phone", "api", "whatsapp"] as const;
export type Channel = (typeof CHANNELS)[number];

export const RESOLUTION_CODES = ["answered", "fixed", "refund", "credit", "replacement", "workaround", "wont_fix"] as const;
export type ResolutionCode = (typeof RESOLUTION_CODES)[number];

export const ROLES = ["customer", "agent", "supervisor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const PRESENCES = ["online", "away", "offline"] as const;
export type Presence = (typeof PRESENCES)[number];

export const LANGUAGES = ["id", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

export const GROUP_KINDS = ["tier", "department"] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

/** The fields of a ticket that decisions in core look at (rules, SLA policies, routing). */
export interface TicketFacts {
  id: string;
  number: number;
  status: TicketStatus;
  priority: Priority;
  channel: Channel;
  /** Tier level (0-3 by default). */
  tier: number;
  groupId: string | null;
  assigneeId: string | null;
  requesterId: string;
  organizationId: string | null;
  /** Customer segment of the requester's organization, e.g. `vip`. */
  segment: string | null;
  categoryId: string | null;
  tags: string[];
  language: Language;
  subject: string;
  createdAt: Date;
}
