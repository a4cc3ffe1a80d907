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
  async function watch(who: TestUser) {
    const res = await t.app.request("/api/v1/arts/PAY/events", { headers: { authorization: `Bearer ${who.token}` } });
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
