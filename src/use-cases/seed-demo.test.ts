// The demo train comes with its people: accounts (invited, not yet able to sign in) holding the roles they play; with
// its PI planning: capacity, dependencies on the program board, objectives, risks and the allocation policy; and with
// the history of every iteration so far, replayed at its own dates, so the metrics have a track record to show.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import type { Member } from "../core/permissions.js";
import { operator } from "../core/permissions.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { listGrants } from "../store/accounts.store.js";
import { findArt } from "../store/train.store.js";
import { listAuditTrail } from "./audit-trail.js";
import { listDependencies } from "./dependencies.js";
import { listRoles } from "./grant-roles.js";
import { listHistory } from "./item-history.js";
import { listBacklog } from "./list-backlog.js";
import { createAccount, listAccounts } from "./manage-accounts.js";
import { metricsDashboard } from "./metrics.js";
import { listPiObjectives } from "./pi-objectives.js";
import { listPiMilestones } from "./pi-settings.js";
import { programBoard } from "./program-board.js";
import { listArtRisks } from "./risks.js";
import { seedDemo } from "./seed-demo.js";
import { getCapacity } from "./team-capacity.js";

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

  it("loads a finished PI before the current one and the next, the current one under a 65/10/25 allocation", async () => {
    const art = await findArt(rt.deps.db, "DPT");
    const today = new Date().toISOString().slice(0, 10);
    const [finished, current, next] = art?.pis ?? [];
    expect(art?.pis).toHaveLength(3);
    expect((finished?.endDate ?? "") < today).toBe(true);
    expect((current?.startDate ?? "") <= today && today <= (current?.endDate ?? "")).toBe(true);
    expect((next?.startDate ?? "") > today).toBe(true);
    expect(current?.allocation).toEqual({ business: 65, enabler: 10, maintenance: 25 });
    expect(current?.iterations.map((it) => it.kind)).toEqual([
      "development",
      "development",
      "development",
      "development",
      "ip",
    ]);
    const milestones = await listPiMilestones(rt.deps, operator(), "DPT", current?.name ?? "");
    expect(milestones.map((m) => m.name)).toEqual(expect.arrayContaining(["Beta release", "PI System Demo"]));
  });

  it("gives every team a capacity above zero in each development iteration of the current PI, one overloaded", async () => {
    const art = await findArt(rt.deps.db, "DPT");
    const current = art?.pis[1];
    const { teams } = await getCapacity(rt.deps, operator(), "DPT", current?.name ?? "");
    expect(teams).toHaveLength(art?.teams.length ?? 0);
    const development = new Set(current?.iterations.filter((it) => it.kind === "development").map((it) => it.id));
    for (const team of teams) {
      const set = team.iterations.filter((it) => development.has(it.iterationId));
      expect(set).toHaveLength(development.size);
      for (const it of set) expect(it.capacity.points).toBeGreaterThan(0);
    }
    const sources = new Set(teams.flatMap((t) => t.iterations.map((it) => it.capacity.source)));
    expect(sources).toEqual(new Set(["people", "points", null]));
    const board = await programBoard(rt.deps, operator(), "DPT", current?.name ?? "", {});
    expect(board.load.filter((l) => l.overloaded)).toHaveLength(1);
  });

  it("shows cross-team dependencies on the current PI's board in every state, with a conflict and one at risk", async () => {
    const { dependencies } = await listDependencies(rt.deps, operator(), "DPT", {});
    expect(dependencies.length).toBeGreaterThanOrEqual(12);
    expect(dependencies.every((d) => d.crossTeam && d.needed.length > 0)).toBe(true);
    expect(new Set(dependencies.map((d) => d.state))).toEqual(
      new Set(["requested", "committed", "delivered", "declined"]),
    );
    expect(dependencies.find((d) => d.state === "declined")?.declineReason).toBeTruthy();
    const current = (await findArt(rt.deps.db, "DPT"))?.pis[1];
    const board = await programBoard(rt.deps, operator(), "DPT", current?.name ?? "", {});
    const health = board.dependencies.map((d) => d.health);
    expect(health).toContain("conflict");
    expect(health).toContain("at_risk");
    expect(health).toContain("healthy");
  });

  it("holds objectives with business value: planned in the current PI, assessed in the finished one", async () => {
    const art = await findArt(rt.deps.db, "DPT");
    const [finished, current] = art?.pis ?? [];
    const now = await listPiObjectives(rt.deps, operator(), "DPT", current?.name ?? "");
    for (const team of art?.teams ?? []) {
      const mine = now.objectives.filter((o) => o.teamId === team.id);
      expect(mine.some((o) => o.committed) && mine.some((o) => !o.committed)).toBe(true);
      expect(mine.every((o) => o.features.length > 0 && (o.plannedValue ?? 0) >= 1)).toBe(true);
    }
    const past = await listPiObjectives(rt.deps, operator(), "DPT", finished?.name ?? "");
    expect(past.objectives.every((o) => o.actualValue !== null)).toBe(true);
    expect(past.predictability.train.band).toBe("predictable");
    expect(past.predictability.teams.every((t) => t.percent !== null)).toBe(true);
  });

  it("replays every iteration so far at its own dates, so the train's metrics have a track record to show", async () => {
    const dashboard = await metricsDashboard(rt.deps, operator(), "DPT", {});
    const ended = dashboard.iterations.filter((i) => i.completed);
    expect(ended.length).toBeGreaterThanOrEqual(6);
    for (const i of ended) {
      expect(i.planned.stories).toBeGreaterThanOrEqual(30);
      expect(i.acceptanceRate).toBeGreaterThan(50);
      expect(i.acceptanceRate).toBeLessThan(100);
    }
    expect(ended.some((i) => i.carriedOver > 0) && ended.some((i) => i.added.stories > 0)).toBe(true);
    expect(ended.some((i) => i.removed > 0)).toBe(true);
    expect(dashboard.velocity.deviation).toBeGreaterThan(0);
    expect(dashboard.pis).toHaveLength(2);
    for (const pi of dashboard.pis) {
      expect(pi.rework.ratio).toBeGreaterThan(2);
      expect(pi.rework.ratio).toBeLessThan(15);
      expect(pi.rework.reasons.some((r) => r.reason !== "unknown")).toBe(true);
    }
    expect(dashboard.readiness.assigned.rate).toBeGreaterThanOrEqual(40);
    expect(dashboard.readiness.assigned.rate).toBeLessThanOrEqual(80);
    expect(dashboard.flow.time.count).toBeGreaterThan(50);
    expect(dashboard.flow.efficiency.percent).toBeGreaterThan(50);
    expect(dashboard.flow.efficiency.percent).toBeLessThan(100);
    expect(dashboard.burnDown?.days.length).toBeGreaterThan(0);
  });

  it("keeps a risk in every ROAM state, tied to items and owned by people of the train", async () => {
    const { risks, counts } = await listArtRisks(rt.deps, operator(), "DPT");
    for (const roam of ["unroamed", "resolved", "owned", "accepted", "mitigated"] as const) {
      expect(counts[roam]).toBeGreaterThanOrEqual(1);
    }
    expect(risks.filter((r) => r.items.length > 0).length).toBeGreaterThanOrEqual(3);
    expect(risks.filter((r) => r.owner !== null).length).toBeGreaterThanOrEqual(3);
  });
});
