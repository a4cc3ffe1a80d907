// An ART's shape as each server keeps it: a change made through another server (a team, a PI, a PI's settings) shows
// in the next read, because every such change is logged in its transaction; inside a transaction it is read afresh;
// and what is kept is frozen, so no caller can change it for the others.
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { operator } from "../core/permissions.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { updatePi } from "../use-cases/pi-settings.js";
import { addProgramIncrement, addTeam, createTrain } from "../use-cases/set-up-train.js";
import { findArt, insertTeams } from "./train.store.js";

const by = operator();

describeEachDatabase("an ART's shape, as a server keeps it", (database) => {
  let reader: Runtime;
  let writer: Runtime;
  beforeEach(async () => {
    const url = await database.createUrl();
    reader = await openRuntime(url, { passwordCost: 14 });
    writer = await openRuntime(url, { passwordCost: 14 });
    await createTrain(writer.deps, { key: "PAY", name: "Payments", teams: [{ key: "A", name: "Alpha" }] }, by);
  });
  afterEach(async () => {
    await reader.close();
    await writer.close();
  });

  /** The ART as the reader's server sees it, read twice so that it keeps it. */
  const seen = async () => {
    await findArt(reader.deps.db, "PAY");
    return findArt(reader.deps.db, "PAY");
  };

  it("shows a change made through another server in the next read", async () => {
    expect((await seen())?.teams.map((t) => t.key)).toEqual(["A"]);
    await addTeam(writer.deps, "PAY", { key: "B", name: "Beta" }, by);
    expect((await seen())?.teams.map((t) => t.key)).toEqual(["A", "B"]);

    await addProgramIncrement(writer.deps, "PAY", { name: "PI 1", startDate: "2026-11-02", iterations: 3 }, by);
    const withPi = await seen();
    expect(withPi?.pis.map((p) => [p.name, p.iterations.length])).toEqual([["PI 1", 3]]);

    const pi = withPi?.pis[0];
    const allocation = { business: 70, enabler: 20, maintenance: 10 };
    await updatePi(writer.deps, by, "PAY", "PI 1", { version: pi?.version, allocation });
    const after = await findArt(reader.deps.db, "PAY");
    expect(after?.pis[0]?.allocation).toEqual(allocation);
    expect(after?.pis[0]?.version).toBe((pi?.version ?? 0) + 1);
    // By id as by key.
    expect((await findArt(reader.deps.db, after?.id as string))?.pis[0]?.allocation).toEqual(allocation);
  });

  it("is read afresh inside a transaction, and what is kept cannot be changed", async () => {
    const art = await seen();
    if (!art) throw new Error("the ART is not there");
    expect(Object.isFrozen(art.teams)).toBe(true);
    expect(() => (art.teams as unknown[]).push({})).toThrow(TypeError);
    await reader.deps.db.transaction().execute(async (tx) => {
      await insertTeams(tx, [{ id: "team-new", artId: art.id, key: "N", name: "New" }], "2026-11-29");
      expect((await findArt(tx, "PAY"))?.teams.map((t) => t.key)).toEqual(["A", "N"]);
    });
  });
});
