// The API's defences, tried the way an attacker would: guessing passwords, forging writes from another site, planting
// a session cookie, reusing ended sessions and revoked tokens, oversized and unexpected input — on both databases.
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import {
  createSmallTrain,
  openFirstRunApp,
  openTestApp,
  type Reply,
  TEST_PASSWORD,
  type TestApp,
} from "../../test/test-app.js";
import { MAX_BODY_BYTES } from "./app.js";
import { SESSION_COOKIE } from "./auth.js";

type Requester = { request: (path: string, init: RequestInit) => Response | Promise<Response> };

/** Sends a request to the API of `app` and reads the answer as JSON where it is JSON. */
async function send(
  app: Requester,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const init: RequestInit = {
    method,
    headers: { ...(options.body !== undefined ? { "content-type": "application/json" } : {}), ...options.headers },
  };
  if (options.body !== undefined) {
    init.body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  }
  const res = await app.request(`/api/v1${path}`, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {}
  return { status: res.status, headers: res.headers, body };
}

/** The session cookie's value in a Set-Cookie header, if it sets one. */
const cookieIn = (reply: Reply): string | null =>
  reply.headers.get("set-cookie")?.match(new RegExp(`${SESSION_COOKIE}=([^;]*)`))?.[1] ?? null;

interface Session {
  cookie: string;
  csrf: string;
}

async function signIn(app: Requester, email: string, password: string, headers: Record<string, string> = {}) {
  const reply = await send(app, "POST", "/session", { body: { email, password }, headers });
  const cookie = cookieIn(reply);
  const session: Session | null = reply.status === 200 && cookie ? { cookie, csrf: reply.body.csrfToken } : null;
  return { reply, session };
}

/** A request carrying a session cookie and, if given, a CSRF token. */
const withCookie = (
  app: Requester,
  method: string,
  path: string,
  cookie: string,
  options: { csrf?: string; body?: unknown; headers?: Record<string, string> } = {},
) =>
  send(app, method, path, {
    body: options.body,
    headers: {
      cookie: `${SESSION_COOKIE}=${cookie}`,
      ...(options.csrf ? { "x-csrf-token": options.csrf } : {}),
      ...options.headers,
    },
  });

describeEachDatabase("security", (database) => {
  let t: TestApp;
  const others: { close(): Promise<void> }[] = [];

  beforeEach(async () => {
    t = await openTestApp(await database.createUrl());
    await createSmallTrain(t);
  });
  afterEach(async () => {
    await t.close();
    for (const o of others.splice(0)) await o.close();
  });

  const accountRow = (personId: string) =>
    t.runtime.deps.db.selectFrom("accounts").selectAll().where("person_id", "=", personId).executeTakeFirstOrThrow();

  it("locks an account after five wrong passwords, failing the right one exactly like a wrong one or an unknown email", async () => {
    const lena = await t.user("Lena Locked", [{ art: "PAY", role: "viewer" }]);
    const attempt = (email: string, password: string) => send(t.app, "POST", "/session", { body: { email, password } });
    const wrong: Reply[] = [];
    for (let i = 1; i <= 5; i++) wrong.push(await attempt(lena.email, `not my password ${i}`));
    expect(wrong.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);

    const right = await attempt(lena.email, lena.password);
    const unknown = await attempt("nobody@example.com", lena.password);
    expect(right.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(cookieIn(right)).toBeNull();
    expect(right.body.detail).toBe(wrong[0]?.body.detail);
    expect(unknown.body.detail).toBe(wrong[0]?.body.detail);
    expect(right.body).toEqual(wrong[4]?.body);
    expect(unknown.body).toEqual(wrong[4]?.body);

    const locked = await accountRow(lena.id);
    expect(locked.failed_sign_ins).toBe(5);
    expect(locked.locked_until).not.toBeNull();
    const lockedUntil = locked.locked_until as string;
    expect(Date.parse(lockedUntil)).toBeGreaterThan(Date.now());
    const listed = (await t.call("GET", "/users")).body.items.find((a: { id: string }) => a.id === lena.id);
    expect(listed.lockedUntil).toBe(lockedUntil);

    t.runtime.deps.clock = () => new Date(Date.parse(lockedUntil) + 1000);
    const afterLock = await attempt(lena.email, lena.password);
    expect(afterLock.status).toBe(200);
    expect(cookieIn(afterLock)).toBeTruthy();
    const reset = await accountRow(lena.id);
    expect(reset.failed_sign_ins).toBe(0);
    expect(reset.locked_until).toBeNull();
    // The count starts again: one more slip does not lock the account.
    expect((await attempt(lena.email, "one more slip")).status).toBe(401);
    expect((await attempt(lena.email, lena.password)).status).toBe(200);

    const audit = await t.call("GET", `/audit?kind=sign_in_failed&person=${lena.id}`);
    expect(audit.status).toBe(200);
    const reasons = audit.body.entries.map((e: { detail: { reason: string } }) => e.detail.reason);
    expect(reasons).toHaveLength(7);
    expect(reasons.filter((r: string) => r === "wrong password")).toHaveLength(6);
    expect(reasons).toContain("locked");
    expect(audit.body.entries.every((e: { subject: { id: string } }) => e.subject.id === lena.id)).toBe(true);
  });

  it("throttles an address after twenty failed sign-ins across accounts, while another address still gets 401", async () => {
    const p = await openTestApp(await database.createUrl(), { trustProxy: true });
    others.push(p);
    const from = (ip: string, email: string, password: string) =>
      send(p.app, "POST", "/session", { body: { email, password }, headers: { "X-Forwarded-For": ip } });
    for (let i = 0; i < 20; i++) {
      expect((await from("203.0.113.7", `guess.${i}@example.com`, "not the password")).status).toBe(401);
    }
    const throttled = await from("203.0.113.7", p.admin.email, p.admin.password);
    expect(throttled.status).toBe(429);
    expect(throttled.body.code).toBe("rate_limited");
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(cookieIn(throttled)).toBeNull();

    expect((await from("198.51.100.20", "guess.0@example.com", "not the password")).status).toBe(401);
    expect((await from("198.51.100.20", p.admin.email, p.admin.password)).status).toBe(200);
  });

  it("refuses cookie-authenticated changes without the session's CSRF token or with a wrong one", async () => {
    const { session } = await signIn(t.app, t.admin.email, t.admin.password);
    if (!session) throw new Error("no session");
    const item = (await t.call("POST", "/items", { art: "PAY", level: "feature", title: "Guarded" })).body;
    const token = (await t.call("POST", "/tokens", { name: "guarded" })).body;
    const writes = [
      { method: "POST", path: "/items", body: { art: "PAY", level: "feature", title: "Forged" } },
      { method: "PATCH", path: `/items/${item.key}`, body: { title: "Forged", version: 1 } },
      { method: "DELETE", path: `/tokens/${token.id}` },
    ];
    for (const w of writes) {
      for (const csrf of [undefined, "not-the-token", `${session.csrf.slice(0, -1)}x`]) {
        const r = await withCookie(t.app, w.method, w.path, session.cookie, {
          body: w.body,
          ...(csrf ? { csrf } : {}),
        });
        expect(r.status, `${w.method} ${w.path} with CSRF token ${csrf}`).toBe(403);
        expect(r.body).toMatchObject({ code: "forbidden", reason: "csrf" });
      }
    }
    const backlog = (await t.call("GET", "/arts/PAY/backlog/all")).body.items;
    expect(backlog.map((i: { title: string }) => i.title)).toEqual(["Guarded"]);
    expect((await t.call("GET", "/tokens")).body.items.find((x: { id: string }) => x.id === token.id).revokedAt).toBe(
      null,
    );

    const ok = { csrf: session.csrf };
    expect((await withCookie(t.app, "POST", "/items", session.cookie, { ...ok, body: writes[0]?.body })).status).toBe(
      201,
    );
    expect(
      (await withCookie(t.app, "PATCH", `/items/${item.key}`, session.cookie, { ...ok, body: writes[1]?.body })).status,
    ).toBe(200);
    expect((await withCookie(t.app, "DELETE", `/tokens/${token.id}`, session.cookie, ok)).status).toBe(204);
  });

  it("refuses a change sent from another site's page even with the right CSRF token, or with an API token", async () => {
    const { session } = await signIn(t.app, t.admin.email, t.admin.password);
    if (!session) throw new Error("no session");
    const body = { art: "PAY", level: "feature", title: "From elsewhere" };
    const evil = { origin: "https://evil.example" };
    const forged = await withCookie(t.app, "POST", "/items", session.cookie, {
      csrf: session.csrf,
      body,
      headers: evil,
    });
    expect(forged.status).toBe(403);
    expect(forged.body.reason).toBe("csrf");
    expect((await t.call("POST", "/items", body, evil)).status).toBe(403);
    expect((await t.call("GET", "/arts/PAY/backlog/all")).body.items).toEqual([]);

    const sameSite = { origin: "http://localhost" };
    const own = await withCookie(t.app, "POST", "/items", session.cookie, {
      csrf: session.csrf,
      body,
      headers: sameSite,
    });
    expect(own.status).toBe(201);
  });

  it("needs no CSRF token for reads with the cookie, nor for changes with an API token", async () => {
    const { session } = await signIn(t.app, t.admin.email, t.admin.password);
    if (!session) throw new Error("no session");
    const read = await withCookie(t.app, "GET", "/arts", session.cookie);
    expect(read.status).toBe(200);
    expect(read.body.items.map((a: { key: string }) => a.key)).toEqual(["PAY"]);
    const viaToken = await t.call("POST", "/items", { art: "PAY", level: "feature", title: "Scripted" });
    expect(viaToken.status).toBe(201);
  });

  it("never adopts a session cookie chosen before sign-in, and issues a new random one", async () => {
    const planted = "attacker-chosen-session-value";
    expect((await withCookie(t.app, "GET", "/me", planted)).status).toBe(401);
    const { reply, session } = await signIn(t.app, t.admin.email, t.admin.password, {
      cookie: `${SESSION_COOKIE}=${planted}`,
    });
    expect(reply.status).toBe(200);
    if (!session) throw new Error("no session");
    expect(session.cookie).not.toBe(planted);
    expect(session.cookie.length).toBeGreaterThanOrEqual(40);
    expect((await withCookie(t.app, "GET", "/me", planted)).status).toBe(401);
    const me = await withCookie(t.app, "GET", "/me", session.cookie);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(t.admin.id);
    // The database keeps only a keyed hash of the cookie.
    const sessions = await t.runtime.deps.db.selectFrom("sessions").selectAll().execute();
    expect(sessions.length).toBeGreaterThan(0);
    expect(JSON.stringify(sessions)).not.toContain(session.cookie);
  });

  it("ends the session on sign-out: its cookie no longer signs anyone in", async () => {
    const { session } = await signIn(t.app, t.admin.email, t.admin.password);
    if (!session) throw new Error("no session");
    const out = await withCookie(t.app, "DELETE", "/session", session.cookie, { csrf: session.csrf });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(new RegExp(`${SESSION_COOKIE}=;`));
    expect((await withCookie(t.app, "GET", "/me", session.cookie)).status).toBe(401);
    expect((await withCookie(t.app, "GET", "/session", session.cookie)).body).toMatchObject({ signedIn: false });
  });

  it("ends one's other sessions when one changes one's password, but keeps the current one", async () => {
    const carl = await t.user("Carl Changer", [{ art: "PAY", role: "viewer" }]);
    const here = (await signIn(t.app, carl.email, carl.password)).session;
    const there = (await signIn(t.app, carl.email, carl.password)).session;
    if (!here || !there) throw new Error("no session");
    const newPassword = "an entirely different passphrase";
    const changed = await withCookie(t.app, "POST", "/me/password", here.cookie, {
      csrf: here.csrf,
      body: { currentPassword: carl.password, newPassword },
    });
    expect(changed.status).toBe(204);
    expect((await withCookie(t.app, "GET", "/me", here.cookie)).status).toBe(200);
    expect((await withCookie(t.app, "GET", "/me", there.cookie)).status).toBe(401);
    expect((await signIn(t.app, carl.email, carl.password)).reply.status).toBe(401);
    expect((await signIn(t.app, carl.email, newPassword)).reply.status).toBe(200);
  });

  it("ends a deactivated account's sessions and tokens, keeps its changes attributed to it and keeps it listed", async () => {
    const dana = await t.user("Dana Departing", [{ art: "PAY", role: "product_manager" }]);
    const { session } = await signIn(t.app, dana.email, dana.password);
    if (!session) throw new Error("no session");
    const created = await t.as(dana)("POST", "/items", { art: "PAY", level: "feature", title: "Left behind" });
    expect(created.status).toBe(201);
    const edited = await withCookie(t.app, "PATCH", `/items/${created.body.key}`, session.cookie, {
      csrf: session.csrf,
      body: { title: "Left behind, renamed", version: 1 },
    });
    expect(edited.status).toBe(200);

    const off = await t.call("PATCH", `/users/${dana.id}`, { active: false });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await t.as(dana)("GET", "/me")).status).toBe(401);
    expect((await withCookie(t.app, "GET", "/me", session.cookie)).status).toBe(401);
    expect((await signIn(t.app, dana.email, dana.password)).reply.status).toBe(401);

    const history = await t.call("GET", `/items/${created.body.key}/history`);
    expect(history.body.items.map((e: { kind: string }) => e.kind)).toEqual(["created", "updated"]);
    expect(history.body.items.every((e: { actorId: string }) => e.actorId === dana.id)).toBe(true);
    const users = (await t.call("GET", "/users")).body.items;
    expect(users.find((a: { id: string }) => a.id === dana.id)).toMatchObject({
      name: "Dana Departing",
      active: false,
    });

    // Ended for good: reactivating the account does not bring the old session or token back.
    expect((await t.call("PATCH", `/users/${dana.id}`, { active: true })).status).toBe(200);
    expect((await t.as(dana)("GET", "/me")).status).toBe(401);
    expect((await withCookie(t.app, "GET", "/me", session.cookie)).status).toBe(401);
    expect((await signIn(t.app, dana.email, dana.password)).reply.status).toBe(200);
  });

  it("shows a personal API token once, keeps only its hash, and lets only its owner revoke it", async () => {
    const toni = await t.user("Toni Token", [{ art: "PAY", role: "viewer" }]);
    const made = await t.as(toni)("POST", "/tokens", { name: "ci" });
    expect(made.status).toBe(201);
    const token: string = made.body.token;
    expect(token).toMatch(/^ty_[A-Za-z0-9_-]{40,}$/);
    expect(made.body.hint).toBe(token.slice(-4));
    const secret = token.slice(3);

    const me = await t.as(token)("GET", "/me");
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(toni.id);

    const listed = await t.as(toni)("GET", "/tokens");
    expect(listed.body.items.find((x: { id: string }) => x.id === made.body.id)).toMatchObject({
      name: "ci",
      hint: token.slice(-4),
      revokedAt: null,
    });
    expect(JSON.stringify(listed.body)).not.toContain(secret.slice(0, 20));

    const rows = await t.runtime.deps.db.selectFrom("api_tokens").selectAll().execute();
    const dump = JSON.stringify(rows);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(secret.slice(0, 20));
    expect(rows.find((r) => r.id === made.body.id)?.token_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const oscar = await t.user("Oscar Other", [{ art: "PAY", role: "viewer" }]);
    expect((await t.as(oscar)("DELETE", `/tokens/${made.body.id}`)).status).toBe(404);
    expect((await t.as(token)("GET", "/me")).status).toBe(200);

    const used = await t.call("GET", "/audit?kind=token_used");
    expect(used.body.entries).toContainEqual(
      expect.objectContaining({ actor: { id: toni.id, name: "Toni Token" }, detail: { tokenId: made.body.id } }),
    );

    expect((await t.as(toni)("DELETE", `/tokens/${made.body.id}`)).status).toBe(204);
    const revoked = await t.as(token)("GET", "/me");
    expect(revoked.status).toBe(401);
    expect(revoked.body.code).toBe("unauthenticated");
  });

  it("sets the session cookie HttpOnly and SameSite=Lax, and Secure only over HTTPS", async () => {
    const plain = await signIn(t.app, t.admin.email, t.admin.password, { "x-forwarded-proto": "https" });
    const flags = plain.reply.headers.get("set-cookie") ?? "";
    expect(flags).toMatch(/;\s*HttpOnly/i);
    expect(flags).toMatch(/;\s*SameSite=Lax/i);
    expect(flags).toMatch(/;\s*Path=\//i);
    // Without a trusted proxy, a client's claim of HTTPS is not believed.
    expect(flags).not.toMatch(/;\s*Secure/i);

    const p = await openTestApp(await database.createUrl(), { trustProxy: true });
    others.push(p);
    const proxied = await signIn(p.app, p.admin.email, p.admin.password, { "x-forwarded-proto": "https" });
    expect(proxied.reply.status).toBe(200);
    const secure = proxied.reply.headers.get("set-cookie") ?? "";
    expect(secure).toMatch(/;\s*Secure/i);
    expect(secure).toMatch(/;\s*HttpOnly/i);
    expect(secure).toMatch(/;\s*SameSite=Lax/i);
  });

  it("sends nosniff and a CSP that forbids framing, and answers the unauthenticated with a problem document", async () => {
    for (const reply of [await t.call("GET", "/arts"), await send(t.app, "GET", "/arts")]) {
      expect(reply.headers.get("x-content-type-options")).toBe("nosniff");
      expect(reply.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
    const anonymous = await send(t.app, "GET", "/arts");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toContain("application/problem+json");
    expect(anonymous.headers.get("www-authenticate")).toContain("Bearer");
    expect(anonymous.body).toEqual({
      type: "https://trainyard.dev/problems/unauthenticated",
      title: "Sign-in required",
      status: 401,
      detail: expect.any(String),
      code: "unauthenticated",
    });
  });

  it("creates the first administrator only while there is none, and refuses a weak password naming it", async () => {
    const fresh = await openFirstRunApp(await database.createUrl());
    others.push(fresh);
    expect((await send(fresh.app, "GET", "/session")).body).toEqual({ signedIn: false, needsFirstAdmin: true });
    expect((await send(fresh.app, "GET", "/arts")).status).toBe(401);

    const weak = await send(fresh.app, "POST", "/setup", {
      body: { name: "Ada", email: "ada@example.com", password: "short" },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.errors.map((e: { path: string }) => e.path)).toEqual(["password"]);

    const first = await send(fresh.app, "POST", "/setup", {
      body: { name: "Ada", email: "ada@example.com", password: TEST_PASSWORD },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ signedIn: true, account: { email: "ada@example.com", admin: true } });
    const cookie = cookieIn(first);
    if (!cookie) throw new Error("no cookie");
    expect((await withCookie(fresh.app, "GET", "/me", cookie)).body).toMatchObject({ admin: true });
    expect((await withCookie(fresh.app, "GET", "/session", cookie)).body.csrfToken).toBe(first.body.csrfToken);

    const second = await send(fresh.app, "POST", "/setup", {
      body: { name: "Mallory", email: "mallory@example.com", password: TEST_PASSWORD },
    });
    expect(second.status).toBe(409);
    expect(cookieIn(second)).toBeNull();
    expect((await send(fresh.app, "GET", "/session")).body).toEqual({ signedIn: false, needsFirstAdmin: false });
    const accounts = await fresh.runtime.deps.db.selectFrom("accounts").select("admin").execute();
    expect(accounts).toHaveLength(1);
    // Where an administrator was made at start-up, setting up is refused too.
    const late = { name: "Mallory", email: "mallory@example.com", password: TEST_PASSWORD };
    expect((await send(t.app, "POST", "/setup", { body: late })).status).toBe(409);
  });

  it("stores passwords only as salted scrypt hashes", async () => {
    await t.user("Hana Hash");
    await t.user("Hugo Hash");
    const rows = await t.runtime.deps.db.selectFrom("accounts").selectAll().execute();
    expect(rows).toHaveLength(3);
    expect(JSON.stringify(rows)).not.toContain(TEST_PASSWORD);
    const hashes = rows.map((r) => r.password_hash as string);
    for (const hash of hashes) expect(hash).toMatch(/^scrypt\$14\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    // The same password, three different hashes: each has its own salt.
    expect(new Set(hashes).size).toBe(3);
  });

  it("refuses bodies over the size limit with 413 and writes nothing", async () => {
    const huge = JSON.stringify({
      art: "PAY",
      level: "feature",
      title: "Big",
      description: "x".repeat(MAX_BODY_BYTES),
    });
    const r = await t.call("POST", "/items", huge);
    expect(r.status).toBe(413);
    expect(r.body.code).toBe("too_large");
    expect((await t.call("GET", "/arts/PAY/backlog/all")).body.items).toEqual([]);
    const anonymous = await send(t.app, "POST", "/session", { body: huge });
    expect(anonymous.status).toBe(413);
  });

  it("refuses unknown fields in account and session requests, naming them", async () => {
    const cases: [string, string, object][] = [
      ["POST", "/session", { email: t.admin.email, password: t.admin.password, remember: true }],
      ["POST", "/tokens", { name: "ci", scopes: ["all"] }],
      ["PATCH", `/users/${t.admin.id}`, { admin: true, role: "rte" }],
      ["POST", "/users", { name: "Eve", email: "eve@example.com", passwordHash: "scrypt$..." }],
      ["POST", "/arts/PAY/roles", { person: t.admin.id, role: "viewer", art: "OTHER" }],
    ];
    for (const [method, path, body] of cases) {
      const r = await t.call(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(400);
      expect(r.body.errors).toEqual([
        { path: "(body)", message: expect.stringMatching(/^unknown field: (remember|scopes|role|passwordHash|art)$/) },
      ]);
    }
    expect(cookieIn(await t.call("POST", "/session", cases[0]?.[2]))).toBeNull();
    expect((await t.call("GET", "/users")).body.items).toHaveLength(1);
  });
});
