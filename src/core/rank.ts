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
