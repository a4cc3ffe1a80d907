// Weighted Shortest Job First: Cost of Delay (user-business value + time criticality + risk reduction | opportunity
// enablement) divided by job size, each a relative estimate on the modified Fibonacci scale; the order it proposes
// for a backlog (with pinned items kept in place), how far a backlog's rank is from it, re-anchoring a column to 1,
// and carrying the program's feature rank down to a team's stories.

/** The modified Fibonacci scale of every WSJF input. */
export const WSJF_SCALE = [1, 2, 3, 5, 8, 13, 20] as const;

/** The four inputs, as items name them. */
export const WSJF_INPUTS = ["businessValue", "timeCriticality", "riskReduction", "jobSize"] as const;
export type WsjfInput = (typeof WSJF_INPUTS)[number];

export const WSJF_INPUT_LABELS: Record<WsjfInput, string> = {
  businessValue: "User-business value",
  timeCriticality: "Time criticality",
  riskReduction: "Risk reduction | opportunity enablement",
  jobSize: "Job size",
};

export type WsjfInputs = Record<WsjfInput, number | null>;

export const isOnScale = (v: number): boolean => (WSJF_SCALE as readonly number[]).includes(v);

/** The inputs still to estimate (empty when WSJF can be computed). */
export function missingInputs(i: WsjfInputs): WsjfInput[] {
  return WSJF_INPUTS.filter((k) => i[k] === null);
}

/** Cost of Delay = user-business value + time criticality + risk reduction | opportunity enablement; null until all three are given. */
export function costOfDelay(i: WsjfInputs): number | null {
  if (i.businessValue === null || i.timeCriticality === null || i.riskReduction === null) return null;
  return i.businessValue + i.timeCriticality + i.riskReduction;
}

/** WSJF = Cost of Delay ÷ Job Size, rounded to two decimals; null (not 0) while an input is missing. */
export function wsjf(i: WsjfInputs): number | null {
  const cod = costOfDelay(i);
  if (cod === null || i.jobSize === null || i.jobSize <= 0) return null;
  return Math.round((cod / i.jobSize) * 100) / 100;
}

export interface Candidate {
  id: string;
  inputs: WsjfInputs;
}

/**
 * Compares two candidates for WSJF order: higher WSJF first, then higher Cost of Delay, then the current order
 * (`index`); unscored items come after every scored one, in their current order.
 */
function byWsjf(a: Candidate & { index: number }, b: Candidate & { index: number }): number {
  const wa = wsjf(a.inputs);
  const wb = wsjf(b.inputs);
  if (wa === null || wb === null) return wa === wb ? a.index - b.index : wa === null ? 1 : -1;
  if (wa !== wb) return wb - wa;
  const ca = costOfDelay(a.inputs) as number;
  const cb = costOfDelay(b.inputs) as number;
  return ca !== cb ? cb - ca : a.index - b.index;
}

/**
 * The order WSJF proposes for a backlog given in its current rank order: pinned items keep their positions; the
 * others fill the remaining positions by WSJF (ties by Cost of Delay, then current rank; unscored last).
 */
export function proposeWsjfOrder(current: readonly Candidate[], pinned: ReadonlySet<string> = new Set()): string[] {
  const free = current
    .map((c, index) => ({ ...c, index }))
    .filter((c) => !pinned.has(c.id))
    .sort(byWsjf);
  let next = 0;
  return current.map((c) => (pinned.has(c.id) ? c.id : (free[next++] as Candidate).id));
}

/**
 * How well a backlog's order agrees with WSJF: Kendall's tau between the current order and the WSJF order over the
 * scored items, from 1 (the same) to -1 (reversed); null with fewer than two scored items.
 */
export function wsjfAgreement(current: readonly Candidate[]): number | null {
  return orderAgreement(current.map((c) => wsjf(c.inputs)).filter((w): w is number => w !== null));
}

/**
 * Kendall's tau between an order and the scores of its items (higher should come first), from 1 (the order sorts
 * the scores high to low) to -1 (low to high); null with fewer than two scores. E.g. `orderAgreement([3, 2, 1])` is 1.
 */
