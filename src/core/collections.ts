// Small collection helpers Node 20 lacks (Map.groupBy arrives in Node 21).

/** Groups a list by a key, keeping the list's order within each group. */
export function groupBy<T, K>(list: Iterable<T>, key: (t: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const t of list) {
    const k = key(t);
    const group = map.get(k);
    if (group) group.push(t);
    else map.set(k, [t]);
  }
  return map;
}
