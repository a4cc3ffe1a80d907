// The feedback review of an ART: program items whose feedback arrived after their value was last estimated (a WSJF
// input last changed, or the item was created with inputs), heaviest new feedback first, so the Product Manager knows
// what to re-score.
import { notFound } from "../core/errors.js";
import { type ReviewEntry, reviewFeedback } from "../core/feedback.js";
import type { ItemState, Level } from "../core/work-item.js";
import { WSJF_INPUTS } from "../core/wsjf.js";
import { lastEstimates, programFeedbackLinks } from "../store/feedback.store.js";
import { findItems } from "../store/items.store.js";
import { findArt } from "../store/train.store.js";
import { type Actor, mustSee } from "./authorize.js";
import type { Deps } from "./deps.js";

export interface FeedbackReviewRow extends Omit<ReviewEntry, "itemId"> {
  item: { id: string; key: string; title: string; level: Level; state: ItemState; businessValue: number | null };
}

export async function feedbackReview(
  deps: Deps,
  actor: Actor,
  artRef: string,
): Promise<{ items: FeedbackReviewRow[] }> {
  const art = await findArt(deps.db, artRef);
  if (!art) throw notFound("ART", artRef);
  mustSee(actor, { artId: art.id, teamId: null }, "ART", artRef);
  const links = await programFeedbackLinks(deps.db, art.id);
  const itemIds = [...new Set(links.map((l) => l.itemId))];
  const items = new Map((await findItems(deps.db, itemIds)).map((i) => [i.id, i]));
  const estimated = await lastEstimates(deps.db, itemIds);
  // An item created with WSJF inputs was estimated when it was created, though no edit of an input says so.
  for (const item of items.values()) {
    if (!estimated.has(item.id) && WSJF_INPUTS.some((k) => item[k] !== null)) estimated.set(item.id, item.createdAt);
  }
  const entries = reviewFeedback(links, estimated);
  return {
    items: entries.flatMap(({ itemId, ...rest }) => {
      const i = items.get(itemId);
      if (!i) return [];
      const item = {
        id: i.id,
        key: i.key,
        title: i.title,
        level: i.level,
        state: i.state,
        businessValue: i.businessValue,
      };
      return [{ item, ...rest }];
    }),
  };
}
