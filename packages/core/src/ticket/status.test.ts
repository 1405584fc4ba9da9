import { describe, expect, it } from "vitest";
import { checkTransition, statusAfterMessage, TICKET_STATUSES } from "./index.ts";

describe("checkTransition", () => {
  it.each([
    ["new", "open", true],
    ["open", "pending", true],
    ["pending", "on_hold", true],
    ["on_hold", "solved", true],
    ["solved", "closed", true],
    ["solved", "open", true],
    ["new", "closed", false],
    ["open", "new", false],
    ["open", "closed", false],
  ] as const)("%s → %s allowed: %s", (from, to, ok) => {
    expect(checkTransition(from, to).ok).toBe(ok);
  });

  it("closed is final for every target", () => {
    for (const to of TICKET_STATUSES.filter((s) => s !== "closed")) {
      expect(checkTransition("closed", to)).toEqual({ ok: false, reason: "closed_is_final" });
    }
  });

  it("a move to the same status is reported as such", () => {
    expect(checkTransition("open", "open")).toEqual({ ok: false, reason: "same_status" });
  });
});

describe("statusAfterMessage", () => {
  it("a customer reply re-opens a solved or pending ticket", () => {
    expect(statusAfterMessage("solved", "customer", true)).toBe("open");
    expect(statusAfterMessage("pending", "customer", true)).toBe("open");
    expect(statusAfterMessage("on_hold", "customer", true)).toBe("on_hold");
  });
  it("a closed ticket stays closed", () => {
    expect(statusAfterMessage("closed", "customer", true)).toBe("closed");
  });
  it("an agent's public reply opens a new ticket, an internal note does not", () => {
    expect(statusAfterMessage("new", "agent", true)).toBe("open");
    expect(statusAfterMessage("new", "agent", false)).toBe("new");
  });
});
