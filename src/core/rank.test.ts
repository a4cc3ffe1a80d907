import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstOrderBreak, MAX_RANK_LENGTH, needsRespace, rankBetween, ranksBetween, reorderKeys } from "./rank.js";

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

describe("putting a backlog in a new order", () => {
  it("rewrites as few keys as possible and leaves the keys in the new order", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 60 })
          .chain((n) =>
            fc.tuple(fc.constant(n), fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n })),
          ),
        ([n, order]) => {
          const current = ranksBetween(null, null, n).map((rank, i) => ({ id: `i${i}`, rank }));
          const desired = order.map((i) => `i${i}`);
          const changes = reorderKeys(current, desired);
          const keyOf = (id: string) => changes.get(id) ?? (current.find((c) => c.id === id)?.rank as string);
          const keys = desired.map(keyOf);
          expect(firstOrderBreak(keys)).toBe(-1);
          expect(new Set(keys).size).toBe(n);
          // Items already in order keep their keys.
          if (desired.every((id, i) => id === `i${i}`)) expect(changes.size).toBe(0);
        },
      ),
    );
  });

  it("moves only the item that moved when one item changes place", () => {
    const current = ranksBetween(null, null, 6).map((rank, i) => ({ id: `i${i}`, rank }));
    const changes = reorderKeys(current, ["i0", "i5", "i1", "i2", "i3", "i4"]);
    expect([...changes.keys()]).toEqual(["i5"]);
  });
});
