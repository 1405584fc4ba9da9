import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../../src/outbox/backoff.ts";
import { signWebhookBody, verifyWebhookSignature } from "../../src/outbox/webhook-signature.ts";

describe("retry schedule", () => {
  it.each([
    [1, 5_000],
    [2, 10_000],
    [5, 80_000],
    [9, 1_280_000],
    [10, 2_560_000],
    [11, 3_600_000],
    [30, 3_600_000],
  ])("waits 5 s · 2^(n-1), capped at an hour, after failed attempt %i", (attempt, ms) => {
    expect(retryDelayMs(attempt, 0.5)).toBe(ms);
  });

  it("spreads each delay by ±20 % and never beyond the cap", () => {
    expect(retryDelayMs(3, 0)).toBe(16_000);
    expect(retryDelayMs(3, 0.999999)).toBe(24_000);
    expect(retryDelayMs(20, 0.999999)).toBe(3_600_000);
    expect(retryDelayMs(20, 0)).toBe(2_880_000);
  });
});

describe("webhook signature", () => {
  const body = '{"event":"ping"}';
  it("verifies what it signs, and nothing altered", () => {
    const header = signWebhookBody("secret-0123456789", body, 1_770_000_000);
    expect(header).toMatch(/^t=1770000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature("secret-0123456789", body, header, 1_770_000_100)).toBe(true);
    expect(verifyWebhookSignature("secret-0123456789", `${body} `, header, 1_770_000_100)).toBe(false);
    expect(
      verifyWebhookSignature("secret-0123456789", body, header.replace("t=1770000000", "t=1770000001"), 1_770_000_100),
    ).toBe(false);
    expect(verifyWebhookSignature("secret-0123456789", body, header, 1_770_001_000)).toBe(false); // too old
    expect(verifyWebhookSignature("secret-0123456789", body, "garbage", 1_770_000_100)).toBe(false);
  });
});
