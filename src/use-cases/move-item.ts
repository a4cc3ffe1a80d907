// Moving an item within its backlog: top, bottom, before or after another item. Only the moved item's key changes.
import { z } from "zod";
import { notFound } from "../core/errors.js";
import type { Placement } from "../core/rank.js";
import type { WorkItem } from "../core/work-item.js";
import { recordEvents } from "../store/history.store.js";
import { findItem, writeRank } from "../store/items.store.js";
import { type Actor, actorId, authorize, scopeOfItem } from "./authorize.js";
import { type Deps, inTransaction, now } from "./deps.js";
import { parseInput } from "./item-input.js";
import { placeInBacklog } from "./place-in-backlog.js";
import { versionConflict } from "./update-item.js";

export const MoveItemInput = z
  .strictObject({
    position: z.enum(["top", "bottom"]).optional(),
    before: z.string().trim().min(1).max(100).optional().describe("Id or key of the item to move this one before"),
    after: z.string().trim().min(1).max(100).optional().describe("Id or key of the item to move this one after"),
    version: z.number().int().positive().optional().describe("The version the move was made on (or send If-Match)"),
  })
  .refine((m) => [m.position, m.before, m.after].filter((x) => x !== undefined).length === 1, {
    message: "say exactly one of position, before or after",
    path: ["position"],
  });
export type MoveItemInput = z.input<typeof MoveItemInput>;

/** Moves the item `ref`. With a version (If-Match or in the body), a move of an item changed since fails as a conflict. */
export async function moveItem(
  deps: Deps,
  ref: string,
  input: unknown,
  actor: Actor,
  version?: number,
): Promise<WorkItem> {
  const by = actorId(actor);
  const move = parseInput(MoveItemInput, input);
  const placement: Placement = move.before
    ? { before: move.before }
    : move.after
      ? { after: move.after }
      : { position: move.position ?? "bottom" };
  const expected = version ?? move.version;
  return inTransaction(deps, async (db) => {
    const item = await findItem(db, ref);
    if (!item) throw notFound("item", ref);
    authorize(actor, item.level === "story" ? "rank_stories" : "rank_program", scopeOfItem(item), "item", ref);
    if (expected !== undefined && item.version !== expected) throw versionConflict(item, expected);
    const rank = await placeInBacklog(db, item.backlog, placement, item.id);
    const at = now(deps);
    const next: WorkItem = { ...item, rank, version: item.version + 1, updatedAt: at, updatedBy: by };
    if (!(await writeRank(db, next, item.version))) {
      throw versionConflict((await findItem(db, item.id)) ?? item, expected ?? item.version);
    }
    await recordEvents(db, [
      {
        artId: item.artId,
        itemId: item.id,
        teamId: item.teamId,
        kind: "moved",
        field: "rank",
        oldValue: item.rank,
        newValue: rank,
        actorId: by,
        at,
      },
    ]);
    return {
      result: next,
      changes: [
        {
          kind: "item.moved",
          artId: item.artId,
          itemId: item.id,
          key: item.key,
          backlog: item.backlog,
          version: next.version,
          actorId: by,
        },
      ],
    };
  });
}
