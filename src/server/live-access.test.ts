// Live changes respect access for as long as a stream is open: it ends when its token is revoked or its holder loses
// their role on the ART, checked at every heartbeat.
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { createSmallTrain, openTestApp, type TestApp, type TestUser } from "../../test/test-app.js";

describeEachDatabase("live changes and access", (database) => {
  let t: TestApp;
  let viewer: TestUser;
  beforeEach(async () => {
    t = await openTestApp(await database.createUrl(), { heartbeatMs: 50 });
    await createSmallTrain(t);
    viewer = await t.user("Vic Viewer", [{ art: "PAY", role: "viewer" }]);
  });
  afterEach(() => t.close());

  /** Opens the ART's stream as `who` and resolves when it ends (with what it received). */
  async function watch(who: TestUser, headers: Record<string, string> = {}) {
    const res = await t.app.request("/api/v1/arts/PAY/events", {
      headers: { authorization: `Bearer ${who.token}`, ...headers },
    });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    const ended = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return text;
        text += decoder.decode(value);
      }
    })();
    return { ended, text: () => text, cancel: () => reader.cancel() };
  }

  const within = <T>(p: Promise<T>, ms: number) =>
    Promise.race([
      p,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms)),
    ]);

  it("keeps a stream open while its holder may see the ART", async () => {
    const stream = await watch(viewer);
    await new Promise((r) => setTimeout(r, 300));
    expect(stream.text()).toContain("event: ping");
    await t.call("POST", "/items", { art: "PAY", level: "feature", title: "Seen live" });
    await expect.poll(stream.text).toContain('"kind":"item.created"');
    await stream.cancel();
  });

  it("resumes a stream after the last change it saw (Last-Event-ID), and refuses an id that is not one", async () => {
    const first = await watch(viewer);
    const created = await t.call("POST", "/items", { art: "PAY", level: "feature", title: "Seen" });
    await expect.poll(first.text).toContain(`"key":"${created.body.key}"`);
    const lastId = [...first.text().matchAll(/^id: (\d+)$/gm)].at(-1)?.[1] as string;
    await first.cancel();
    const missed = [];
    for (const title of ["Missed 1", "Missed 2"]) {
      missed.push((await t.call("POST", "/items", { art: "PAY", level: "feature", title })).body.key);
    }
    const again = await watch(viewer, { "Last-Event-ID": lastId });
    await expect.poll(again.text).toContain(`"key":"${missed[1]}"`);
    const text = again.text();
    expect(text).toMatch(new RegExp(`^event: ready\ndata: .*"caughtUp":true.*\nid: ${lastId}\n`));
    expect(text).not.toContain(`"key":"${created.body.key}"`);
    expect(text.indexOf(`"key":"${missed[0]}"`)).toBeLessThan(text.indexOf(`"key":"${missed[1]}"`));
    await again.cancel();

    const bad = await t.app.request("/api/v1/arts/PAY/events", {
      headers: { authorization: `Bearer ${viewer.token}`, "Last-Event-ID": "yesterday" },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("last-event-id");
  });

  it("ends the stream when its token is revoked", async () => {
    const stream = await watch(viewer);
    const tokens = await t.as(viewer)("GET", "/tokens");
    expect((await t.as(viewer)("DELETE", `/tokens/${tokens.body.items[0].id}`)).status).toBe(204);
    await within(stream.ended, 2_000);
  });

  it("ends the stream when its holder loses their role on the ART", async () => {
    const stream = await watch(viewer);
    const roles = await t.call("GET", "/arts/PAY/roles");
    const grant = roles.body.items.find((r: { person: { id: string } }) => r.person.id === viewer.id);
    expect((await t.call("DELETE", `/arts/PAY/roles/${grant.id}`)).status).toBe(204);
    await within(stream.ended, 2_000);
  });
});
