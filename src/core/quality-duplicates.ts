// Near-duplicate search over word sets: every pair of documents whose Jaccard similarity (shared words ÷ all words)
// reaches a threshold, without comparing all pairs. Prefix filtering (the AllPairs algorithm of Bayardo et al.): with
// each set's words ordered rarest first, two sets with similarity ≥ t must share a word among the first
// |x| − ⌈t·|x|⌉ + 1 words of each, so only documents meeting in such a prefix are compared. Pure.

/** A document: its distinct words (any order). */
export interface WordSet {
  words: readonly string[];
}

/** A near-duplicate of a document: the other document's index and their similarity. */
export interface NearDuplicate {
  other: number;
  similarity: number;
}

/** Jaccard similarity of two sorted, distinct id arrays. */
function jaccard(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared / (a.length + b.length - shared);
}

/**
 * For each document, the documents whose word sets have Jaccard similarity ≥ `threshold` (0 < threshold ≤ 1) with it.
 * Documents with fewer than `minWords` words are never matched. A document is never its own near-duplicate.
 *
 * @example
 * nearDuplicates([{ words: ["publish", "data", "package"] }, { words: ["publish", "data", "package", "ui"] }], 0.7)
 * // [[{ other: 1, similarity: 0.75 }], [{ other: 0, similarity: 0.75 }]]
 */
export function nearDuplicates(docs: readonly WordSet[], threshold: number, minWords = 2): NearDuplicate[][] {
  const result: NearDuplicate[][] = docs.map(() => []);
  // Word ids ordered by document frequency, rarest first, so prefixes hold the rarest words.
  const frequency = new Map<string, number>();
  for (const d of docs) for (const w of d.words) frequency.set(w, (frequency.get(w) ?? 0) + 1);
  const ordered = [...frequency.keys()].sort(
    (a, b) => (frequency.get(a) as number) - (frequency.get(b) as number) || (a < b ? -1 : 1),
  );
  const idOf = new Map<string, number>(ordered.map((w, i) => [w, i]));
  const sets = docs.map((d) => Int32Array.from(new Set(d.words), (w) => idOf.get(w) as number).sort());

  const index = new Map<number, number[]>();
  const lastSeen = new Int32Array(docs.length).fill(-1);
  for (let x = 0; x < sets.length; x++) {
    const set = sets[x] as Int32Array;
    if (set.length < minWords) continue;
    const prefix = set.length - Math.ceil(threshold * set.length - 1e-9) + 1;
    for (let p = 0; p < prefix; p++) {
      const postings = index.get(set[p] as number);
      if (!postings) continue;
      for (const y of postings) {
        if (lastSeen[y] === x) continue;
        lastSeen[y] = x;
        const other = sets[y] as Int32Array;
        if (other.length < threshold * set.length || set.length < threshold * other.length) continue;
        const similarity = jaccard(set, other);
        if (similarity + 1e-9 >= threshold) {
          result[x]?.push({ other: y, similarity });
          result[y]?.push({ other: x, similarity });
        }
      }
    }
    for (let p = 0; p < prefix; p++) {
      const id = set[p] as number;
      const postings = index.get(id);
      if (postings) postings.push(x);
      else index.set(id, [x]);
    }
  }
  return result;
}
