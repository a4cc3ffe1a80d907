import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, daysToFinish, finishDays, likelyDays, percentile, seededRandom, storiesWithin } from "./forecast.js";

describe("Monte Carlo forecasts", () => {
  it("take the likely days of the trials as their nearest-rank percentiles, none if the 95th never finishes", () => {
    const day = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 400 }) }, fc.constant(Infinity));
    fc.assert(
      fc.property(fc.array(day, { minLength: 1, maxLength: 300 }), (days) => {
        const sorted = [...days].sort((a, b) => a - b);
        const [p50, p85, p95] = [50, 85, 95].map((p) => percentile(sorted, p));
        expect(likelyDays(Float64Array.from(days))).toEqual(Number.isFinite(p95) ? { p50, p85, p95 } : null);
      }),
    );
  });

  it("is exact when every day finishes the same number of stories", () => {
    expect(daysToFinish([2], 9, 1_000, seededRandom(1))).toEqual({ p50: 5, p85: 5, p95: 5 });
    expect(storiesWithin([2], 10, 1_000, seededRandom(1))).toEqual({ p50: 20, p85: 20, p95: 20 });
  });

  it("cannot forecast from a team that finished nothing", () => {
    expect(daysToFinish([0, 0, 0], 3, 100, seededRandom(1))).toBeNull();
    expect(daysToFinish([0, 0], 0, 100, seededRandom(1))).toEqual({ p50: 0, p85: 0, p95: 0 });
  });

  it("answers each target of one walk as though it were forecast alone", () => {
    const samples = [0, 1, 3, 0, 2, 1];
    const [five, twenty] = finishDays(samples, [5, 20], 2_000, seededRandom(7));
    const alone = finishDays(samples, [20], 2_000, seededRandom(7))[0];
    expect(twenty).toEqual(alone);
    for (let t = 0; t < 2_000; t++) expect(five?.[t]).toBeLessThanOrEqual(twenty?.[t] as number);
  });

  it("is the same for the same seed, and more likely means later (or fewer stories)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 42 }).filter((s) => s.some((x) => x > 0)),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 1_000 }),
        (samples, remaining, seed) => {
          const days = daysToFinish(samples, remaining, 500, seededRandom(seed));
          expect(days).toEqual(daysToFinish(samples, remaining, 500, seededRandom(seed)));
          if (!days) return;
          expect(days.p50).toBeLessThanOrEqual(days.p85);
          expect(days.p85).toBeLessThanOrEqual(days.p95);
          const stories = storiesWithin(samples, remaining, 500, seededRandom(seed));
          expect(stories?.p95).toBeLessThanOrEqual(stories?.p85 as number);
          expect(stories?.p85).toBeLessThanOrEqual(stories?.p50 as number);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("takes nearest-rank percentiles and counts dates in days", () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 85)).toBe(9);
    expect(percentile([4], 50)).toBe(4);
    expect(addDays("2026-12-30", 3)).toBe("2027-01-02");
  });
});
