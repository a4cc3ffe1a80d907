// The day's changed stories a server keeps and then reads only the new events of: after any sequence of edits, read
// between them or not, they are what reading everything again gives. On PostgreSQL, an event that commits after a
// later one was read is not missed: the read is done again from scratch.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { operator } from "../core/permissions.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { recordEvents } from "../store/history.store.js";
import { type ChangedStories, changedStories } from "../store/metrics.store.js";
import { createItem } from "./create-items.js";
import { addProgramIncrement, createTrain } from "./set-up-train.js";
import { storiesChangedSince } from "./todays-changes.js";
import { updateItem } from "./update-item.js";

const by = operator();

/** The same content whatever the order it was read in. */
const normal = (c: ChangedStories) => ({
  stories: [...c.stories].sort((a, b) => a.id.localeCompare(b.id)),
  changes: [...c.changes].sort((a, b) => (a.order ?? 0) - (b.order ?? 0)),
  notes: [...c.notes].sort((a, b) => a.itemId.localeCompare(b.itemId) || a.at.localeCompare(b.at)),
  reachedBack: [...c.reachedBack].sort(),
});

type Edit =
  | { kind: "state"; story: number; state: "new" | "refining" | "in_progress" | "done" | "accepted" }
  | { kind: "points"; story: number; points: number }
  | { kind: "title"; story: number }
  | { kind: "iteration"; story: number; iteration: number }
  | { kind: "team"; story: number; team: number }
  | { kind: "create"; team: number };

const story = fc.nat({ max: 11 });
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant("state" as const),
    story,
    state: fc.constantFrom("new", "refining", "in_progress", "done", "accepted" as const),
  }),
  fc.record({ kind: fc.constant("points" as const), story, points: fc.constantFrom(1, 2, 3, 5, 8) }),
  fc.record({ kind: fc.constant("title" as const), story }),
  fc.record({ kind: fc.constant("iteration" as const), story, iteration: fc.nat({ max: 2 }) }),
  fc.record({ kind: fc.constant("team" as const), story, team: fc.nat({ max: 1 }) }),
  fc.record({ kind: fc.constant("create" as const), team: fc.nat({ max: 1 }) }),
);

describeEachDatabase("the day's changed stories, read on from the last read", (database) => {
  let rt: Runtime;
  let trains = 0;
  beforeAll(async () => {
    rt = await openRuntime(await database.createUrl(), { passwordCost: 14 });
  });
  afterAll(() => rt.close());

  /** A train with two teams, a PI of three iterations and a dozen stories made before `since`. */
  const train = async () => {
    const key = `T${++trains}`;
    const art = await createTrain(
      rt.deps,
      {
        key,
        name: `Train ${trains}`,
        teams: [
          { key: "A", name: "A" },
          { key: "B", name: "B" },
        ],
      },
      by,
    );
    await addProgramIncrement(rt.deps, key, { name: "PI 1", startDate: "2026-11-02", iterations: 3 }, by);
    const keys: string[] = [];
    for (let i = 0; i < 12; i++) {
      const made = await createItem(
        rt.deps,
        { art: key, level: "story", title: `Story ${i}`, teamId: i % 2 ? "B" : "A", points: 3 },
        by,
      );
      keys.push(made.key);
    }
    await new Promise((r) => setTimeout(r, 5));
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    return { key, artId: art.id, keys, since };
  };

  it("are, after any edits read between or not, what reading everything again gives", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(edit, fc.boolean()), { minLength: 1, maxLength: 25 }), async (edits) => {
        const { key, artId, keys, since } = await train();
        for (const [e, readNow] of edits) {
          try {
            if (e.kind === "create") {
              const made = await createItem(
                rt.deps,
                { art: key, level: "story", title: "New today", teamId: e.team ? "B" : "A" },
                by,
              );
              keys.push(made.key);
            } else {
              const ref = keys[e.story % keys.length] as string;
              const fields =
                e.kind === "state"
                  ? { state: e.state }
                  : e.kind === "points"
                    ? { points: e.points }
                    : e.kind === "title"
                      ? { title: `Renamed ${Math.random()}` }
                      : e.kind === "iteration"
                        ? { iterationId: `PI 1/${e.iteration + 1}` }
                        : { teamId: e.team ? "B" : "A" };
              const current = await rt.deps.db
                .selectFrom("items")
                .select("version")
                .where("key", "=", ref)
                .executeTakeFirstOrThrow();
              await updateItem(rt.deps, ref, fields, by, current.version);
            }
          } catch {
            // A refused edit (a move back without its reason, say) changes nothing: on to the next.
          }
          if (readNow) {
            expect(normal(await storiesChangedSince(rt.deps.db, artId, since))).toEqual(
              normal(await changedStories(rt.deps.db, artId, since)),
            );
          }
        }
        // And one edit that surely changes something (no story has 13 points), read on from the last read.
        const last = await rt.deps.db
          .selectFrom("items")
          .select("version")
          .where("key", "=", keys[0] as string)
          .executeTakeFirstOrThrow();
        await updateItem(rt.deps, keys[0] as string, { points: 13 }, by, last.version);
        const kept = normal(await storiesChangedSince(rt.deps.db, artId, since));
        expect(kept).toEqual(normal(await changedStories(rt.deps.db, artId, since)));
        expect(kept.changes.some((c) => c.field === "points" && c.newValue === 13)).toBe(true);
      }),
      { numRuns: 12 },
    );
  });

  // On SQLite one transaction writes at a time: events commit in the order of their ids.
  if (database.name !== "postgres") return;
  it("do not miss an event that commits after a later one was read", async () => {
    const { artId, keys, since } = await train();
    const [first, second] = await rt.deps.db
      .selectFrom("items")
      .select(["id", "team_id"])
      .where("key", "in", keys.slice(0, 2))
      .orderBy("key")
      .execute();
    const event = (item: typeof first, points: number) => ({
      artId,
      itemId: item?.id as string,
      teamId: item?.team_id ?? null,
      kind: "updated",
      field: "points",
      oldValue: 3,
      newValue: points,
      actorId: null,
      at: new Date().toISOString(),
    });
    await storiesChangedSince(rt.deps.db, artId, since);
    // The first transaction takes its event's id, then waits while the second commits a later one.
    let commit = () => {};
    const held = new Promise<void>((r) => {
      commit = r;
    });
    let recorded = () => {};
    const taken = new Promise<void>((r) => {
      recorded = r;
    });
    const late = rt.deps.db.transaction().execute(async (tx) => {
      await recordEvents(tx, [event(first, 5)]);
      recorded();
      await held;
    });
    await taken;
    await rt.deps.db.transaction().execute((tx) => recordEvents(tx, [event(second, 8)]));
    const before = normal(await storiesChangedSince(rt.deps.db, artId, since));
    expect(before.changes.map((c) => c.newValue)).toEqual([8]);
    commit();
    await late;
    const after = normal(await storiesChangedSince(rt.deps.db, artId, since));
    expect(after.changes.map((c) => c.newValue).sort()).toEqual([5, 8]);
    expect(after).toEqual(normal(await changedStories(rt.deps.db, artId, since)));
  });
});
