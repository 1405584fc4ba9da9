import { describe, expect, it } from "vitest";
import { composeHandoff, shortenText, type HandoffFacts } from "./handoff.ts";

const at = (s: string) => new Date(`2026-03-02T${s}:00Z`);
const NOW = at("15:00");

function facts(over: Partial<HandoffFacts> = {}): HandoffFacts {
  return {
    description: "Pembayaran saya gagal",
    createdAt: at("09:00"),
    firstCustomerMessage: { body: "Pembayaran saya gagal tiga kali dengan kartu kredit.", at: at("09:00") },
    latestCustomerMessage: { body: "Masih gagal. Tolong segera dibantu!", at: at("13:30") },
    lastAgentReply: { body: "Kami sedang memeriksa transaksi Anda.", at: at("10:00"), authorName: "Agen Satu" },
    notesCount: 2,
    latestNote: { body: "Gateway returns 502 for BIN 4111", at: at("11:00"), authorName: "Agen Satu" },
    tierEnteredAt: at("09:00"),
    businessMinutesInTier: 240,
    sla: [
      { target: "first_response", state: "warning", dueAt: at("10:00"), threshold: 0.5 },
      { target: "resolution", state: "warning", dueAt: at("14:00"), threshold: 0.75 },
      { target: "resolution", state: "breached", dueAt: at("14:00") },
    ],
    nextDue: { target: "next_response", at: at("16:30") },
    fromTier: 1,
    toTier: 2,
    cause: { kind: "deadline", ruleName: "SLA terlewati", event: "sla.breached", target: "resolution" },
    ...over,
  };
}

describe("shortenText", () => {
  it("keeps a short message as it is, white space collapsed", () => {
    expect(shortenText("  Halo,\n\n  tolong   bantu  ")).toEqual({ text: "Halo, tolong bantu", shortened: false });
  });

  it("cuts a long message at a word boundary and marks it", () => {
    const text = "The invoice for March shows a duplicate charge for the premium plan and nobody answered";
    const s = shortenText(text, 40);
    expect(s).toEqual({ text: "The invoice for March shows a duplicate…", shortened: true });
    expect([...s.text].length).toBeLessThanOrEqual(41);
  });

  it("cuts Indonesian text at a word boundary, never inside a word", () => {
    const s = shortenText("Tagihan bulan Maret menunjukkan biaya ganda untuk paket premium", 30);
    expect(s.text).toBe("Tagihan bulan Maret…");
    expect(s.shortened).toBe(true);
  });

  it("cuts one overlong word inside it rather than returning nothing", () => {
    expect(shortenText("x".repeat(50), 10)).toEqual({ text: `${"x".repeat(10)}…`, shortened: true });
  });

  it("drops quoted reply lines of an email", () => {
    expect(shortenText("Still broken.\n> On Monday you wrote:\n> try again").text).toBe("Still broken.");
  });

  it("counts characters, not UTF-16 units (emoji stay whole)", () => {
    const s = shortenText("😀 ".repeat(30), 9);
    expect(s.text).toBe("😀 😀 😀 😀 😀…");
  });
});

