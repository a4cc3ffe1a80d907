// Customer feedback over the HTTP API on SQLite and PostgreSQL: recording it, validation, linking and unlinking it
// with history, each item's feedback, the feedback review against the last estimate, isolation and rights.
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { createSmallTrain, openTestApp, type TestApp } from "../../test/test-app.js";

/** Lets the clock move on, so "after the last estimate" is strictly after it. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describeEachDatabase("customer feedback over the API", (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await openTestApp(await database.createUrl());
    await createSmallTrain(t);
  });
  afterEach(async () => {
    await t.close();
  });

  const create = async (body: object): Promise<{ key: string; id: string; version: number }> => {
    const r = await t.call("POST", "/items", body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const feature = (title: string, art = "PAY") => create({ art, level: "feature", title });
  const record = async (body: object = {}, art = "PAY") => {
    const r = await t.call("POST", `/arts/${art}/feedback`, {
      source: "support ticket",
      customer: "Acme Bank",
      body: "Refunds take **too long**.",
      weight: 5,
      ...body,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string; items: string[]; receivedOn: string; weight: number };
  };
  const scoreValue = async (key: string, businessValue: number) => {
    const version = (await t.call("GET", `/items/${key}`)).body.item.version;
    const r = await t.call("PATCH", `/items/${key}`, { businessValue }, { "If-Match": `"${version}"` });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  const review = async () => {
    const r = await t.call("GET", "/arts/PAY/feedback/review");
    expect(r.status).toBe(200);
    return r.body.items as { item: { key: string }; newFeedback: number; newWeight: number; totalWeight: number }[];
  };

  it("records feedback with today's date by default and lists it newest first", async () => {
    const older = await record({ receivedOn: "2026-10-01", customer: "Globex", source: "sales call" });
    const newer = await record();
    expect(newer.receivedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const list = await t.call("GET", "/arts/PAY/feedback");
    expect(list.status).toBe(200);
    expect(list.body.items.map((f: { id: string }) => f.id)).toEqual([newer.id, older.id]);
    expect(list.body.items[0]).toMatchObject({
      source: "support ticket",
      customer: "Acme Bank",
      body: "Refunds take **too long**.",
      weight: 5,
      createdBy: t.admin.id,
      items: [],
    });
  });

  it("filters the list by words in the customer, source or text, ignoring case", async () => {
    await record({ customer: "Globex", source: "sales call", body: "Wants SEPA instant." });
    await record({ customer: "Acme Bank", body: "Refund status page please." });
    const byWords = await t.call("GET", "/arts/PAY/feedback?q=sepa");
    expect(byWords.body.items.map((f: { customer: string }) => f.customer)).toEqual(["Globex"]);
    const byCustomer = await t.call("GET", "/arts/PAY/feedback?customer=acme");
    expect(byCustomer.body.items.map((f: { customer: string }) => f.customer)).toEqual(["Acme Bank"]);
    const bySource = await t.call("GET", "/arts/PAY/feedback?source=SALES");
    expect(bySource.body.items.map((f: { customer: string }) => f.customer)).toEqual(["Globex"]);
    const literal = await t.call("GET", "/arts/PAY/feedback?q=%25");
    expect(literal.body.items).toEqual([]);
  });

  it("rejects a weight off the range, a date not yyyy-mm-dd and an empty text, naming each field", async () => {
    const r = await t.call("POST", "/arts/PAY/feedback", {
      source: "survey",
      customer: "SMB segment",
      body: "   ",
      weight: 101,
      receivedOn: "2026-02-30",
    });
    expect(r.status).toBe(400);
    expect(r.headers.get("content-type")).toContain("application/problem+json");
    expect(r.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["body", "receivedOn", "weight"]);
    const zero = await t.call("POST", "/arts/PAY/feedback", { source: "s", customer: "c", body: "b", weight: 0 });
    expect(zero.status).toBe(400);
    expect(zero.body.errors.map((e: { path: string }) => e.path)).toEqual(["weight"]);
    const long = await t.call("POST", "/arts/PAY/feedback", {
      source: "s",
      customer: "c",
      body: "x".repeat(10_001),
      weight: 1,
    });
    expect(long.body.errors.map((e: { path: string }) => e.path)).toEqual(["body"]);
    expect((await t.call("GET", "/arts/PAY/feedback")).body.items).toEqual([]);
  });

  it("links feedback to items of any level, shows it on the item with its total weight, and unlinks it, with history", async () => {
    const f = await feature("Instant refunds");
    const s = await create({ art: "PAY", level: "story", title: "Refund button", teamId: "core", parentId: f.id });
    const first = await record({ weight: 5 });
    const second = await record({ weight: 8, items: [f.key, s.key] });
    expect(second.items).toEqual([f.key, s.key]);

    const link = await t.call("POST", `/items/${f.key}/feedback`, { feedbackId: first.id });
    expect(link.status, JSON.stringify(link.body)).toBe(201);
    expect(link.body).toMatchObject({ feedbackId: first.id, key: f.key });
    const again = await t.call("POST", `/items/${f.key}/feedback`, { feedbackId: first.id });
    expect(again.status).toBe(409);

    const shown = await t.call("GET", `/items/${f.key}/feedback`);
    expect(shown.status).toBe(200);
    expect(shown.body.totalWeight).toBe(13);
    expect(shown.body.items.map((x: { id: string }) => x.id).sort()).toEqual([first.id, second.id].sort());
    expect((await t.call("GET", `/items/${s.key}/feedback`)).body.totalWeight).toBe(8);

    const listed = await t.call("GET", "/arts/PAY/feedback");
    const entry = listed.body.items.find((x: { id: string }) => x.id === second.id);
    expect(entry.items.map((i: { key: string }) => i.key)).toEqual([f.key, s.key]);

    const unlink = await t.call("DELETE", `/items/${f.key}/feedback/${first.id}`);
    expect(unlink.status).toBe(204);
    expect((await t.call("GET", `/items/${f.key}/feedback`)).body.totalWeight).toBe(8);
    expect((await t.call("DELETE", `/items/${f.key}/feedback/${first.id}`)).status).toBe(404);

    const history = await t.call("GET", `/items/${f.key}/history`);
    const feedbackEvents = history.body.items.filter((e: { field: string }) => e.field === "feedback");
    expect(feedbackEvents.map((e: { kind: string }) => e.kind)).toEqual([
      "feedback_linked",
      "feedback_linked",
      "feedback_unlinked",
    ]);
    expect(feedbackEvents[1]).toMatchObject({
      newValue: { id: first.id, source: "support ticket", customer: "Acme Bank", weight: 5 },
      actorId: t.admin.id,
    });
  });

  it("refuses to link an unknown feedback id, naming the field", async () => {
    const f = await feature("Instant refunds");
    const r = await t.call("POST", `/items/${f.key}/feedback`, { feedbackId: "nope" });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(["feedbackId"]);
  });

  it("lists in the review the items whose feedback arrived after their last estimate, and drops them once re-scored", async () => {
    const scored = await feature("Scored before the feedback");
    const never = await feature("Never estimated");
    const quiet = await feature("Estimated after its feedback");
    await scoreValue(scored.key, 3);
    const early = await record({ weight: 2, items: [quiet.key] });
    await tick();
    await scoreValue(quiet.key, 5);
    await tick();
    await record({ weight: 20, items: [scored.key] });
    await record({ weight: 3, items: [never.key] });
    await create({ art: "PAY", level: "story", title: "A story", teamId: "core" }).then((s) =>
      t.call("POST", `/items/${s.key}/feedback`, { feedbackId: early.id }),
    );

    const before = await review();
    expect(before.map((r) => r.item.key)).toEqual([scored.key, never.key]);
    expect(before[0]).toMatchObject({ newFeedback: 1, newWeight: 20, totalWeight: 20 });

    await tick();
    await scoreValue(scored.key, 8);
    expect((await review()).map((r) => r.item.key)).toEqual([never.key]);

    await tick();
    await t.call("POST", `/items/${quiet.key}/feedback`, { feedbackId: (await record({ weight: 1 })).id });
    expect((await review()).map((r) => r.item.key)).toEqual([never.key, quiet.key]);
  });

  it("keeps another ART's feedback out of sight: not listed, not linkable, its items hidden", async () => {
    await t.call("POST", "/arts", { key: "OTHER", name: "Other train" });
    const theirs = await record({ customer: "Their customer" }, "OTHER");
    const ours = await feature("Ours");
    expect((await t.call("GET", "/arts/PAY/feedback")).body.items).toEqual([]);
    const cross = await t.call("POST", `/items/${ours.key}/feedback`, { feedbackId: theirs.id });
    expect(cross.status).toBe(400);
    expect(cross.body.errors.map((e: { path: string }) => e.path)).toEqual(["feedbackId"]);

    const payViewer = await t.user("Pay Viewer", [{ art: "PAY", role: "viewer" }]);
    expect((await t.as(payViewer)("GET", "/arts/OTHER/feedback")).status).toBe(404);
    expect((await t.as(payViewer)("GET", "/arts/OTHER/feedback/review")).status).toBe(404);
    const otherFeature = await feature("Theirs", "OTHER");
    expect((await t.as(payViewer)("GET", `/items/${otherFeature.key}/feedback`)).status).toBe(404);
  });

  it("lets a viewer read feedback but not record or link it, and a Business Owner do both", async () => {
    const viewer = await t.user("Vera Viewer", [{ art: "PAY", role: "viewer" }]);
    const owner = await t.user("Bo Owner", [{ art: "PAY", role: "business_owner" }]);
    const f = await feature("Instant refunds");
    const existing = await record();
    const body = { source: "survey", customer: "SMB", body: "More exports", weight: 3 };

    expect((await t.as(viewer)("GET", "/arts/PAY/feedback")).status).toBe(200);
    expect((await t.as(viewer)("GET", `/items/${f.key}/feedback`)).status).toBe(200);
    const denied = await t.as(viewer)("POST", "/arts/PAY/feedback", body);
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe("forbidden");
    expect((await t.as(viewer)("POST", `/items/${f.key}/feedback`, { feedbackId: existing.id })).status).toBe(403);

    expect((await t.as(owner)("POST", "/arts/PAY/feedback", { ...body, items: [f.key] })).status).toBe(201);
    expect((await t.as(owner)("POST", `/items/${f.key}/feedback`, { feedbackId: existing.id })).status).toBe(201);
    expect((await t.as(owner)("DELETE", `/items/${f.key}/feedback/${existing.id}`)).status).toBe(204);
  });

  it("lets a team's Product Owner link feedback to their team's stories but not to features", async () => {
    const po = await t.user("Pat Owner", [{ art: "PAY", role: "product_owner", team: "core" }]);
    const f = await feature("Instant refunds");
    const s = await create({ art: "PAY", level: "story", title: "Refund button", teamId: "core" });
    const other = await create({ art: "PAY", level: "story", title: "Web story", teamId: "web" });
    const fb = await record();
    expect((await t.as(po)("POST", `/items/${s.key}/feedback`, { feedbackId: fb.id })).status).toBe(201);
    expect((await t.as(po)("POST", `/items/${f.key}/feedback`, { feedbackId: fb.id })).status).toBe(403);
    expect((await t.as(po)("POST", `/items/${other.key}/feedback`, { feedbackId: fb.id })).status).toBe(404);
  });
});
