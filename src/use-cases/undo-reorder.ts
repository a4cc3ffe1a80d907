// Undoing a reorder (WSJF order applied, a team aligned to the program) in one step, by someone who may rank that
// backlog, as long as none of its items moved or changed since.
import { notFound } from "../core/errors.js";
import { actorId } from "../core/permissions.js";
import { teamOfBacklog } from "../core/work-item.js";
import { findReorder } from "../store/reorders.store.js";
import { findArt } from "../store/train.store.js";
import { type Actor, authorize } from "./authorize.js";
import { type Deps, inTransaction } from "./deps.js";
import { undoOrder } from "./reorder-backlog.js";

export async function undoReorder(
  deps: Deps,
  actor: Actor,
  artRef: string,
  reorderId: string,
): Promise<{ reorderId: string | null; moved: number }> {
  const art = await findArt(deps.db, artRef);
  if (!art) throw notFound("ART", artRef);
  const reorder = await findReorder(deps.db, reorderId);
  if (!reorder || reorder.artId !== art.id) throw notFound("reorder", reorderId);
  const teamId = teamOfBacklog(reorder.backlog);
  authorize(actor, teamId ? "rank_stories" : "rank_program", { artId: art.id, teamId }, "reorder", reorderId);
  return inTransaction(deps, async (db) => {
    const undone = await undoOrder(deps, db, reorderId, art.id, teamId, actorId(actor));
    return { result: { reorderId: undone.reorderId, moved: undone.moved }, changes: undone.changes };
  });
}
