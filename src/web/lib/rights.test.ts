// What the web app lets someone try, from their account's roles: the same rules the server applies.
import { describe, expect, it } from "vitest";
import { rightsOf, roleLabel } from "./rights";
import type { Account, Art } from "./types";

const art: Art = {
  id: "art-1",
  key: "PAY",
  name: "Payments Train",
  teams: [
    { id: "team-core", artId: "art-1", key: "core", name: "Core" },
    { id: "team-web", artId: "art-1", key: "web", name: "Web" },
  ],
  pis: [],
};

function account(roles: Account["roles"], admin = false): Account {
  return {
    id: "p-1",
    name: "Pat",
    email: "pat@example.com",
    admin,
    active: true,
    hasPassword: true,
    lockedUntil: null,
    createdAt: "2026-11-01T00:00:00Z",
    roles,
  };
}

describe("the rights the web app reads from an account", () => {
  it("a Product Manager on the ART may edit and rank the program backlog but not rank a team's stories", () => {
    const rights = rightsOf(account([{ id: "g", role: "product_manager", artId: "art-1", teamId: null }]));
    expect(rights.can("edit_program", "art-1")).toBe(true);
    expect(rights.can("rank_program", "art-1")).toBe(true);
    expect(rights.can("rank_stories", "art-1", "team-core")).toBe(false);
    expect(rights.canSee("art-1", "team-web")).toBe(true);
    expect(rights.administers).toBe(false);
  });

  it("a Product Owner of one team ranks that team only, reads and comments on the program, and sees no other team", () => {
    const rights = rightsOf(account([{ id: "g", role: "product_owner", artId: "art-1", teamId: "team-core" }]));
    expect(rights.can("rank_stories", "art-1", "team-core")).toBe(true);
    expect(rights.can("rank_stories", "art-1", "team-web")).toBe(false);
    expect(rights.can("comment", "art-1")).toBe(true);
    expect(rights.can("edit_program", "art-1")).toBe(false);
    expect(rights.canSee("art-1", "team-web")).toBe(false);
  });

  it("someone without a role on an ART may do nothing there; an administrator anything anywhere", () => {
    expect(rightsOf(account([])).can("read", "art-1")).toBe(false);
    const admin = rightsOf(account([], true));
    expect(admin.can("grant_roles", "art-1")).toBe(true);
    expect(admin.administers).toBe(true);
  });

  it("an RTE administers people and audit", () => {
    expect(rightsOf(account([{ id: "g", role: "rte", artId: "art-1", teamId: null }])).administers).toBe(true);
  });

  it("a Business Owner may estimate user-business value only; a Product Manager every WSJF input; a team PO none", () => {
    const bo = rightsOf(account([{ id: "g", role: "business_owner", artId: "art-1", teamId: null }]));
    expect(bo.canScore("businessValue", "art-1")).toBe(true);
    expect(bo.canScore("timeCriticality", "art-1")).toBe(false);
    expect(bo.canScore("riskReduction", "art-1")).toBe(false);
    expect(bo.canScore("jobSize", "art-1")).toBe(false);
    expect(bo.canScore("businessValue", "art-2")).toBe(false);
    const pm = rightsOf(account([{ id: "g", role: "product_manager", artId: "art-1", teamId: null }]));
    expect(
      ["businessValue", "timeCriticality", "riskReduction", "jobSize"].map((i) => pm.canScore(i as "jobSize", "art-1")),
    ).toEqual([true, true, true, true]);
    const po = rightsOf(account([{ id: "g", role: "product_owner", artId: "art-1", teamId: "team-core" }]));
    expect(po.canScore("businessValue", "art-1")).toBe(false);
  });

  it("a role on the whole train (or being an administrator) counts as on the whole train; a team role does not", () => {
    expect(rightsOf(account([{ id: "g", role: "viewer", artId: "art-1", teamId: null }])).onWholeTrain("art-1")).toBe(
      true,
    );
    const po = rightsOf(account([{ id: "g", role: "product_owner", artId: "art-1", teamId: "team-core" }]));
    expect(po.onWholeTrain("art-1")).toBe(false);
    expect(rightsOf(account([], true)).onWholeTrain("art-1")).toBe(true);
  });

  it("a role reads as the role and where it is held: the team, or the whole train by its name", () => {
    expect(roleLabel({ role: "product_owner", artId: "art-1", teamId: "team-core" }, [art])).toBe(
      "Product Owner · Core",
    );
    expect(roleLabel({ role: "rte", artId: "art-1", teamId: null }, [art])).toBe(
      "Release Train Engineer · Payments Train",
    );
  });
});
