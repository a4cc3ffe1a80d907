// Searching a backlog's titles: whatever the index behind it (SQLite's trigram table kept by triggers, PostgreSQL's
// pg_trgm index, or reading every row for text too short for trigrams), a search finds exactly the items whose title
// holds the text in any case, or whose key it is, in rank order; after titles are created and renamed too.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { operator } from "../core/permissions.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { createItems } from "../use-cases/create-items.js";
import { createTrain } from "../use-cases/set-up-train.js";
import { updateItem } from "../use-cases/update-item.js";
import { listBacklog } from "./backlog.store.js";

const by = operator();
/** Letters in both cases and the characters a search must take literally (LIKE's and FTS5's own among them). */
const CHARS = [..."abcABC xyzXYZ01", "%", "_", '"', "'", "\\", "-", "*", "é"];
const text = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...CHARS), minLength: min, maxLength: max });
const title = fc.tuple(fc.constantFrom("a", "B", "x"), text(0, 24)).map(([first, rest]) => `${first}${rest}`.trim());

describeEachDatabase("searching a backlog's titles", (database) => {
  let runtime: Runtime;
  let trains = 0;
  beforeAll(async () => {
    runtime = await openRuntime(await database.createUrl(), { passwordCost: 14 });
  });
  afterAll(() => runtime.close());

  it("finds exactly the titles holding the text in any case, or the item whose key it is, in rank order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(title, { minLength: 1, maxLength: 25 }),
        fc.array(fc.tuple(fc.nat(), title), { maxLength: 8 }),
        fc.array(
          fc.oneof(
            fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.boolean()).map((pick) => ({ pick })),
            text(1, 5).map((q) => ({ q })),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        async (titles, renames, searches) => {
          const key = `S${++trains}`;
          const art = await createTrain(runtime.deps, { key, name: `Search ${trains}` }, by);
          const created = await createItems(
            runtime.deps,
            titles.map((t) => ({ art: key, level: "feature", title: t })),
            by,
          );
          const current = new Map(created.map((item) => [item.key, item]));
          for (const [n, renamed] of renames) {
            const item = [...current.values()][n % current.size];
            if (!item) continue;
            const now = await updateItem(runtime.deps, item.key, { title: renamed }, by, item.version);
            current.set(now.key, now);
          }
          const titleOf = (k: string) => current.get(k)?.title ?? "";
          const backlog = `art:${art.id}:feature`;
          const ranked = (await listBacklog(runtime.deps.db, backlog, {})).map((r) => r.key);
          const queries = searches.map((s) => {
            if ("q" in s) return s.q;
            // A piece of one of the titles, or one of the keys, in a random case.
            const [which, from, length, isKey] = s.pick;
            const k = ranked[which % ranked.length] as string;
            const source = isKey ? k : titleOf(k);
            const start = from % source.length;
            const piece = isKey ? source : source.slice(start, start + 1 + (length % 6));
            return which % 2 ? piece.toUpperCase() : piece.toLowerCase();
          });
          for (const q of queries) {
            const needle = q.trim().toLowerCase();
            if (!needle) continue;
            const expected = ranked.filter(
              (k) => titleOf(k).toLowerCase().includes(needle) || k.toLowerCase() === needle,
            );
            const found = (await listBacklog(runtime.deps.db, backlog, { text: q })).map((r) => r.key);
            expect(found, `search for ${JSON.stringify(q)}`).toEqual(expected);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
