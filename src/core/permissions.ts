// Who may do what: roles held on an ART or on one of its teams, the rights each role carries, and the one rule that
// decides whether an actor may act on a scope. `docs/permissions.md` is this file in words, route by route.

export const ROLES = ["rte", "product_manager", "product_owner", "business_owner", "team_member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  rte: "Release Train Engineer",
  product_manager: "Product Manager",
  product_owner: "Product Owner",
  business_owner: "Business Owner",
  team_member: "Team member",
  viewer: "Viewer",
};

/** The things a role can allow. Administrators may do all of them everywhere. */
export const PERMISSIONS = [
  /** See an ART: its backlogs, items, history and live changes. */
  "read",
  /** Comment on items. */
  "comment",
  /** Link items: dependencies and other relations. */
  "relate",
  /** Create and edit epics, capabilities, features and enablers. */
  "edit_program",
  /** Rank the program backlog. */
  "rank_program",
  /** Create and refine stories, estimate them, change their state (short of accepting). */
  "edit_story",
  /** Rank a team backlog, and place stories anywhere in it. */
  "rank_stories",
  /** Accept a story (the Product Owner's call). */
  "accept_story",
  /** Add teams and PIs to an ART. */
  "configure_train",
  /** Grant and revoke roles on an ART and its teams. */
  "grant_roles",
  /** Read the ART's audit trail: its backlog changes and role changes. */
  "audit",
  /** Estimate time criticality, risk reduction | opportunity enablement and job size. */
  "score_wsjf",
  /** Estimate user-business value (Business Owners, with the Product Manager). */
  "score_business_value",
  /** Record customer feedback on an ART and link it to items. */
  "record_feedback",
  /** Set a team's refinement settings: quality rules and thresholds, Definition of Ready, ready policy. */
  "configure_refinement",
  /** Plan a PI: a team's capacity, dependencies and their commitments, PI objectives, risks, accepting a proposed plan. */
  "plan_pi",
  /** Vote in a PI's confidence vote (fist of five), for one's team and for the train. */
  "vote_confidence",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_RIGHTS: Record<Role, readonly Permission[]> = {
  rte: [
    "read",
    "comment",
    "relate",
    "configure_train",
    "grant_roles",
    "audit",
    "record_feedback",
    "configure_refinement",
    "plan_pi",
    "vote_confidence",
  ],
  product_manager: [
    "read",
    "comment",
    "relate",
    "edit_program",
    "rank_program",
    "score_wsjf",
    "score_business_value",
    "record_feedback",
    "plan_pi",
    "vote_confidence",
  ],
  product_owner: [
    "read",
    "comment",
    "relate",
    "edit_story",
    "rank_stories",
    "accept_story",
    "record_feedback",
    "configure_refinement",
    "plan_pi",
    "vote_confidence",
  ],
  business_owner: ["read", "comment", "score_business_value", "record_feedback", "vote_confidence"],
  team_member: ["read", "comment", "relate", "edit_story", "plan_pi", "vote_confidence"],
  viewer: ["read"],
};

/** What a role held on one team allows on the ART's program level (everything else needs a role on the ART). */
const TEAM_ROLE_ON_PROGRAM: readonly Permission[] = ["read", "comment"];

/** A role held on an ART (teamId null: all its teams too) or on one team of it. */
export interface RoleGrant {
  role: Role;
  artId: string;
  teamId: string | null;
}

/** A signed-in person, with their administrator flag and every role they hold. */
export interface Member {
  kind: "person";
  personId: string;
  admin: boolean;
  grants: readonly RoleGrant[];
}

/**
 * Whoever runs the `trainyard` command against the database directly: they hold the database file or its password,
 * so they may do anything; `personId` is who the change is attributed to (`--as`), if anyone.
 */
export interface Operator {
  kind: "operator";
  personId: string | null;
}

export type Actor = Member | Operator;

export const operator = (personId: string | null = null): Operator => ({ kind: "operator", personId });

/** The person a change is attributed to. */
export const actorId = (actor: Actor): string | null => actor.personId;

/** Where an action happens: an ART's program level (teamId null) or one of its teams. */
export interface Scope {
  artId: string;
  teamId: string | null;
}

const isAll = (actor: Actor): boolean => actor.kind === "operator" || actor.admin;

/**
 * Whether `actor` may do `permission` on `scope`. A role on an ART covers the ART and all its teams; a role on a team
 * covers that team, and lets its holder read and comment at the ART's program level.
 */
export function can(actor: Actor, permission: Permission, scope: Scope): boolean {
  if (isAll(actor)) return true;
  return (actor as Member).grants.some((g) => {
    if (g.artId !== scope.artId) return false;
    if (!ROLE_RIGHTS[g.role].includes(permission)) return false;
    if (g.teamId === null) return true;
    if (scope.teamId === null) return TEAM_ROLE_ON_PROGRAM.includes(permission);
    return g.teamId === scope.teamId;
  });
}

/** The teams of an ART whose backlogs `actor` may see: all of them, some, or (no role on the ART) none at all. */
export function visibleTeams(actor: Actor, artId: string): "all" | ReadonlySet<string> | null {
  if (isAll(actor)) return "all";
  const grants = (actor as Member).grants.filter((g) => g.artId === artId);
  if (grants.length === 0) return null;
  if (grants.some((g) => g.teamId === null)) return "all";
  return new Set(grants.map((g) => g.teamId as string));
}

/** Whether `actor` may see something at `scope` (a story's team, or the program level when teamId is null). */
export function canSee(actor: Actor, scope: Scope): boolean {
  const teams = visibleTeams(actor, scope.artId);
  if (teams === null) return false;
  return teams === "all" || scope.teamId === null || teams.has(scope.teamId);
}

/** The ARTs `actor` holds any role on; "all" for administrators and operators. */
export function visibleArts(actor: Actor): "all" | ReadonlySet<string> {
  if (isAll(actor)) return "all";
  return new Set((actor as Member).grants.map((g) => g.artId));
}

export const isAdmin = (actor: Actor): boolean => isAll(actor);
