// Carrying the program's priorities down to a team: the team's stories ordered by their feature's rank in the
// program backlog, keeping the team's own order among one feature's stories (stories without a ranked feature keep
// their order at the end). A preview, a drift figure, and (unless a dry run) the order applied as one undoable change.
import type { TeamAlignment } from "../core/wsjf-views.js";

export type { TeamAlignment };

import { z } from "zod";
import { notFound } from "../core/errors.js";
import { actorId } from "../core/permissions.js";
import { alignToProgram, driftFromProgram } from "../core/wsjf.js";
import { lockBacklog } from "../store/items.store.js";
import { backlogCandidates } from "../store/reorders.store.js";
import { findArt } from "../store/train.store.js";
import { type Actor, authorize, mustSee } from "./authorize.js";
import { type Deps, inTransaction } from "./deps.js";
import { parseInput } from "./item-input.js";
import { writeOrder } from "./reorder-backlog.js";

export const AlignInput = z.strictObject({
  dryRun: z.boolean().default(false).describe("Only preview: change nothing"),
});

export async function alignTeamBacklog(
  deps: Deps,
  actor: Actor,
  artRef: string,
  teamRef: string,
  input: unknown,
): Promise<TeamAlignment> {
  const p = parseInput(AlignInput, input);
  const art = await findArt(deps.db, artRef);
  if (!art) throw notFound("ART", artRef);
  const team = art.teams.find((t) => t.key === teamRef || t.id === teamRef);
  if (!team) throw notFound("team", `${art.key}/${teamRef}`);
  const scope = { artId: art.id, teamId: team.id };
  if (p.dryRun) mustSee(actor, scope, "team", `${art.key}/${teamRef}`);
  else authorize(actor, "rank_stories", scope, "team", `${art.key}/${teamRef}`);
  const backlog = `team:${team.id}`;
  return inTransaction(deps, async (db) => {
    if (!p.dryRun) await lockBacklog(db, backlog);
    const [stories, features] = await Promise.all([
      backlogCandidates(db, backlog),
      backlogCandidates(db, `art:${art.id}:feature`),
    ]);
    const featureOrder = features.map((f) => f.id);
    const featureKey = new Map(features.map((f) => [f.id, f.key]));
    const order = alignToProgram(stories, featureOrder);
    const byId = new Map(stories.map((s) => [s.id, s]));
    const from = new Map(stories.map((s, i) => [s.id, i + 1]));
    const aligned = order.map((id) => byId.get(id) as (typeof stories)[number]);
    const result: TeamAlignment = {
      reorderId: null,
      dryRun: p.dryRun,
      driftBefore: driftFromProgram(stories, featureOrder),
      driftAfter: driftFromProgram(aligned, featureOrder),
      moved: order.filter((id, i) => from.get(id) !== i + 1).length,
      items: aligned.map((s, i) => ({
        id: s.id,
        key: s.key,
        title: s.title,
        featureKey: s.parentId ? (featureKey.get(s.parentId) ?? null) : null,
        from: from.get(s.id) as number,
        to: i + 1,
      })),
    };
    if (p.dryRun) return { result, changes: [] };
    const written = await writeOrder(
      deps,
      db,
      { artId: art.id, backlog, teamId: team.id, kind: "align" },
      stories,
      order,
      actorId(actor),
    );
    return { result: { ...result, reorderId: written.reorderId }, changes: written.changes };
  });
}
