// Many clients moving and editing the same features at once, each write naming the version it was made on; and what
// must hold afterwards: no rank duplicated, every acknowledged write there exactly once, every refused one answered 409
// with the item as it is now. One server (src/server/concurrency.test.ts) or several (src/server/instances.test.ts).
import { expect } from "vitest";

/** One API call as the test's user; `client` and `op` say who makes it, for spreading calls over servers. */
export type EditCall = (
  request: { client: number; op: number },
  method: string,
  path: string,
  body?: unknown,
  ifMatch?: number,
) => Promise<{ status: number; body: any }>;

interface Ack {
  key: string;
  version: number;
  title?: string;
  op: "edit" | "move";
}

/** `clients` clients each make `operations` moves and title edits of the features `keys`, at once. */
export async function editConcurrently(
  call: EditCall,
  options: { keys: readonly string[]; clients: number; operations: number; seed: number },
): Promise<{ acks: Ack[]; statuses: Map<number, number> }> {
  const { keys } = options;
  const acks: Ack[] = [];
  const statuses = new Map<number, number>();
  let seed = options.seed;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const client = async (c: number) => {
    const versions = new Map<string, number>();
    for (let op = 0; op < options.operations; op++) {
      const request = { client: c, op };
      const key = keys[random(keys.length)] as string;
      if (!versions.has(key) || random(4) === 0) {
        versions.set(key, (await call(request, "GET", `/items/${key}`)).body.item.version);
      }
      const editing = random(2) === 0;
      const title = `client ${c} op ${op}`;
      let other = keys[random(keys.length)] as string;
      if (other === key) other = keys[(keys.indexOf(key) + 1) % keys.length] as string;
      const place = random(2) ? { before: other } : { after: other };
      const r = editing
        ? await call(request, "PATCH", `/items/${key}`, { title }, versions.get(key))
        : await call(request, "POST", `/items/${key}/move`, place, versions.get(key));
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status === 200) {
        acks.push({ key, version: r.body.version, op: editing ? "edit" : "move", ...(editing ? { title } : {}) });
        versions.set(key, r.body.version);
      } else {
        expect(r.status).toBe(409);
        expect(r.body).toMatchObject({ code: "conflict", current: { key } });
        versions.set(key, r.body.current.version);
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, c) => client(c)));
  expect([...statuses.keys()].every((s) => s === 200 || s === 409)).toBe(true);
  expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
  return { acks, statuses };
}

/**
 * Checks the ART PAY's features after `editConcurrently`: ranks unique, the backlog whole, and each acknowledged write
 * there as exactly one new version, one after another (none overwrote another). Their history is checked if asked.
 */
export async function expectNoLostWrite(
  call: EditCall,
  acks: readonly Ack[],
  items: number,
  options: { history?: boolean } = {},
): Promise<void> {
  const request = { client: 0, op: 0 };
  const rows = (await call(request, "GET", "/arts/PAY/backlog/all")).body.items as {
    key: string;
    rank: string;
    title: string;
    version: number;
  }[];
  expect(rows).toHaveLength(items);
  expect(new Set(rows.map((r) => r.rank)).size).toBe(items);
  expect((await call(request, "GET", "/check")).body).toMatchObject({ ok: true });
  for (const row of rows) {
    const mine = acks.filter((a) => a.key === row.key);
    expect(mine.map((a) => a.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: mine.length }, (_, i) => i + 2),
    );
    expect(row.version).toBe(1 + mine.length);
    const lastEdit = mine.filter((a) => a.op === "edit").sort((a, b) => b.version - a.version)[0];
    expect(row.title).toBe(lastEdit?.title ?? `Feature ${row.key.slice(4)}`);
    if (options.history) {
      const history = (await call(request, "GET", `/items/${row.key}/history`)).body.items as { kind: string }[];
      expect(history.filter((e) => e.kind !== "created")).toHaveLength(mine.length);
    }
  }
}
