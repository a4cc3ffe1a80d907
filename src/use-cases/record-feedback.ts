// Recording customer feedback on an ART, optionally linked to items at once (one transaction, a history event on each).
import { z } from "zod";
import { notFound } from "../core/errors.js";
import {
  FEEDBACK_BODY_MAX,
  FEEDBACK_LABEL_MAX,
  FEEDBACK_WEIGHT_MAX,
  FEEDBACK_WEIGHT_MIN,
  type Feedback,
  isCalendarDate,
} from "../core/feedback.js";
import { insertFeedback } from "../store/feedback.store.js";
import { findArt } from "../store/train.store.js";
import { type Actor, actorId, authorize } from "./authorize.js";
import { type Change, type Deps, inTransaction, now } from "./deps.js";
import { parseInput } from "./item-input.js";
import { linkWithin } from "./link-feedback.js";

export const FeedbackInput = z.strictObject({
  source: z.string().trim().min(1).max(FEEDBACK_LABEL_MAX).describe('The channel, e.g. "support ticket"'),
  customer: z.string().trim().min(1).max(FEEDBACK_LABEL_MAX).describe("A customer or a segment"),
  body: z.string().trim().min(1).max(FEEDBACK_BODY_MAX).describe("What they said (markdown)"),
  weight: z.number().int().min(FEEDBACK_WEIGHT_MIN).max(FEEDBACK_WEIGHT_MAX).describe("Votes or weight, 1..100"),
  receivedOn: z
    .string()
    .refine(isCalendarDate, "expected a date yyyy-mm-dd")
    .optional()
    .describe("The day it was received (yyyy-mm-dd); today if left out"),
  items: z
    .array(z.string().trim().min(1).max(100))
    .max(50)
    .optional()
    .describe("Ids or keys of items to link it to at once"),
});

/** Records feedback on the ART `artRef`; needs `record_feedback` on the ART, and on each item it links to. */
export async function recordFeedback(
  deps: Deps,
  actor: Actor,
  artRef: string,
  input: unknown,
): Promise<Feedback & { items: string[] }> {
  const { items = [], receivedOn, ...fields } = parseInput(FeedbackInput, input);
  const art = await findArt(deps.db, artRef);
  if (!art) throw notFound("ART", artRef);
  authorize(actor, "record_feedback", { artId: art.id, teamId: null });
  const at = now(deps);
  const feedback: Feedback = {
    id: deps.newId(),
    artId: art.id,
    ...fields,
    receivedOn: receivedOn ?? at.slice(0, 10),
    createdAt: at,
    createdBy: actorId(actor),
  };
  return inTransaction(deps, async (db) => {
    await insertFeedback(db, feedback);
    const linked: string[] = [];
    const changes: Change[] = [];
    for (const [i, ref] of [...new Set(items)].entries()) {
      const { item, change } = await linkWithin(db, actor, feedback, ref, `items.${i}`, at);
      linked.push(item.key);
      changes.push(change);
    }
    return { result: { ...feedback, items: linked }, changes };
  });
}
