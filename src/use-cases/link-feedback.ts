// Linking customer feedback to an item of its ART, and removing the link; each is a history event on the item.
import { z } from "zod";
import { AppError, invalid, notFound } from "../core/errors.js";
import type { Feedback } from "../core/feedback.js";
import { canSee } from "../core/permissions.js";
import type { WorkItem } from "../core/work-item.js";
import { deleteFeedbackLink, findFeedback, findFeedbackLink, insertFeedbackLink } from "../store/feedback.store.js";
import { recordEvents } from "../store/history.store.js";
import { findItem } from "../store/items.store.js";
import type { Db } from "../store/schema.js";
import { type Actor, actorId, authorize, scopeOfItem } from "./authorize.js";
import { type Change, type Deps, inTransaction, now } from "./deps.js";
import { parseInput } from "./item-input.js";

export const LinkFeedbackInput = z.strictObject({
  feedbackId: z.string().trim().min(1).max(100).describe("The feedback to link"),
});

/** What a feedback history event holds. */
const summary = (f: Feedback) => ({ id: f.id, source: f.source, customer: f.customer, weight: f.weight });

/** Links feedback to item `ref`; needs `record_feedback` on the item's scope (its team for a story). */
export async function linkFeedback(
  deps: Deps,
  actor: Actor,
  ref: string,
  input: unknown,
): Promise<{ feedbackId: string; itemId: string; key: string; linkedAt: string }> {
  const { feedbackId } = parseInput(LinkFeedbackInput, input);
  return inTransaction(deps, async (db) => {
    const item = await findItem(db, ref);
    if (!item || !canSee(actor, scopeOfItem(item))) throw notFound("item", ref);
    authorize(actor, "record_feedback", scopeOfItem(item), "item", ref);
    const feedback = await findFeedback(db, feedbackId);
    if (!feedback || feedback.artId !== item.artId) {
      throw invalid("feedbackId", `no feedback '${feedbackId}' in this ART`);
    }
    const at = now(deps);
    const { change } = await linkWithin(db, actor, feedback, item.id, "feedbackId", at);
    return { result: { feedbackId, itemId: item.id, key: item.key, linkedAt: at }, changes: [change] };
  });
}

/** Removes the link between feedback and item `ref`; the feedback itself stays. */
export async function unlinkFeedback(deps: Deps, actor: Actor, ref: string, feedbackId: string): Promise<void> {
  const by = actorId(actor);
  return inTransaction(deps, async (db) => {
    const item = await findItem(db, ref);
    if (!item || !canSee(actor, scopeOfItem(item))) throw notFound("item", ref);
    authorize(actor, "record_feedback", scopeOfItem(item), "item", ref);
    const link = await findFeedbackLink(db, feedbackId, item.id);
    const feedback = link && (await findFeedback(db, feedbackId));
    if (!link || !feedback) throw notFound("feedback", `${feedbackId} of ${item.key}`);
    await deleteFeedbackLink(db, feedbackId, item.id);
    const at = now(deps);
    await recordEvents(db, [event(item, "feedback_unlinked", summary(feedback), by, at)]);
    return { result: undefined, changes: [changeOf(item, by)] };
  });
}

/**
 * Inside a transaction: links `feedback` to the item `ref` (which must be in the feedback's ART and visible, else
 * `invalid` on `field`), after checking `record_feedback` on it, and records the history event.
 */
export async function linkWithin(
  db: Db,
  actor: Actor,
  feedback: Feedback,
  ref: string,
  field: string,
  at: string,
): Promise<{ item: WorkItem; change: Change }> {
  const item = await findItem(db, ref);
  if (!item || item.artId !== feedback.artId || !canSee(actor, scopeOfItem(item))) {
    throw invalid(field, `no item '${ref}' in this ART`);
  }
  authorize(actor, "record_feedback", scopeOfItem(item), "item", item.key);
  if (await findFeedbackLink(db, feedback.id, item.id)) {
    throw new AppError("conflict", `This feedback is already linked to ${item.key}.`);
  }
  const by = actorId(actor);
  await insertFeedbackLink(db, { feedbackId: feedback.id, itemId: item.id, createdAt: at, createdBy: by });
  await recordEvents(db, [event(item, "feedback_linked", summary(feedback), by, at)]);
  return { item, change: changeOf(item, by) };
}

function event(
  item: WorkItem,
  kind: "feedback_linked" | "feedback_unlinked",
  value: ReturnType<typeof summary>,
  by: string | null,
  at: string,
) {
  return {
    artId: item.artId,
    itemId: item.id,
    teamId: item.teamId,
    kind,
    field: "feedback",
    oldValue: kind === "feedback_unlinked" ? value : null,
    newValue: kind === "feedback_linked" ? value : null,
    actorId: by,
    at,
  };
}

const changeOf = (item: WorkItem, by: string | null): Change => ({
  kind: "item.related",
  artId: item.artId,
  itemId: item.id,
  key: item.key,
  backlog: item.backlog,
  actorId: by,
});
