// Monte Carlo forecasts from a team's throughput history: each trial replays the future as a sequence of days whose
// throughput (stories finished that day) is drawn at random from the days of the recent past. How many days until N
// stories are done, and how many stories are done in D days, at 50, 85 and 95% likelihood. Pure and seeded: the
// same samples, trials and random source give the same answer.

import type { Percentiles } from "./metrics-views.js";
import { mulberry32 } from "./seeded-random.js";

/** The likelihoods a forecast answers at. */
export const LIKELIHOODS = [50, 85, 95] as const;
/** Recent history the samples are drawn from: the last six weeks of days. */
export const SAMPLE_DAYS = 42;
/** A simulation stops at ten years: a team that finishes nothing never gets there. */
export const MAX_DAYS = 3_650;
export const DEFAULT_TRIALS = 10_000;

/** A seeded generator of floats in [0, 1), so a forecast is the same every time it is asked. */
export const seededRandom = mulberry32;

/** The value at or below which `p` percent of the sorted values lie (nearest rank). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new Error("a percentile of nothing");
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/**
 * For each target (a number of stories), the day each trial finishes it on (Infinity past `MAX_DAYS`): one walk per
 * trial serves every target, so forecasting many features of one team costs about as much as forecasting its last.
 */
export function finishDays(
  samples: readonly number[],
  targets: readonly number[],
  trials: number,
  random: () => number,
): Float64Array[] {
  const days = targets.map(() => new Float64Array(trials).fill(Number.POSITIVE_INFINITY));
  // Targets smallest first, so each trial's walk settles them in turn.
  const byTarget = targets.map((_, i) => i).sort((a, b) => (targets[a] as number) - (targets[b] as number));
  const sorted = byTarget.map((i) => targets[i] as number);
  const last = sorted.at(-1) ?? 0;
  const n = samples.length;
  const canFinish = samples.some((s) => s > 0);
  for (let t = 0; t < trials; t++) {
    let done = 0;
    let day = 0;
    let k = 0;
    for (;;) {
      while (k < sorted.length && (sorted[k] as number) <= done)
        (days[byTarget[k++] as number] as Float64Array)[t] = day;
      if (!canFinish || done >= last || day >= MAX_DAYS) break;
      done += samples[Math.floor(random() * n)] as number;
      day++;
    }
  }
  return days;
}

/**
 * 50/85/95% likelihood days of finishing, from the days each trial took (whole days, or Infinity); null when any is
 * past `MAX_DAYS`. The trials are counted per day rather than sorted: a forecast asks this of every feature.
 */
export function likelyDays(trialDays: Float64Array): Percentiles | null {
  const n = trialDays.length;
  if (n === 0) throw new Error("a percentile of nothing");
  let last = 0;
  for (const d of trialDays) if (d !== Number.POSITIVE_INFINITY && d > last) last = d;
  const perDay = new Uint32Array(last + 1);
  let finite = 0;
  for (const d of trialDays) {
    if (d === Number.POSITIVE_INFINITY) continue;
    (perDay[d] as number)++;
    finite++;
  }
  // The nearest rank of each likelihood, as `percentile` takes it.
  const ranks = LIKELIHOODS.map((p) => Math.min(n, Math.max(1, Math.ceil((p / 100) * n))));
  if ((ranks.at(-1) as number) > finite) return null;
  const [p50, p85, p95] = ranks.map((rank) => {
    let seen = 0;
    for (let day = 0; day <= last; day++) {
      seen += perDay[day] as number;
      if (seen >= rank) return day;
    }
    return last;
  }) as [number, number, number];
  return { p50, p85, p95 };
}

/** Days needed to finish `remaining` stories at 50/85/95% likelihood; null without a finished story to draw from. */
export function daysToFinish(
  samples: readonly number[],
  remaining: number,
  trials: number,
  random: () => number,
): Percentiles | null {
  return likelyDays(finishDays(samples, [remaining], trials, random)[0] as Float64Array);
}

/**
 * Stories finished within `days`, at 50/85/95% likelihood: the count reached in at least that share of trials (so
 * the 95% answer is the smallest). Null without samples.
 */
export function storiesWithin(
  samples: readonly number[],
  days: number,
  trials: number,
  random: () => number,
): Percentiles | null {
  if (samples.length === 0) return null;
  const totals = new Float64Array(trials);
  const n = samples.length;
  for (let t = 0; t < trials; t++) {
    let done = 0;
    for (let d = 0; d < days; d++) done += samples[Math.floor(random() * n)] as number;
    totals[t] = done;
  }
  totals.sort();
  const [p50, p85, p95] = LIKELIHOODS.map((p) => percentile(totals, 100 - p)) as [number, number, number];
  return { p50, p85, p95 };
}

/** A date `days` after `from` (yyyy-mm-dd). */
export function addDays(from: string, days: number): string {
  return new Date(Date.parse(`${from}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