export function orderAgreement(scores: readonly number[]): number | null {
  if (scores.length < 2) return null;
  // Pairs (earlier, later) with the earlier one's score lower are discordant, equal ones are ties, the rest concordant;
  // counted in one pass with a Fenwick tree over the distinct scores (O(n log n): a 1,000-item backlog in well under a
  // millisecond).
  const distinct = [...new Set(scores)].sort((a, b) => a - b);
  const index = new Map(distinct.map((s, i) => [s, i + 1]));
  const seen = new Array<number>(distinct.length + 1).fill(0);
  const seenUpTo = (i: number) => {
    let n = 0;
    for (let k = i; k > 0; k -= k & -k) n += seen[k] as number;
    return n;
  };
  let discordant = 0;
  let ties = 0;
  for (const score of scores) {
    const i = index.get(score) as number;
    const lower = seenUpTo(i - 1);
    discordant += lower;
    ties += seenUpTo(i) - lower;
    for (let k = i; k < seen.length; k += k & -k) seen[k] = (seen[k] as number) + 1;
  }
  const pairs = (scores.length * (scores.length - 1)) / 2 - ties;
  const concordant = pairs - discordant;
  return pairs === 0 ? 1 : Math.round(((concordant - discordant) / pairs) * 1000) / 1000;
}

/**
 * Per item, how many places it is ranked above (positive) or below (negative) where WSJF would put it; null for
 * unscored items.
 */
export function placesFromWsjf(current: readonly Candidate[]): Map<string, number | null> {
  const proposed = proposeWsjfOrder(current);
  const at = new Map(proposed.map((id, i) => [id, i]));
  return new Map(current.map((c, i) => [c.id, wsjf(c.inputs) === null ? null : (at.get(c.id) as number) - i] as const));
}

/** Whether a column of estimates is anchored: its smallest value is 1 (an empty column is not unanchored). */
export function isAnchored(values: readonly (number | null)[]): boolean {
  const given = values.filter((v): v is number => v !== null);
  return given.length === 0 || Math.min(...given) === 1;
}

/** The scale value nearest to `v`; on a tie the lower one, or the higher with `ties: "higher"` (4 → 3 or 5). */
export function nearestOnScale(v: number, ties: "lower" | "higher" = "lower"): number {
  const closer = (s: number, best: number) =>
    ties === "lower" ? Math.abs(s - v) < Math.abs(best - v) : Math.abs(s - v) <= Math.abs(best - v);
  return WSJF_SCALE.reduce((best, s) => (closer(s, best) ? s : best), WSJF_SCALE[0] as number);
}

/**
 * Re-anchors a column: the smallest estimate becomes 1 and every other one keeps its ratio to it, snapped to the
 * scale (e.g. 3, 5, 8 → 1, 2, 3). Missing estimates stay missing.
 */
export function reanchor(values: readonly (number | null)[]): (number | null)[] {
  const given = values.filter((v): v is number => v !== null);
  if (given.length === 0) return [...values];
  const smallest = Math.min(...given);
  return values.map((v) => (v === null ? null : nearestOnScale(v / smallest)));
}

export interface TeamStory {
  id: string;
  /** The story's feature (or other parent), if any. */
  parentId: string | null;
}

/**
 * A team backlog aligned to the program's priorities: stories ordered by their feature's position in the program
 * backlog (`featureOrder`, ids in rank order), keeping the team's own order among the stories of one feature; stories
 * without a ranked feature keep their order after all others.
 */
export function alignToProgram(stories: readonly TeamStory[], featureOrder: readonly string[]): string[] {
  const position = new Map(featureOrder.map((id, i) => [id, i]));
  const last = featureOrder.length;
  return stories
    .map((s, index) => ({ s, index, at: s.parentId === null ? last : (position.get(s.parentId) ?? last) }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map(({ s }) => s.id);
}

/**
 * How far a team backlog has drifted from program priorities: the share of story pairs (0–1) whose order disagrees
 * with the aligned order. 0 means aligned.
 */
export function driftFromProgram(stories: readonly TeamStory[], featureOrder: readonly string[]): number {
  const aligned = alignToProgram(stories, featureOrder);
  const at = new Map(aligned.map((id, i) => [id, i]));
  const positions = stories.map((s) => at.get(s.id) as number);
  const n = positions.length;
  if (n < 2) return 0;
  let inversions = 0;
  for (let i = 0; i < n; i++) {
    const p = positions[i] as number;
    for (let j = i + 1; j < n; j++) if (p > (positions[j] as number)) inversions++;
  }
  return Math.round((inversions / ((n * (n - 1)) / 2)) * 1000) / 1000;
}
