// The demo train comes with its people: accounts (invited, not yet able to sign in) holding the roles they play.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import type { Member } from "../core/permissions.js";
import { operator } from "../core/permissions.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { listGrants } from "../store/accounts.store.js";
import { listAuditTrail } from "./audit-trail.js";
import { listRoles } from "./grant-roles.js";
import { listHistory } from "./item-history.js";
import { listBacklog } from "./list-backlog.js";
import { createAccount, listAccounts } from "./manage-accounts.js";
import { seedDemo } from "./seed-demo.js";

describeEachDatabase("the demo train's people", (database) => {
  let rt: Runtime;
  let adminId: string;
  const started = new Date().toISOString();
  beforeAll(async () => {
    rt = await openRuntime(await database.createUrl(), { passwordCost: 14 });
    const admin = await createAccount(rt.deps, operator(), {
      name: "Ada",
      email: "ada@example.com",
      admin: true,
      password: "a long enough password",
    });
    adminId = admin.id;
    await seedDemo(rt.deps, { by: { kind: "person", personId: adminId, admin: true, grants: [] } });
  }, 120_000);
  afterAll(() => rt.close());

  it("gives each demo person an invited account and their role on the train or their teams", async () => {
    const accounts = (await listAccounts(rt.deps, operator())).filter((a) => a.id !== adminId);
    expect(accounts.length).toBeGreaterThanOrEqual(12);
    expect(accounts.every((a) => !a.hasPassword && a.active && !a.admin)).toBe(true);
    const roles = await listRoles(rt.deps, operator(), "DPT");
    const held = (email: string) =>
      roles
        .filter((r) => r.person.email === email)
        .map((r) => `${r.role}@${r.teamId ? "team" : "ART"}`)
        .sort();
    expect(held("daniel.okafor@example.com")).toEqual(["rte@ART"]);
    expect(held("maya.lindqvist@example.com")).toEqual(["product_manager@ART"]);
    expect(held("tomas.herrera@example.com")).toEqual(["product_owner@team", "product_owner@team"]);
  });

  it("records the accounts and roles as the doing of whoever loaded the demo, now", async () => {
    const trail = await listAuditTrail(rt.deps, operator(), { kind: "role_granted", limit: 500 });
    expect(trail.entries.length).toBeGreaterThanOrEqual(12);
    for (const e of trail.entries) {
      expect(e.actor?.id).toBe(adminId);
      expect(e.at >= started).toBe(true);
    }
  });

  it("shows a team member their team's backlog and hides the other teams'", async () => {
    const lena = (await listAccounts(rt.deps, operator())).find((a) => a.email === "lena.fischer@example.com");
    const grants = await listGrants(rt.deps.db, { personId: lena?.id as string });
    const member: Member = { kind: "person", personId: lena?.id as string, admin: false, grants };
    expect((await listBacklog(rt.deps, member, { art: "DPT", team: "PIPE" }, {})).items.length).toBeGreaterThan(0);
    await expect(listBacklog(rt.deps, member, { art: "DPT", team: "RUN" }, {})).rejects.toMatchObject({
      code: "not_found",
    });
    const history = await listHistory(rt.deps, member, { art: "DPT", limit: 1000 });
    const teams = new Set(history.items.map((e) => e.teamId));
    const pipe = grants[0]?.teamId;
    expect([...teams].every((t) => t === null || t === pipe)).toBe(true);
  });
});
