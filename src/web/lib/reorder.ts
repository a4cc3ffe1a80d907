// Reordering a visible list: where a move puts the row, and how to tell the server (relative to the new neighbour,
// by key, so a move among filtered rows lands next to the row the user saw).
import type { Placement } from "./types";

/** What the user asked: one step up or down, to the top or bottom, or to where another row is. */
export type MoveTarget = { by: 1 | -1 } | { position: "top" | "bottom" } | { over: string };

export interface PlannedMove {
  from: number;
  to: number;
  placement: Placement;
}

/**
 * Plans moving `key` within `keys` (the rows in view, in rank order), or null when it stays where it is.
 *
 * @example planMove(["A", "B", "C"], "A", { by: 1 }) // { from: 0, to: 1, placement: { after: "B" } }
 */
export function planMove(keys: readonly string[], key: string, target: MoveTarget): PlannedMove | null {
  const from = keys.indexOf(key);
  if (from < 0) return null;
  if ("position" in target) {
    const to = target.position === "top" ? 0 : keys.length - 1;
    return to === from ? null : { from, to, placement: { position: target.position } };
  }
  const to = "by" in target ? from + target.by : keys.indexOf(target.over);
  if (to < 0 || to >= keys.length || to === from) return null;
  const neighbour = keys[to] as string;
  return { from, to, placement: to > from ? { after: neighbour } : { before: neighbour } };
}

/** A copy of `list` with the element at `from` moved to `to`. */
export function reorder<T>(list: readonly T[], from: number, to: number): T[] {
  const next = list.slice();
  const [moved] = next.splice(from, 1);
  if (moved !== undefined) next.splice(to, 0, moved);
  return next;
}
