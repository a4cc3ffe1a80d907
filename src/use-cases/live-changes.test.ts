// Live changes through the change log, with two servers (runtimes) on one database: every subscriber on either gets
// every change once and in the order it was logged, whichever server made it; a subscriber that names the last change
// it saw gets everything after it first; one that names a change no longer kept, or never given, is told so.
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { operator } from "../core/permissions.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { type ChangeEvent, changesAfter } from "../store/changes.store.js";
import { createItem } from "./create-items.js";
import type { Deps } from "./deps.js";
import { createLiveChanges, forgetOldChanges } from "./live-changes.js";
import { createTrain } from "./set-up-train.js";
import { updateItem } from "./update-item.js";

const by = operator();

describeEachDatabase("live changes", (database) => {
  let a: Runtime;
  let b: Runtime;
  let artId: string;
  /** The last change logged before the test's own (the train's creation). */
  let start: number;
  beforeEach(async () => {
    const url = await database.createUrl();
    a = await openRuntime(url, { passwordCost: 14 });
    b = await openRuntime(url, { passwordCost: 14 });
    // On SQLite nothing tells one process of another's commits: the feed reads the log every few ms here.
    if (database.name === "sqlite") b.deps.changes = createLiveChanges(b.deps.db, { pollMs: 50 });
    artId = (await createTrain(a.deps, { key: "PAY", name: "Payments" }, by)).id;
    start = (await changesAfter(a.deps.db, artId, 0, 10)).at(-1)?.id ?? 0;
  });
  afterEach(async () => {
    await a.close();
    await b.close();
  });

  const logged = async () => changesAfter(a.deps.db, artId, start, 100_000);
  const listen = async (deps: Deps, after: number | null = null) => {
    const events: ChangeEvent[] = [];
    const subscription = await deps.changes.subscribe(artId, after, (e) => events.push(e));
    return { events, subscription };
  };
  const arrived = async (events: ChangeEvent[], count: number) => {
    for (let waited = 0; events.length < count; waited += 10) {
      if (waited > 8_000) throw new Error(`${events.length} of ${count} changes arrived`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it("sends every change once, in the order logged, to subscribers on both servers, whichever made it", async () => {
    const onA = await listen(a.deps);
    const onB = await listen(b.deps);
    const write = async (i: number) => {
      const deps = i % 2 ? a.deps : b.deps;
      const item = await createItem(deps, { art: "PAY", level: "feature", title: `Feature ${i}` }, by);
      await updateItem(deps, item.key, { title: `Feature ${i}, renamed` }, by, item.version);
      return item.id;
    };
    const writes: string[] = [];
    // At once on PostgreSQL. On SQLite, two connections in one process cannot wait for each other's lock (the wait
    // blocks the thread): they take turns, as a server and the CLI in two processes would.
    if (database.name === "postgres")
      writes.push(...(await Promise.all(Array.from({ length: 40 }, (_, i) => write(i)))));
    else for (let i = 0; i < 40; i++) writes.push(await write(i));
    const log = await logged();
    expect(log).toHaveLength(80);
    await arrived(onA.events, 80);
    await arrived(onB.events, 80);
    expect(onA.events).toEqual(log);
    expect(onB.events).toEqual(log);
    const ids = log.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(log.map((e) => e.change.itemId))).toEqual(new Set(writes));
    // Each item was created before it was renamed.
    for (const id of writes) {
      expect(log.filter((e) => e.change.itemId === id).map((e) => e.change.kind)).toEqual([
        "item.created",
        "item.updated",
      ]);
    }
  });

  it("sends a subscriber that names the last change it saw every change after it, then the new ones", async () => {
    const first = await createItem(a.deps, { art: "PAY", level: "feature", title: "Seen" }, by);
    const [seen] = await logged();
    for (let i = 0; i < 3; i++) await createItem(b.deps, { art: "PAY", level: "feature", title: `Missed ${i}` }, by);
    const back = await listen(b.deps, seen?.id ?? -1);
    expect(back.subscription.caughtUp).toBe(true);
    expect(back.subscription.from).toBe(seen?.id);
    await updateItem(a.deps, first.key, { title: "Seen, renamed" }, by, first.version);
    await arrived(back.events, 4);
    expect(back.events).toEqual((await logged()).slice(1));
    expect(back.events.map((e) => e.change.kind)).toEqual([
      "item.created",
      "item.created",
      "item.created",
      "item.updated",
    ]);
  });

  it("tells a subscriber that names a change no longer kept, or never given, that it did not catch up", async () => {
    await createItem(a.deps, { art: "PAY", level: "feature", title: "Old" }, by);
    const [old] = await logged();
    const later = await listen(a.deps, (old?.id ?? 0) + 1_000);
    expect(later.subscription).toMatchObject({ caughtUp: false, from: old?.id });
    later.subscription.close();

    // A day later the change is forgotten: a client that saw none since cannot catch up.
    a.deps.clock = () => new Date(Date.now() + 25 * 3_600_000);
    // The train's creation and the item's.
    expect(await forgetOldChanges(a.deps)).toBe(2);
    const stale = await listen(b.deps, start);
    expect(stale.subscription.caughtUp).toBe(false);
    // One that saw it missed nothing: it goes on from there.
    const current = await listen(b.deps, old?.id ?? 0);
    expect(current.subscription).toMatchObject({ caughtUp: true, from: old?.id });
    await createItem(a.deps, { art: "PAY", level: "feature", title: "New" }, by);
    await arrived(current.events, 1);
    expect(current.events.map((e) => e.change.kind)).toEqual(["item.created"]);
    await arrived(stale.events, 1);
    expect(stale.events).toEqual(current.events);
  });

  it("logs nothing for a change that was refused", async () => {
    const item = await createItem(a.deps, { art: "PAY", level: "feature", title: "Once" }, by);
    await expect(updateItem(b.deps, item.key, { title: "Twice" }, by, item.version + 5)).rejects.toMatchObject({
      code: "conflict",
    });
    expect((await logged()).map((e) => e.change.kind)).toEqual(["item.created"]);
  });
});
