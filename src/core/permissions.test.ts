import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Actor,
  can,
  canSee,
  type Member,
  operator,
  PERMISSIONS,
  ROLE_RIGHTS,
  ROLES,
  type RoleGrant,
  visibleArts,
  visibleTeams,
} from "./permissions.js";

const arts = ["A", "B"];
const teams = ["t1", "t2", "t3"];
const grant = fc.record({
  role: fc.constantFrom(...ROLES),
  artId: fc.constantFrom(...arts),
  teamId: fc.option(fc.constantFrom(...teams), { nil: null }),
});
const member = (grants: RoleGrant[], admin = false): Member => ({ kind: "person", personId: "p", admin, grants });
const scope = fc.record({
  artId: fc.constantFrom(...arts),
  teamId: fc.option(fc.constantFrom(...teams), { nil: null }),
});
const permission = fc.constantFrom(...PERMISSIONS);

describe("who may do what", () => {
  it("administrators and the operator may do everything everywhere", () => {
    fc.assert(
      fc.property(permission, scope, (p, s) => {
        expect(can(member([], true), p, s)).toBe(true);
        expect(can(operator(), p, s)).toBe(true);
      }),
    );
  });

  it("nobody without a role on an ART may see or do anything on it", () => {
    fc.assert(
      fc.property(fc.array(grant), permission, scope, (grants, p, s) => {
        const elsewhere = grants.filter((g) => g.artId !== s.artId);
        expect(can(member(elsewhere), p, s)).toBe(false);
        expect(canSee(member(elsewhere), s)).toBe(false);
      }),
    );
  });

  it("whatever one may do, one may see", () => {
    fc.assert(
      fc.property(fc.array(grant), permission, scope, (grants, p, s) => {
        if (can(member(grants), p, s)) expect(canSee(member(grants), s)).toBe(true);
      }),
    );
  });

  it("a role on a team gives nothing on another team of the ART", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROLES), permission, (role, p) => {
        const m = member([{ role, artId: "A", teamId: "t1" }]);
        expect(can(m, p, { artId: "A", teamId: "t2" })).toBe(false);
        expect(canSee(m, { artId: "A", teamId: "t2" })).toBe(false);
        expect(can(m, p, { artId: "A", teamId: "t1" })).toBe(ROLE_RIGHTS[role].includes(p));
      }),
    );
  });

  it("a role on a team lets its holder read and comment at the program level, and nothing more there", () => {
    const po = member([{ role: "product_owner", artId: "A", teamId: "t1" }]);
    const program = { artId: "A", teamId: null };
    expect(can(po, "read", program)).toBe(true);
    expect(can(po, "comment", program)).toBe(true);
    expect(can(po, "edit_program", program)).toBe(false);
    expect(can(po, "rank_program", program)).toBe(false);
    expect(can(po, "relate", program)).toBe(false);
  });

  it("a role on an ART covers every team of it, with that role's rights only", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROLES), permission, fc.constantFrom(...teams), (role, p, team) => {
        const m = member([{ role, artId: "A", teamId: null }]);
        expect(can(m, p, { artId: "A", teamId: team })).toBe(ROLE_RIGHTS[role].includes(p));
      }),
    );
  });

  it("only Product Owners accept stories and only viewers and Business Owners cannot change stories", () => {
    const holders = ROLES.filter((r) => ROLE_RIGHTS[r].includes("accept_story"));
    expect(holders).toEqual(["product_owner"]);
    const editors = ROLES.filter((r) => ROLE_RIGHTS[r].includes("edit_story"));
    expect(editors.sort()).toEqual(["product_owner", "team_member"]);
    expect(ROLE_RIGHTS.viewer).toEqual(["read"]);
  });

  it("lists the ARTs and teams an actor may see", () => {
    const m = member([
      { role: "team_member", artId: "A", teamId: "t1" },
      { role: "viewer", artId: "B", teamId: null },
    ]);
    expect(visibleArts(m)).toEqual(new Set(["A", "B"]));
    expect(visibleTeams(m, "A")).toEqual(new Set(["t1"]));
    expect(visibleTeams(m, "B")).toBe("all");
    expect(visibleTeams(m, "C")).toBeNull();
    const admin: Actor = member([], true);
    expect(visibleArts(admin)).toBe("all");
  });
});
