// The checks every use case makes before it reads or changes anything: may this actor see it, may they do this.
// Something an actor may not see is reported as not found, so no one learns what exists on another train or team.
import { AppError, notFound } from "../core/errors.js";
import { type Actor, can, canSee, type Permission, type Scope } from "../core/permissions.js";

export { type Actor, actorId } from "../core/permissions.js";

/** An item's scope: stories belong to their team, everything else to its ART's program level. */
export const scopeOfItem = (item: { artId: string; level: string; teamId: string | null }): Scope => ({
  artId: item.artId,
  teamId: item.level === "story" ? item.teamId : null,
});

/** Throws not_found unless `actor` may see `scope`. */
export function mustSee(actor: Actor, scope: Scope, what: string, ref: string): void {
  if (!canSee(actor, scope)) throw notFound(what, ref);
}

const ACTIONS: Record<Permission, string> = {
  read: "see this",
  comment: "comment here",
  relate: "link items here",
  edit_program: "change the program backlog",
  rank_program: "rank the program backlog",
  edit_story: "change this team's stories",
  rank_stories: "rank this team's backlog",
  accept_story: "accept stories of this team",
  configure_train: "configure this ART",
  grant_roles: "grant roles on this ART",
  audit: "read this ART's audit trail",
  score_wsjf: "estimate WSJF here",
  score_business_value: "estimate user-business value here",
  record_feedback: "record customer feedback here",
  configure_refinement: "change this team's refinement settings",
  plan_pi: "plan this PI here",
  vote_confidence: "vote in this confidence vote",
};

/** Throws unless `actor` may do `permission` on `scope`: not_found if they may not even see it, forbidden otherwise. */
export function authorize(actor: Actor, permission: Permission, scope: Scope, what = "ART", ref = scope.artId): void {
  if (can(actor, permission, scope)) return;
  mustSee(actor, scope, what, ref);
  throw new AppError("forbidden", `Your roles do not allow you to ${ACTIONS[permission]}.`, {
    data: { permission },
  });
}

/** Throws forbidden unless `actor` is an administrator (or the operator at the database). */
export function mustBeAdmin(actor: Actor): void {
  if (actor.kind === "operator" || actor.admin) return;
  throw new AppError("forbidden", "Only an administrator can do this.");
}
