// Commenting on an item. A comment is history too: it is recorded as an event with the change.
import { z } from "zod";
import { notFound } from "../core/errors.js";
import type { Comment } from "../core/item-views.js";
import { LIMITS } from "../core/work-item.js";
import { insertComment } from "../store/conversation.store.js";
import { recordEvents } from "../store/history.store.js";
import { findItem } from "../store/items.store.js";
import { type Actor, actorId, authorize, scopeOfItem } from "./authorize.js";
import { type Deps, inTransaction, now } from "./deps.js";
import { parseInput } from "./item-input.js";

export const CommentInput = z.strictObject({
  body: z
    .string()
    .trim()
    .min(1, "a comment must not be empty")
    .max(LIMITS.comment, `at most ${LIMITS.comment} characters`),
});

export async function commentOnItem(deps: Deps, ref: string, input: unknown, actor: Actor): Promise<Comment> {
  const { body } = parseInput(CommentInput, input);
  const by = actorId(actor);
  return inTransaction(deps, async (db) => {
    const item = await findItem(db, ref);
    if (!item) throw notFound("item", ref);
    authorize(actor, "comment", scopeOfItem(item), "item", ref);
    const comment: Comment = { id: deps.newId(), itemId: item.id, authorId: by, body, createdAt: now(deps) };
    await insertComment(db, comment);
    await recordEvents(db, [
      {
        artId: item.artId,
        itemId: item.id,
        teamId: item.teamId,
        kind: "commented",
        field: null,
        oldValue: null,
        newValue: comment.id,
        actorId: by,
        at: comment.createdAt,
      },
    ]);
    return {
      result: comment,
      changes: [
        {
          kind: "item.commented",
          artId: item.artId,
          itemId: item.id,
          key: item.key,
          backlog: item.backlog,
          actorId: by,
        },
      ],
    };
  });
}
