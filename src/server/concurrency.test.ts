// Many clients moving and editing the same items at once: afterwards no rank is duplicated, every acknowledged write
// is there, and every refused one was answered 409 with the item as it is now.
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { createSmallTrain, openTestApp, type TestApp } from "../../test/test-app.js";

const CLIENTS = 8;
const OPERATIONS = 30;
const ITEMS = 6;

describeEachDatabase("concurrent moves and edits", (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await openTestApp(await database.createUrl());
    await createSmallTrain(t);
    for (let i = 1; i <= ITEMS; i++)
      await t.call("POST", "/items", { art: "PAY", level: "feature", title: `Feature ${i}` });
  });
  afterEach(async () => {
    await t.close();
  });

  it("keeps ranks unique and loses no acknowledged write", async () => {
    const keys = Array.from({ length: ITEMS }, (_, i) => `PAY-${i + 1}`);
    const acks: { key: string; version: number; title?: string; op: "edit" | "move" }[] = [];
    const statuses = new Map<number, number>();
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };

    const client = async (c: number) => {
      const versions = new Map<string, number>();
      for (let op = 0; op < OPERATIONS; op++) {
        const key = keys[random(ITEMS)] as string;
        if (!versions.has(key) || random(4) === 0) {
          const got = await t.call("GET", `/items/${key}`);
          versions.set(key, got.body.item.version);
        }
        const ifMatch = { "If-Match": `"${versions.get(key)}"` };
        const editing = random(2) === 0;
        const title = `client ${c} op ${op}`;
        let other = keys[random(ITEMS)] as string;
        if (other === key) other = keys[(keys.indexOf(key) + 1) % ITEMS] as string;
        const r = editing
          ? await t.call("PATCH", `/items/${key}`, { title }, ifMatch)
          : await t.call("POST", `/items/${key}/move`, random(2) ? { before: other } : { after: other }, ifMatch);
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
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));

    expect([...statuses.keys()].every((s) => s === 200 || s === 409)).toBe(true);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);

    const rows = (await t.call("GET", "/arts/PAY/backlog/all")).body.items as {
      key: string;
      rank: string;
      title: string;
      version: number;
    }[];
    expect(rows).toHaveLength(ITEMS);
    expect(new Set(rows.map((r) => r.rank)).size).toBe(ITEMS);
    expect((await t.call("GET", "/check")).body).toMatchObject({ ok: true });

    for (const row of rows) {
      const mine = acks.filter((a) => a.key === row.key);
      // Each acknowledged write produced exactly one new version, one after another: none overwrote another.
      expect(mine.map((a) => a.version).sort((a, b) => a - b)).toEqual(
        Array.from({ length: mine.length }, (_, i) => i + 2),
      );
      expect(row.version).toBe(1 + mine.length);
      const lastEdit = mine.filter((a) => a.op === "edit").sort((a, b) => b.version - a.version)[0];
      expect(row.title).toBe(lastEdit?.title ?? `Feature ${row.key.slice(4)}`);
      const history = (await t.call("GET", `/items/${row.key}/history`)).body.items as { kind: string }[];
      expect(history.filter((e) => e.kind !== "created")).toHaveLength(mine.length);
    }
  });
});
