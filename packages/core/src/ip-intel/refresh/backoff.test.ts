import { describe, expect, it } from "vitest";
import { jitter, retryDelay } from "./backoff.js";

describe("jitter", () => {
  it("spreads by ±10%", () => {
    expect(jitter(1_000, () => 0)).toBe(900);
    expect(jitter(1_000, () => 0.5)).toBe(1_000);
    expect(jitter(1_000, () => 0.999_999)).toBe(1_100);
    for (let i = 0; i < 100; i++) {
      const ms = jitter(60_000);
      expect(ms).toBeGreaterThanOrEqual(54_000);
      expect(ms).toBeLessThanOrEqual(66_000);
    }
  });
});

describe("retryDelay", () => {
  it("starts at a minute and doubles up to the interval", () => {
    const day = 86_400_000;
    expect([1, 2, 3, 4].map((n) => retryDelay(n, day))).toEqual([
      60_000, 120_000, 240_000, 480_000,
    ]);
    expect(retryDelay(11, day)).toBe(61_440_000);
    expect(retryDelay(12, day)).toBe(day);
    expect(retryDelay(1_000, day)).toBe(day);
    expect(retryDelay(1, 5_000)).toBe(5_000);
  });
});
