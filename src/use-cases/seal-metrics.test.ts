// The metrics' kept day records against history replayed, on the demo train: today's dashboard read from them is the
// one replayed from history, for the train and each team, before and after edits made today; the records kept day by
// day are those rebuilt from the whole history; and a dashboard does read them (a record changed shows).
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { operator } from "../core/permissions.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { findArt } from "../store/train.store.js";
import { forecast, inspectAdapt, metricsDashboard } from "./metrics.js";
import { lastDayToKeep, sealArt, TRAIN } from "./seal-metrics.js";
import { seedDemo } from "./seed-demo.js";
import { addProgramIncrement, addTeam } from "./set-up-train.js";
import { updateItem } from "./update-item.js";

const DAY_MS = 86_400_000;

describeEachDatabase("the metrics' kept day records", (database) => {
  let rt: Runtime;
  let artId: string;
  let teams: string[];
  const realNow = Date.now();
  const setClock = (ms: number) => {
    rt.deps.clock = () => new Date(ms);
  };

  beforeAll(async () => {
    rt = await openRuntime(await database.createUrl(), { passwordCost: 14 });
    await seedDemo(rt.deps, {});
    const art = await findArt(rt.deps.db, "DPT");
    artId = art?.id as string;
    teams = art?.teams.map((t) => t.key) ?? [];
  }, 120_000);
  afterAll(() => rt.close());

  /** Today's dashboard of the train and of each team, read from the kept records and replayed. */
  const bothWays = async (query: object = {}) =>
    Promise.all(
      [undefined, ...teams].map(async (team) => {
        const input = { ...query, ...(team ? { team } : {}) };
        return {
          team,
          kept: await metricsDashboard(rt.deps, operator(), "DPT", input),
          replayed: await metricsDashboard(rt.deps, operator(), "DPT", input, { replay: true }),
        };
      }),
    );

  const keptRows = async () => ({
    days: await rt.deps.db
      .selectFrom("metric_days")
      .select(["scope", "day", "record"])
      .where("art_id", "=", artId)
      .orderBy("scope")
      .orderBy("day")
      .execute(),
    iterations: await rt.deps.db
      .selectFrom("metric_iterations")
      .select(["iteration_id", "start", "results"])
      .where("art_id", "=", artId)
      .orderBy("iteration_id")
      .execute(),
  });
  const parsed = (rows: Awaited<ReturnType<typeof keptRows>>) => ({
    days: rows.days.map((r) => ({ ...r, record: JSON.parse(r.record) })),
    iterations: rows.iterations.map((r) => ({
      ...r,
      start: JSON.parse(r.start),
      results: r.results && JSON.parse(r.results),
    })),
  });

  it("are kept up to yesterday once the demo is loaded, for the train and each team", async () => {
    const rows = await keptRows();
    const through = lastDayToKeep(Date.now());
    expect(rows.days.filter((r) => r.day === through).map((r) => r.scope)).toHaveLength(teams.length + 1);
    expect(rows.days.some((r) => r.scope === TRAIN)).toBe(true);
    expect(rows.iterations.filter((r) => r.results !== null).length).toBeGreaterThanOrEqual(6);
  });

  it("give today's dashboard as history replayed gives it, for the train and each team", async () => {
    for (const { team, kept, replayed } of await bothWays()) expect(kept, team ?? "train").toEqual(replayed);
    for (const { team, kept, replayed } of await bothWays({ pis: 1, horizon: 3 })) {
      expect(kept, team ?? "train").toEqual(replayed);
    }
  });

  it("give today's forecasts as history replayed gives them, for the train and each team", async () => {
    for (const team of [undefined, ...teams]) {
      const input = { trials: 500, ...(team ? { team } : {}) };
      const kept = await forecast(rt.deps, operator(), "DPT", input);
      expect(kept.features.length + (kept.fit ? 1 : 0), team ?? "train").toBeGreaterThan(0);
      expect(kept, team ?? "train").toEqual(await forecast(rt.deps, operator(), "DPT", input, { replay: true }));
    }
  });

  it("give inspect & adapt of each PI as history replayed gives it", async () => {
    const art = await findArt(rt.deps.db, "DPT");
    for (const pi of art?.pis ?? []) {
      const kept = await inspectAdapt(rt.deps, operator(), "DPT", { pi: pi.name });
      expect(kept, pi.name).toEqual(await inspectAdapt(rt.deps, operator(), "DPT", { pi: pi.name }, { replay: true }));
    }
  });

  it("are what the dashboard reads: a kept record changed shows in it", async () => {
    const through = lastDayToKeep(Date.now());
    const row = await rt.deps.db
      .selectFrom("metric_days")
      .select("record")
      .where("art_id", "=", artId)
      .where("scope", "=", TRAIN)
      .where("day", "=", through)
      .executeTakeFirstOrThrow();
    const record = JSON.parse(row.record);
    const before = await metricsDashboard(rt.deps, operator(), "DPT", {});
    record.reworked.push(["not-a-story", "defect"]);
    const set = (r: unknown) =>
      rt.deps.db
        .updateTable("metric_days")
        .set({ record: JSON.stringify(r) })
        .where("art_id", "=", artId)
        .where("scope", "=", TRAIN)
        .where("day", "=", through)
        .execute();
    await set(record);
    try {
      const after = await metricsDashboard(rt.deps, operator(), "DPT", {});
      expect(after.rework.reopenings).toBe(before.rework.reopenings + 1);
      const replayed = await metricsDashboard(rt.deps, operator(), "DPT", {}, { replay: true });
      expect(replayed.rework.reopenings).toBe(before.rework.reopenings);
    } finally {
      await set(JSON.parse(row.record));
    }
  });

  it("still agree after today's edits: finished, moved back with a reason, moved to another team, a new one", async () => {
    const stories = await rt.deps.db
      .selectFrom("items")
      .select(["key", "state", "version", "team_id", "iteration_id"])
      .where("art_id", "=", artId)
      .where("level", "=", "story")
      .orderBy("key")
      .execute();
    const art = await findArt(rt.deps.db, "DPT");
    const inProgress = stories.filter((s) => s.state === "in_progress").slice(0, 2);
    const accepted = stories.find((s) => s.state === "accepted" && s.iteration_id !== null);
    const ready = stories.find((s) => s.state === "ready" && s.team_id !== null);
    expect(inProgress.length === 2 && accepted && ready).toBeTruthy();
    for (const s of inProgress) await updateItem(rt.deps, s.key, { state: "done" }, operator(), s.version);
    if (accepted) {
      await updateItem(
        rt.deps,
        accepted.key,
        { state: "in_progress", reworkReason: "defect" },
        operator(),
        accepted.version,
      );
    }
    const other = art?.teams.find((t) => t.id !== ready?.team_id);
    if (ready && other) await updateItem(rt.deps, ready.key, { teamId: other.key }, operator(), ready.version);
    for (const { team, kept, replayed } of await bothWays()) expect(kept, team ?? "train").toEqual(replayed);

    // A team made today has no record nor result kept: it had nothing before; a story moved to it counts from today.
    await addTeam(rt.deps, "DPT", { key: "NEW", name: "Newcomers" }, operator());
    teams.push("NEW");
    const next = stories.find((s) => s.state === "ready" && s.team_id !== null && s.key !== ready?.key);
    if (next) await updateItem(rt.deps, next.key, { teamId: "NEW" }, operator(), next.version);
    for (const { team, kept, replayed } of await bothWays()) expect(kept, team ?? "train").toEqual(replayed);
  });

  it("kept day by day are those rebuilt from the whole history, across iterations' ends and starts", async () => {
    // Two weeks on: every day since is kept one after another, then all of them again from the whole history.
    const finished = (rows: Awaited<ReturnType<typeof keptRows>>) =>
      rows.iterations.filter((r) => r.results !== null).length;
    // A PI added today whose iterations began weeks ago: its iterations are kept with the next day.
    const started = new Date(realNow - 30 * DAY_MS).toISOString().slice(0, 10);
    await addProgramIncrement(
      rt.deps,
      "DPT",
      { name: "PI Late", startDate: started, iterations: 3, iterationWeeks: 2 },
      operator(),
    );
    const before = await keptRows();
    setClock(realNow + 14 * DAY_MS);
    try {
      expect(await sealArt(rt.deps, artId)).toBe(true);
      const rows = await keptRows();
      expect(finished(rows)).toBeGreaterThanOrEqual(finished(before) + 2);
      expect(rows.iterations.length).toBeGreaterThan(before.iterations.length);
      const dayByDay = parsed(rows);
      for (const { team, kept, replayed } of await bothWays()) expect(kept, team ?? "train").toEqual(replayed);
      expect(await sealArt(rt.deps, artId, { rebuild: true })).toBe(true);
      const rebuilt = parsed(await keptRows());
      expect(dayByDay.days.length).toBe(rebuilt.days.length);
      expect(dayByDay).toEqual(rebuilt);
    } finally {
      setClock(realNow);
      rt.deps.clock = () => new Date();
    }
  });
});
