// Rank keys: each backlog is a total order kept by fractional keys (the LexoRank idea), so moving an item rewrites
// only that item's key. Keys compare as plain byte strings (the store orders them with a binary collation).
import { generateKeyBetween, generateNKeysBetween } from "fractional-indexing";

/**
 * Past this length a backlog is respaced: every key is rewritten evenly in one short transaction.
 * Halving a gap adds about one character per six moves into the same gap, so a backlog is respaced at most
 * once per ~250 moves into one spot; ordinary use never reaches it.
 */
export const MAX_RANK_LENGTH = 48;

/** Where a moved or created item goes in its backlog. */
export type Placement = { position: "top" } | { position: "bottom" } | { before: string } | { after: string };

/**
 * A key strictly between `low` and `high` (null means the open end).
 * @example rankBetween(null, null) // "a0"; rankBetween("a0", "a1") // "a0V"
 */
export function rankBetween(low: string | null, high: string | null): string {
  if (low !== null && high !== null && low >= high) {
    throw new Error(`rank keys out of order: '${low}' is not below '${high}'`);
  }
  return generateKeyBetween(low, high);
}

/** `count` evenly spread keys in increasing order, for a new or respaced backlog or a bulk append after `low`. */
export function ranksBetween(low: string | null, high: string | null, count: number): string[] {
  return generateNKeysBetween(low, high, count);
}

export function needsRespace(key: string): boolean {
  return key.length > MAX_RANK_LENGTH;
}

/** Checks that keys listed in backlog order are strictly increasing; returns the index of the first break, or -1. */
export function firstOrderBreak(keys: readonly string[]): number {
  for (let i = 1; i < keys.length; i++) {
    const prev = keys[i - 1] as string;
    if (prev >= (keys[i] as string)) return i;
  }
  return -1;
}

/**
 * New keys that put a backlog (`current`, in rank order) into the order `desired` (the same ids), rewriting as few
 * keys as possible: the longest run of items already in the desired relative order keeps its keys, and every other
 * item gets a key between its new neighbours. Only when a key would grow past MAX_RANK_LENGTH is every key rewritten.
 * Returns the ids whose keys change, with their new keys.
 */
export function reorderKeys(
  current: readonly { id: string; rank: string }[],
  desired: readonly string[],
): Map<string, string> {
  const rankOf = new Map(current.map((c) => [c.id, c.rank]));
  const positionOf = new Map(current.map((c, i) => [c.id, i]));
  const kept = longestIncreasingRun(desired.map((id) => positionOf.get(id) as number));
  const out = new Map<string, string>();
  let start = 0;
  for (let i = 0; i <= desired.length; i++) {
    if (i < desired.length && !kept.has(i)) continue;
    // desired[start..i) lie between the kept items at start-1 and i.
    if (i > start) {
      const low = start > 0 ? (rankOf.get(desired[start - 1] as string) as string) : null;
      const high = i < desired.length ? (rankOf.get(desired[i] as string) as string) : null;
      const keys = ranksBetween(low, high, i - start);
      for (const [j, k] of keys.entries()) out.set(desired[start + j] as string, k);
    }
    start = i + 1;
  }
  if ([...out.values()].some(needsRespace)) {
    const even = ranksBetween(null, null, desired.length);
    return new Map(desired.map((id, i) => [id, even[i] as string]));
  }
  return out;
}

/** The indexes of one longest strictly increasing subsequence of `values` (patience sorting, O(n log n)). */
function longestIncreasingRun(values: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous = new Array<number>(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((values[tails[mid] as number] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1] as number;
    tails[lo] = i;
  }
  const run = new Set<number>();
  for (let i = tails[tails.length - 1] ?? -1; i >= 0; i = previous[i] as number) run.add(i);
  return run;
}
