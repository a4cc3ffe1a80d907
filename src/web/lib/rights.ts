// What the signed-in person may do, by the same rules the server applies (src/core/permissions.ts): screens hide or
// disable what would only be refused. The server decides anyway; this is for the feel of the app.
import { useMemo } from "react";
import { can, canSee, type Member, type Permission, ROLE_LABELS, type Role } from "../../core/permissions";
import type { WsjfInput } from "../../core/wsjf";
import { useMe } from "./session";
import type { Account, Art } from "./types";

export { ROLE_LABELS, ROLES, type Role } from "../../core/permissions";

/** The account as the rules see it. */
export function memberOf(account: Account): Member {
  return {
    kind: "person",
    personId: account.id,
    admin: account.admin,
    grants: account.roles.map((r) => ({ role: r.role, artId: r.artId, teamId: r.teamId })),
  };
}

/** The right each WSJF input needs (as the server's update-item rule): user-business value is the Business Owners' too. */
export const SCORE_RIGHTS: Record<WsjfInput, Permission> = {
  businessValue: "score_business_value",
  timeCriticality: "score_wsjf",
  riskReduction: "score_wsjf",
  jobSize: "score_wsjf",
};

export interface Rights {
  admin: boolean;
  /** Whether the person may do `permission` on the ART's program level (teamId null) or on one team. */
  can(permission: Permission, artId: string, teamId?: string | null): boolean;
  canSee(artId: string, teamId: string | null): boolean;
  /** Whether the person holds a role on the whole ART (not only on teams of it), or is an administrator. */
  onWholeTrain(artId: string): boolean;
  /** Whether the person may estimate this WSJF input on the ART's program items. */
  canScore(input: WsjfInput, artId: string): boolean;
  /** An administrator, or an RTE somewhere: may open the people and audit screens. */
  administers: boolean;
}

export function rightsOf(account: Account): Rights {
  const member = memberOf(account);
  return {
    admin: account.admin,
    can: (permission, artId, teamId = null) => can(member, permission, { artId, teamId }),
    canSee: (artId, teamId) => canSee(member, { artId, teamId }),
    onWholeTrain: (artId) => account.admin || account.roles.some((r) => r.artId === artId && r.teamId === null),
    canScore: (input, artId) => can(member, SCORE_RIGHTS[input], { artId, teamId: null }),
    administers: account.admin || account.roles.some((r) => r.role === "rte"),
  };
}

export function useRights(): Rights {
  const me = useMe();
  return useMemo(() => rightsOf(me), [me]);
}

/** Where a role is held, in words: "Product Owner · Core", or the ART's name for a role on the whole train. */
export function roleLabel(role: { role: Role; artId: string; teamId: string | null }, arts: Art[]): string {
  const art = arts.find((a) => a.id === role.artId);
  const team = role.teamId ? art?.teams.find((t) => t.id === role.teamId) : undefined;
  const where = role.teamId ? (team?.name ?? "a team") : (art?.name ?? "a train");
  return `${ROLE_LABELS[role.role]} · ${where}`;
}
