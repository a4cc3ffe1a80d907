// The confidence vote that closes PI planning (fist of five): each person votes 1–5 for each team they hold a role on
// and for the train; a later vote replaces their earlier one. Everyone who may see the ART sees the results of the
// train and of the teams they may see, and their own votes.
import { z } from "zod";
import { invalid, invalidFields } from "../core/errors.js";
import { can } from "../core/permissions.js";
import { confidenceOf } from "../core/pi-planning.js";
import type { Confidence as ConfidenceResult, ConfidenceView } from "../core/planning-views.js";
import type { Art } from "../core/train.js";
import { type ConfidenceVote, castVote, listVotes } from "../store/planning.store.js";
import { type Actor, actorId, authorize } from "./authorize.js";
import { type Deps, inTransaction, now } from "./deps.js";
import { parseInput } from "./item-input.js";
import { findPi, planningChanged, teamsToShow } from "./pi-settings.js";

export type { ConfidenceResult, ConfidenceView };

export const VoteInput = z.strictObject({
  scope: z.string().trim().min(1).max(100).describe('Key or id of a team, or "train"'),
  value: z.number().int("a whole number").min(1, "1 to 5").max(5, "1 to 5").describe("Fist of five: 1 (no) to 5"),
});
export type VoteInput = z.input<typeof VoteInput>;

function viewOf(actor: Actor, art: Art, teamIds: readonly string[], votes: readonly ConfidenceVote[]): ConfidenceView {
  const me = actorId(actor);
  const result = (scopeId: string): ConfidenceResult => {
    const here = votes.filter((v) => v.scopeId === scopeId);
    return {
      ...confidenceOf(here.map((v) => v.value)),
      mine: here.find((v) => v.personId === me)?.value ?? null,
    };
  };
  return { teams: teamIds.map((teamId) => ({ teamId, ...result(teamId) })), train: result(art.id) };
}

/** The confidence vote of a PI: per team one may see, and the train's. */
export async function getConfidence(deps: Deps, actor: Actor, artRef: string, piRef: string): Promise<ConfidenceView> {
  const { art, pi } = await findPi(deps.db, actor, artRef, piRef);
  const teams = teamsToShow(actor, art, undefined);
  return viewOf(
    actor,
    art,
    teams.map((t) => t.id),
    await listVotes(deps.db, pi.id),
  );
}

/**
 * Casts one's vote for a team (vote_confidence on it) or for the train (vote_confidence on the ART, or on any of its
 * teams: everyone at PI planning votes on the train's plan), replacing one's earlier vote there.
 */
export async function voteConfidence(
  deps: Deps,
  actor: Actor,
  artRef: string,
  piRef: string,
  input: unknown,
): Promise<ConfidenceView> {
  const vote = parseInput(VoteInput, input);
  return inTransaction(deps, async (db) => {
    const { art, pi } = await findPi(db, actor, artRef, piRef);
    let scopeId: string;
    if (vote.scope === "train") {
      const anywhere = art.teams.some((t) => can(actor, "vote_confidence", { artId: art.id, teamId: t.id }));
      if (!anywhere) authorize(actor, "vote_confidence", { artId: art.id, teamId: null }, "ART", artRef);
      scopeId = art.id;
    } else {
      const team = teamsToShow(actor, art, undefined).find((t) => t.id === vote.scope || t.key === vote.scope);
      if (!team) throw invalidFields([{ path: "scope", message: `no team '${vote.scope}' in ${art.key}` }]);
      authorize(actor, "vote_confidence", { artId: art.id, teamId: team.id }, "team", `${art.key}/${team.key}`);
      scopeId = team.id;
    }
    const personId = actorId(actor);
    if (personId === null) throw invalid("as", "a vote is a person's: say who is voting (--as)");
    await castVote(db, { piId: pi.id, scopeId, personId, value: vote.value, at: now(deps) });
    const teams = teamsToShow(actor, art, undefined);
    return {
      result: viewOf(
        actor,
        art,
        teams.map((t) => t.id),
        await listVotes(db, pi.id),
      ),
      changes: [planningChanged(art.id, pi.id, actor)],
    };
  });
}
