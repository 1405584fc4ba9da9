import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeSentiment, LABEL_THRESHOLD, STRONGLY_NEGATIVE_SCORE } from "./analyze-sentiment.ts";
import { LEXICON, NEGATORS } from "./lexicon.ts";
import { expandPattern } from "./lexicon-index.ts";
import { clausesOf } from "./tokenize.ts";

describe("analyzeSentiment — mechanics", () => {
  it.each([
    ["kecewa", "tidak kecewa"],
    ["kecewa", "nggak kecewa"],
    ["kecewa", "gak kecewa"],
    ["kecewa", "enggak kecewa"],
    ["masalah", "bukan masalah"],
    ["disappointed", "not disappointed"],
    ["disappointed", "never disappointed"],
    ["complaints", "no complaints"],
    ["bad", "not bad"],
    ["terrible", "isn't terrible"],
  ])("negation turns %s into a non-negative %s", (plain, negated) => {
    expect(analyzeSentiment(plain).score).toBeLessThan(0);
    expect(analyzeSentiment(negated).score).toBeGreaterThanOrEqual(0);
    expect(analyzeSentiment(negated).label).not.toBe("negative");
  });

  it.each([
    ["puas", "belum puas"],
    ["helpful", "not helpful"],
    ["happy", "not very happy"],
  ])("negation turns the praise %s into a complaint: %s", (plain, negated) => {
    expect(analyzeSentiment(plain).score).toBeGreaterThan(0);
    expect(analyzeSentiment(negated).score).toBeLessThan(0);
  });

  it("negation reaches three words back, not further, and stops at a clause break", () => {
    expect(analyzeSentiment("saya tidak pernah merasa kecewa").matches).toEqual(["!kecewa"]);
    expect(analyzeSentiment("tidak ada yang bilang saya kecewa").matches).toEqual(["kecewa"]);
    expect(analyzeSentiment("not cheap, and terrible").matches).toEqual(["terrible"]);
    expect(analyzeSentiment("not cheap but terrible").matches).toEqual(["terrible"]);
  });

  it.each([
    ["kecewa", "sangat kecewa"],
    ["kecewa", "kecewa banget"],
    ["lambat", "lambat sekali"],
    ["slow", "extremely slow"],
    ["disappointed", "so disappointed"],
  ])("an intensifier makes %s stronger: %s", (plain, intensified) => {
    expect(analyzeSentiment(intensified).score).toBeLessThan(analyzeSentiment(plain).score);
  });

  it("shouting and repeated exclamation marks are mild boosts of a complaint", () => {
    const calm = analyzeSentiment("this is unacceptable, the order is late").score;
    const loud = analyzeSentiment("THIS IS UNACCEPTABLE, THE ORDER IS LATE").score;
    const bangs = analyzeSentiment("this is unacceptable, the order is late!!!").score;
    expect(loud).toBeLessThan(calm);
    expect(bangs).toBeLessThan(calm);
    expect(calm - loud).toBeLessThan(0.3);
  });

  it("shouting alone does not make a neutral message negative, nor a thank-you less positive", () => {
    expect(analyzeSentiment("WHAT ARE YOUR OPENING HOURS ON SATURDAY?").label).toBe("neutral");
    expect(analyzeSentiment("THANK YOU SO MUCH!!!").score).toBe(analyzeSentiment("thank you so much").score);
  });

  it("reads informal spellings: elongation, 3x, reduplication with 2", () => {
    expect(analyzeSentiment("kecewaaa").matches).toEqual(["kecewa"]);
    expect(analyzeSentiment("udah 3x nanya").matches).toEqual(["udah 3 x"]);
    expect(analyzeSentiment("dioper2 terus").matches).toEqual(["dioper dioper"]);
    expect(clausesOf("I don't know. It can't be")).toEqual([
      ["i", "do", "not", "know"],
      ["it", "ca", "not", "be"],
    ]);
  });

  it.each([
    ["Saya mau bicara dengan atasan", true],
    ["minta disambungkan ke supervisor", true],
    ["I'd like to speak with your manager", true],
    ["Please escalate", true],
    ["Saya akan lapor ke OJK", true],
    ["tidak perlu eskalasi", false],
    ["No need to escalate, thanks", false],
    ["Can I speak to someone about my invoice?", false],
  ])("escalation demand in %j: %s", (text, wants) => {
    expect(analyzeSentiment(text).wantsEscalation).toBe(wants);
  });

  it.each([
    ["", "unknown"],
    ["12345 !!!", "unknown"],
    ["Saya belum menerima pesanan", "id"],
    ["I have not received my order", "en"],
  ])("language of %j is %s", (text, language) => {
    expect(analyzeSentiment(text).language).toBe(language);
  });

  it("reports nothing for an empty message", () => {
    expect(analyzeSentiment("")).toEqual({
      score: 0,
      label: "neutral",
      isStronglyNegative: false,
      wantsEscalation: false,
      language: "unknown",
      matches: [],
    });
  });
});

describe("analyzeSentiment — properties", () => {
  const phrases = LEXICON.flatMap((entry) =>
    expandPattern(entry.pattern)
      .filter((tokens) => !tokens.includes("#"))
      .map((tokens) => ({ text: tokens.join(" "), entry })),
  );
  const negativePhrases = phrases.filter((p) => p.entry.weight < 0 && !NEGATORS.has(p.text.split(" ")[0] ?? ""));
  const words = fc.constantFrom(...phrases.map((p) => p.text), "saya", "the", "order", "pesanan", "!!!", ",", ".");

  it("score stays in [-1, 1] and agrees with label and strength", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(words).map((w) => w.join(" ")),
        ),
        (text) => {
          const { score, label, isStronglyNegative } = analyzeSentiment(text);
          expect(score).toBeGreaterThanOrEqual(-1);
          expect(score).toBeLessThanOrEqual(1);
          expect(label === "negative").toBe(score <= -LABEL_THRESHOLD);
          expect(label === "positive").toBe(score >= LABEL_THRESHOLD);
          expect(isStronglyNegative).toBe(score <= STRONGLY_NEGATIVE_SCORE);
        },
      ),
    );
  });

  it("every negative lexicon phrase reads as unhappy on its own, and its negation never does", () => {
    for (const { text } of negativePhrases) {
      expect(analyzeSentiment(text).score, text).toBeLessThan(0);
      expect(analyzeSentiment(`not ${text}`).score, `not ${text}`).toBeGreaterThanOrEqual(0);
      expect(analyzeSentiment(`tidak ${text}`).score, `tidak ${text}`).toBeGreaterThanOrEqual(0);
    }
  });

  it("upper-casing a message never makes it read happier", () => {
    fc.assert(
      fc.property(fc.array(words, { minLength: 1 }), (list) => {
        const text = list.join(" ");
        expect(analyzeSentiment(text.toUpperCase()).score).toBeLessThanOrEqual(analyzeSentiment(text).score);
      }),
    );
  });
});

describe("lexicon", () => {
  it("has well-formed patterns in both languages", () => {
    expect(new Set(LEXICON.map((e) => e.lang))).toEqual(new Set(["id", "en"]));
    for (const entry of LEXICON) {
      expect(entry.pattern, entry.pattern).toMatch(/^[\p{Ll}\p{N}#_| ]+$/u);
      expect(expandPattern(entry.pattern).length, entry.pattern).toBeGreaterThan(0);
      expect(Math.abs(entry.weight), entry.pattern).toBeLessThanOrEqual(3);
      if (entry.escalation) expect(entry.weight, entry.pattern).toBeLessThan(0);
    }
  });
});
