import { describe, expect, it } from "vitest";
import { ruleEventSentence } from "./event-sentence.ts";
import { RULE_EVENT_TYPES, SLA_TARGETS } from "./types.ts";

const raw = /[a-z]+[._][a-z_]+|[{}]|undefined|NaN/;

describe("ruleEventSentence", () => {
  it.each(["en", "id"] as const)("words every rule event and SLA target in %s without raw names", (lang) => {
    const seen = new Set<string>();
    for (const type of RULE_EVENT_TYPES) {
      for (const data of [
        {},
        ...SLA_TARGETS.map((target) => ({ target })),
        { target: "resolution" as const, threshold: 0.75 },
      ]) {
        const text = ruleEventSentence({ type, data }, lang);
        expect(text, `${type} ${JSON.stringify(data)}`).not.toMatch(raw);
        expect(text).toMatch(/\.$/);
        seen.add(text);
      }
    }
    expect(seen.size).toBeGreaterThan(RULE_EVENT_TYPES.length);
  });

  it("says how far an SLA target is, in the reader's language", () => {
    const warning = { type: "sla.warning" as const, data: { target: "first_response" as const, threshold: 0.5 } };
    expect(ruleEventSentence(warning, "en")).toBe("50% of the first response time is used.");
    expect(ruleEventSentence(warning, "id")).toBe("50% waktu respons pertama sudah terpakai.");
    const breach = { type: "sla.breached" as const, data: { target: "resolution" as const } };
    expect(ruleEventSentence(breach, "id")).toBe("Target penyelesaian terlewati.");
  });
});
