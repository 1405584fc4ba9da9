/** Policies and tickets shared by the SLA tests (not exported from the package). */
import { officeCalendar, wib } from "../calendar/test-calendars.ts";
import type { ClockTicket, SlaPolicy } from "./types.ts";

export const STANDARD: SlaPolicy = {
  id: "standard",
  name: "Standard",
  position: 10,
  conditions: {},
  calendar: officeCalendar("Asia/Jakarta"),
  pause_on_hold: true,
  targets: {
    low: { resolution: 4800 },
    medium: { first_response: 60, next_response: 120, periodic_update: 240, resolution: 960 },
    high: { first_response: 30, resolution: 480 },
    urgent: { first_response: 15 },
  },
  tier_budgets: { "1": 120, "2": 240 },
  ladder: [0.5, 0.75],
};

/** A medium ticket created Monday 2026-03-02 09:00 WIB, still new, at tier 1. */
export function ticket(overrides: Partial<ClockTicket> = {}): ClockTicket {
  return {
    priority: "medium",
    createdAt: wib("2026-03-02 09:00"),
    statusHistory: [{ status: "new", from: wib("2026-03-02 09:00"), to: null }],
    messages: [{ at: wib("2026-03-02 09:00"), author: "customer", public: true }],
    initialTier: 1,
    tierChanges: [],
    escalatedAt: null,
    ...overrides,
  };
}

/** Status history from `[status, "YYYY-MM-DD HH:MM"]` steps, each lasting until the next. */
export function history(
  ...steps: [ClockTicket["statusHistory"][number]["status"], string][]
): ClockTicket["statusHistory"] {
  return steps.map(([status, from], i) => ({
    status,
    from: wib(from),
    to: i + 1 < steps.length ? wib(steps[i + 1]![1]) : null,
  }));
}

export const reply = (at: string, isPublic = true) => ({ at: wib(at), author: "agent" as const, public: isPublic });
export const customer = (at: string) => ({ at: wib(at), author: "customer" as const, public: true });
