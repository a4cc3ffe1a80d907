// Many clients moving and editing the same items at once: afterwards no rank is duplicated, every acknowledged write
// is there, and every refused one was answered 409 with the item as it is now.
import { afterEach, beforeEach, it } from "vitest";
import { type EditCall, editConcurrently, expectNoLostWrite } from "../../test/concurrent-edits.js";
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
    const call: EditCall = (_, method, path, body, ifMatch) =>
      t.call(method, path, body, ifMatch === undefined ? {} : { "If-Match": `"${ifMatch}"` });
    const keys = Array.from({ length: ITEMS }, (_, i) => `PAY-${i + 1}`);
    const { acks } = await editConcurrently(call, { keys, clients: CLIENTS, operations: OPERATIONS, seed: 7 });
    await expectNoLostWrite(call, acks, ITEMS, { history: true });
  });
});
