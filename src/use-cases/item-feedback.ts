// The customer feedback linked to one item, with its total weight.
import { notFound } from "../core/errors.js";
import type { Feedback } from "../core/feedback.js";
import { feedbackOfItem } from "../store/feedback.store.js";
import { findItem } from "../store/items.store.js";
import { type Actor, mustSee, scopeOfItem } from "./authorize.js";
import type { Deps } from "./deps.js";

export interface ItemFeedback {
  item: { id: string; key: string };
  items: (Feedback & { linkedAt: string })[];
  totalWeight: number;
}

export async function itemFeedback(deps: Deps, actor: Actor, ref: string): Promise<ItemFeedback> {
  const item = await findItem(deps.db, ref);
  if (!item) throw notFound("item", ref);
  mustSee(actor, scopeOfItem(item), "item", ref);
  const items = await feedbackOfItem(deps.db, item.id);
  return {
    item: { id: item.id, key: item.key },
    items,
    totalWeight: items.reduce((sum, f) => sum + f.weight, 0),
  };
}
