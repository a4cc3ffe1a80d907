// Finds the rank key for an item placed at the top, the bottom, or before or after another item of the same backlog.
// Locks the backlog first, so concurrent placements never compute a key from the same neighbours.
import { invalid } from "../core/errors.js";
import { needsRespace, type Placement, rankBetween, ranksBetween } from "../core/rank.js";
import {
  backlogOrder,
  edgeRank,
  findPlacement,
  lockBacklog,
  neighbourRank,
  respaceBacklog,
} from "../store/items.store.js";
import type { Db } from "../store/schema.js";

/**
 * The rank key for `itemId` (null for an item not yet stored) at `placement` in `backlog`. When the key would grow past
 * the limit, the whole backlog is respaced in the same transaction and the item's key is taken from the new spacing.
 */
export async function placeInBacklog(
  db: Db,
  backlog: string,
  placement: Placement,
  itemId: string | null,
): Promise<string> {
  await lockBacklog(db, backlog);
  const except = itemId ?? "";
  let low: string | null;
  let high: string | null;
  if ("position" in placement) {
    if (placement.position === "top") {
      low = null;
      high = await edgeRank(db, backlog, "first", itemId);
    } else {
      low = await edgeRank(db, backlog, "last", itemId);
      high = null;
    }
  } else {
    const field = "before" in placement ? "before" : "after";
    const ref = "before" in placement ? placement.before : placement.after;
    const target = await findPlacement(db, ref);
    if (!target) throw invalid(field, `no item '${ref}'`);
    if (target.backlog !== backlog) throw invalid(field, `${target.key} is in another backlog`);
    if (target.id === itemId) throw invalid(field, "an item cannot be placed relative to itself");
    if (field === "before") {
      low = await neighbourRank(db, backlog, target.rank, "below", except);
      high = target.rank;
    } else {
      low = target.rank;
      high = await neighbourRank(db, backlog, target.rank, "above", except);
    }
  }
  const rank = rankBetween(low, high);
  if (!needsRespace(rank)) return rank;
  return respace(db, backlog, rank, itemId);
}

/** Respaces every key of a backlog evenly, with the placed item at the position its long key gave it. */
async function respace(db: Db, backlog: string, placedRank: string, itemId: string | null): Promise<string> {
  const others = (await backlogOrder(db, backlog)).filter((e) => e.id !== itemId);
  const at = others.findIndex((e) => e.rank > placedRank);
  const position = at < 0 ? others.length : at;
  const ids = others.map((e) => e.id);
  const ranks = ranksBetween(null, null, ids.length + 1);
  const placed = ranks.splice(position, 1)[0] as string;
  await respaceBacklog(db, backlog, ids, ranks);
  return placed;
}
