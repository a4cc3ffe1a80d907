// An ART's customer feedback, newest first, filtered by words, customer or source; each with the items it is linked to
// that the reader may see.
import { z } from "zod";
import { notFound } from "../core/errors.js";
import type { Feedback } from "../core/feedback.js";
import { canSee } from "../core/permissions.js";
import type { Level } from "../core/work-item.js";
import { itemsLinkedTo, listFeedback } from "../store/feedback.store.js";
import { findArt } from "../store/train.store.js";
import { type Actor, mustSee, scopeOfItem } from "./authorize.js";
import type { Deps } from "./deps.js";
import { parseInput } from "./item-input.js";

export const FeedbackQuery = z.strictObject({
  q: z.string().max(200).optional().describe("Words in the customer, source or text"),
  customer: z.string().max(200).optional(),
  source: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export interface FeedbackEntry extends Feedback {
  items: { id: string; key: string; title: string; level: Level }[];
}

export async function listArtFeedback(
  deps: Deps,
  actor: Actor,
  artRef: string,
  query: unknown,
): Promise<{ items: FeedbackEntry[] }> {
  const filter = parseInput(FeedbackQuery, query);
  const art = await findArt(deps.db, artRef);
  if (!art) throw notFound("ART", artRef);
  mustSee(actor, { artId: art.id, teamId: null }, "ART", artRef);
  const feedback = await listFeedback(deps.db, art.id, filter);
  const linked = (
    await itemsLinkedTo(
      deps.db,
      feedback.map((f) => f.id),
    )
  ).filter((i) => canSee(actor, scopeOfItem(i)));
  return {
    items: feedback.map((f) => ({
      ...f,
      items: linked
        .filter((i) => i.feedbackId === f.id)
        .map((i) => ({ id: i.id, key: i.key, title: i.title, level: i.level as Level })),
    })),
  };
}
