import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstOrderBreak, MAX_RANK_LENGTH, needsRespace, rankBetween, ranksBetween } from "./rank.js";

type Move = { item: number; to: "top" | "bottom" | "before" | "after"; target: number };

/** A model backlog: ids in order, each with a key; applies a move the way the store does. */
function applyMove(order: { id: number; key: string }[], move: Move): void {
  const from = order.findIndex((e) => e.id === move.item);
  const [moved] = order.splice(from, 1);
  if (!moved) throw new Error("missing");
  let at: number;
  if (move.to === "top") at = 0;
  else if (move.to === "bottom") at = order.length;
  else {
    const t = order.findIndex((e) => e.id === move.target);
    if (t < 0) {
      order.splice(from, 0, moved);
      return;
    }
    at = move.to === "before" ? t : t + 1;
  }
  const low = order[at - 1]?.key ?? null;
  const high = order[at]?.key ?? null;
  moved.key = rankBetween(low, high);
  order.splice(at, 0, moved);
  if (needsRespace(moved.key)) {
    const keys = ranksBetween(null, null, order.length);
    order.forEach((e, i) => {
      e.key = keys[i] as string;
    });
  }
}

describe("rank keys", () => {
  it("a key between two neighbours sorts strictly between them", () => {
    const k = rankBetween("a0", "a1");
    expect(k > "a0" && k < "a1").toBe(true);
  });

  it("refuses neighbours given out of order", () => {
    expect(() => rankBetween("a1", "a0")).toThrow(/out of order/);
  });

  it("ranks stay strictly ordered, unique and in the moved order under any sequence of moves", () => {
    const size = 12;
    const move = fc.record({
      item: fc.integer({ min: 0, max: size - 1 }),
      to: fc.constantFrom("top", "bottom", "before", "after"),
      target: fc.integer({ min: 0, max: size - 1 }),
    }) as fc.Arbitrary<Move>;
    fc.assert(
      fc.property(fc.array(move, { maxLength: 300 }), (moves) => {
        const keys = ranksBetween(null, null, size);
        const order = keys.map((key, id) => ({ id, key }));
        for (const m of moves) applyMove(order, m);
        const sorted = [...order].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        expect(sorted.map((e) => e.id)).toEqual(order.map((e) => e.id));
        expect(firstOrderBreak(order.map((e) => e.key))).toBe(-1);
        expect(new Set(order.map((e) => e.key)).size).toBe(size);
        for (const e of order) expect(e.key.length).toBeLessThanOrEqual(MAX_RANK_LENGTH);
      }),
      { numRuns: 300 },
    );
  });

  it("moving into the same gap again and again triggers a respace before keys grow past the limit", () => {
    const order = ranksBetween(null, null, 3).map((key, id) => ({ id, key }));
    for (let i = 0; i < 2000; i++) applyMove(order, { item: i % 2 === 0 ? 0 : 2, to: "after", target: 1 });
    expect(Math.max(...order.map((e) => e.key.length))).toBeLessThanOrEqual(MAX_RANK_LENGTH);
    expect(firstOrderBreak(order.map((e) => e.key))).toBe(-1);
  });
});
