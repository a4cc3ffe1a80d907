// The prefix-filtered near-duplicate search finds exactly the pairs an all-pairs comparison finds.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nearDuplicates } from "./quality-duplicates.js";

function allPairs(sets: string[][], threshold: number, minWords: number): Set<string> {
  const found = new Set<string>();
  for (let i = 0; i < sets.length; i++) {
    for (let j = i + 1; j < sets.length; j++) {
      const a = new Set(sets[i]);
      const b = new Set(sets[j]);
      if (a.size < minWords || b.size < minWords) continue;
      const shared = [...a].filter((w) => b.has(w)).length;
      if (shared / (a.size + b.size - shared) + 1e-9 >= threshold) found.add(`${i}-${j}`);
    }
  }
  return found;
}

describe("near-duplicate search", () => {
  it("finds two stories that share most of their words, both ways, with their similarity", () => {
    const result = nearDuplicates(
      [
        { words: ["publish", "data", "package", "ui", "available"] },
        { words: ["unpublish", "package"] },
        { words: ["create", "data", "package", "ui", "available", "publish"] },
      ],
      0.8,
    );
    expect(result[0]).toEqual([{ other: 2, similarity: 5 / 6 }]);
    expect(result[2]).toEqual([{ other: 0, similarity: 5 / 6 }]);
    expect(result[1]).toEqual([]);
  });

  it("never matches a document with itself and ignores documents with too few words", () => {
    const result = nearDuplicates([{ words: ["release"] }, { words: ["release"] }, { words: ["fix", "tangle"] }], 0.5);
    expect(result).toEqual([[], [], []]);
  });

  it("agrees with comparing all pairs", () => {
    const word = fc.constantFrom(
      "add",
      "data",
      "package",
      "publish",
      "export",
      "report",
      "user",
      "view",
      "delete",
      "search",
    );
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(word, { maxLength: 6 }), { maxLength: 25 }),
        fc.constantFrom(0.5, 0.6, 0.8, 1),
        (sets, t) => {
          const result = nearDuplicates(
            sets.map((words) => ({ words })),
            t,
          );
          const found = new Set<string>();
          result.forEach((list, i) => {
            for (const d of list) {
              expect(d.other).not.toBe(i);
              found.add(i < d.other ? `${i}-${d.other}` : `${d.other}-${i}`);
            }
          });
          expect([...found].sort()).toEqual([...allPairs(sets, t, 2)].sort());
        },
      ),
    );
  });
});