describe("composeHandoff", () => {
  it("says what the customer asked, what was done, the SLA state and why it moved", () => {
    expect(composeHandoff(facts(), NOW)).toEqual({
      v: 1,
      asked: {
        first: {
          text: "Pembayaran saya gagal tiga kali dengan kartu kredit.",
          at: at("09:00").toISOString(),
          shortened: false,
        },
        latest: { text: "Masih gagal. Tolong segera dibantu!", at: at("13:30").toISOString(), shortened: false },
      },
      done: {
        last_reply: {
          text: "Kami sedang memeriksa transaksi Anda.",
          at: at("10:00").toISOString(),
          shortened: false,
          author: "Agen Satu",
        },
        notes_count: 2,
        latest_note: {
          text: "Gateway returns 502 for BIN 4111",
          at: at("11:00").toISOString(),
          shortened: false,
          author: "Agen Satu",
        },
        previous_note: null,
        in_tier: { since: at("09:00").toISOString(), wall_minutes: 360, business_minutes: 240 },
      },
      sla: [
        { target: "resolution", state: "breached", due_at: at("14:00").toISOString(), threshold: null },
        { target: "first_response", state: "warning", due_at: at("10:00").toISOString(), threshold: 0.5 },
      ],
      next_due: { target: "next_response", at: at("16:30").toISOString() },
      why: {
        kind: "deadline",
        rule: "SLA terlewati",
        event: "sla.breached",
        target: "resolution",
        threshold: null,
        minutes: null,
      },
      from_tier: 1,
      to_tier: 2,
    });
  });

  it("shortens long messages at a word boundary", () => {
    const long = `${"The checkout page freezes after I press pay ".repeat(10)}end`;
    const h = composeHandoff(facts({ latestCustomerMessage: { body: long, at: at("14:00") } }), NOW, 60);
    expect(h.asked.latest!.shortened).toBe(true);
    expect(h.asked.latest!.text).toBe("The checkout page freezes after I press pay The checkout…");
  });

  it("leaves out what is missing: no reply yet, no notes, no SLA, no calendar", () => {
    const h = composeHandoff(
      facts({
        lastAgentReply: null,
        notesCount: 0,
        latestNote: null,
        sla: [],
        nextDue: null,
        businessMinutesInTier: null,
        tierEnteredAt: null,
      }),
      NOW,
    );
    expect(h.done).toEqual({
      last_reply: null,
      notes_count: 0,
      latest_note: null,
      previous_note: null,
      in_tier: { since: at("09:00").toISOString(), wall_minutes: 360, business_minutes: null },
    });
    expect(h.sla).toEqual([]);
    expect(h.next_due).toBeNull();
  });

  it("uses the description when no customer message is recorded, and gives the latest only when it differs", () => {
    const h = composeHandoff(facts({ firstCustomerMessage: null, latestCustomerMessage: null }), NOW);
    expect(h.asked.first).toEqual({ text: "Pembayaran saya gagal", at: at("09:00").toISOString(), shortened: false });
    expect(h.asked.latest).toBeNull();
    const one = { body: "Only one message", at: at("09:00") };
    const same = composeHandoff(facts({ firstCustomerMessage: one, latestCustomerMessage: one }), NOW);
    expect(same.asked.latest).toBeNull();
  });

  it("has nothing to say about an empty ticket, without failing", () => {
    const h = composeHandoff(
      facts({ description: "", firstCustomerMessage: null, latestCustomerMessage: { body: "  ", at: at("10:00") } }),
      NOW,
    );
    expect(h.asked).toEqual({ first: null, latest: null });
  });

  it("records a customer's request with their own words, shortened", () => {
    const h = composeHandoff(
      facts({
        cause: { kind: "customer", reason: "too_slow", words: `Sudah tiga hari   menunggu ${"lama ".repeat(80)}` },
      }),
      NOW,
      50,
    );
    expect(h.why).toEqual({
      kind: "customer",
      reason: "too_slow",
      words: "Sudah tiga hari menunggu lama lama lama lama lama…",
    });
  });

  it("records a rule's name and event, and routing's reason", () => {
    const rule = composeHandoff(
      facts({ cause: { kind: "rule", ruleName: "Angry customer", event: "sentiment.negative" } }),
      NOW,
    );
    expect(rule.why).toEqual({
      kind: "rule",
      rule: "Angry customer",
      event: "sentiment.negative",
      target: null,
      threshold: null,
      minutes: null,
    });
    expect(composeHandoff(facts({ cause: { kind: "routing", reason: "missing_skill" } }), NOW).why).toEqual({
      kind: "routing",
      reason: "missing_skill",
    });
  });

  it("keeps the note a person left at the previous move, shortened", () => {
    const h = composeHandoff(
      facts({
        previousNote: {
          body: `Tried a refund; ${"the gateway refused it again ".repeat(20)}`,
          at: at("11:30"),
          authorName: "Agen Dua",
        },
      }),
      NOW,
      40,
    );
    expect(h.done.previous_note).toEqual({
      text: "Tried a refund; the gateway refused it…",
      at: at("11:30").toISOString(),
      shortened: true,
      author: "Agen Dua",
    });
  });

  it("does not repeat a breached target as the next deadline", () => {
    const h = composeHandoff(facts({ nextDue: { target: "resolution", at: at("14:00") } }), NOW);
    expect(h.next_due).toBeNull();
  });
});
