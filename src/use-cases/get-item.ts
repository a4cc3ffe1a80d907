// Opening an item: the item itself, its place in the hierarchy both ways, its relations and its comments.
import { notFound } from "../core/errors.js";
import { type ItemDetail, type ItemRef, refOf } from "../core/item-views.js";
import { canSee } from "../core/permissions.js";
import { RELATION_LABELS } from "../core/work-item.js";
import { listComments, relationsOf } from "../store/conversation.store.js";
import { childrenOf, childTotals, findItem, findItems } from "../store/items.store.js";
import { type Actor, mustSee, scopeOfItem } from "./authorize.js";
import type { Deps } from "./deps.js";

/** An item and its surroundings, as far as `actor` may see them (another team's stories are left out). */
export async function getItem(deps: Deps, ref: string, actor: Actor): Promise<ItemDetail> {
  const { db } = deps;
  const item = await findItem(db, ref);
  if (!item) throw notFound("item", ref);
  mustSee(actor, scopeOfItem(item), "item", ref);
  const visible = (i: { artId: string; level: string; teamId: string | null }) => canSee(actor, scopeOfItem(i));
  const ancestors: ItemRef[] = [];
  for (let parentId = item.parentId; parentId; ) {
    const parent = await findItem(db, parentId);
    if (!parent) break;
    ancestors.unshift(refOf(parent));
    parentId = parent.parentId;
  }
  const [children, relations, comments, totals] = await Promise.all([
    childrenOf(db, item.id),
    relationsOf(db, item.id),
    listComments(db, item.id),
    childTotals(db, [item.id]),
  ]);
  const others = await findItems(
    db,
    relations.map((r) => (r.fromId === item.id ? r.toId : r.fromId)),
  );
  const byId = new Map(others.map((o) => [o.id, o]));
  return {
    item,
    ancestors,
    children: children.filter(visible).map((c) => ({ ...refOf(c), points: c.points, teamId: c.teamId })),
    childCount: totals.get(item.id)?.count ?? 0,
    childPoints: totals.get(item.id)?.points ?? 0,
    relations: relations.flatMap((r) => {
      const outgoing = r.fromId === item.id;
      const other = byId.get(outgoing ? r.toId : r.fromId);
      if (!other || !visible(other)) return [];
      const direction = outgoing ? "outgoing" : "incoming";
      return [{ id: r.id, kind: r.kind, direction, label: RELATION_LABELS[r.kind][direction], item: refOf(other) }];
    }),
    comments,
  };
}
