// Summaries of latency samples: nearest-rank percentiles and throughput. Pure.

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Requests per second with one request in flight: samples over the sum of their latencies. */
  perSecond: number;
}

/**
 * The nearest-rank percentile `p` (0–100) of `sorted` (ascending).
 * @example percentile([1, 2, 3, 4], 50) // 2
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Summarizes latency samples in milliseconds. */
export function summarize(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const totalMs = sorted.reduce((sum, x) => sum + x, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    perSecond: totalMs > 0 ? (sorted.length * 1000) / totalMs : Number.NaN,
  };
}
