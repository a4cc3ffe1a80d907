// Putting a whole backlog in a new order as one change: the fewest keys rewritten, a history event for each item that
// moved, and a reorder record so the change can be undone in one step. Applying WSJF order and aligning a team to the
// program both come here; so does undoing either.
import { AppError, notFound } from "../core/errors.js";
import { reorderKeys } from "../core/rank.js";
import { recordEvents } from "../store/history.store.js";
import { lockBacklog } from "../store/items.store.js";
import {
  backlogCandidates,
  findReorder,
  insertReorder,
  markUndone,
  type Placed,
  writeRanks,
} from "../store/reorders.store.js";
import type { Db } from "../store/schema.js";
import type { Change, Deps } from "./deps.js";

export type ReorderKind = "wsjf" | "align" | "undo";

export interface ReorderResult {
  /** The reorder's id (to undo it), or null when nothing moved. */
  reorderId: string | null;
  moved: number;
  changes: Change[];
}

/**
 * Writes `desired` (every id of the backlog, in the new order) over the backlog's current order `current`. Runs inside
 * the caller's transaction, after it locked the backlog.
 */
export async function writeOrder(
  deps: Deps,
  db: Db,
  target: { artId: string; backlog: string; teamId: string | null; kind: ReorderKind },
  current: readonly Placed[],
  desired: readonly string[],
  by: string | null,
): Promise<ReorderResult> {
  const keys = reorderKeys(current, desired);
  if (keys.size === 0) return { reorderId: null, moved: 0, changes: [] };
  const at = deps.clock().toISOString();
  await writeRanks(db, target.backlog, current, keys, at, by);
  const byId = new Map(current.map((c) => [c.id, c]));
  const after = desired.map((id) => {
    const was = byId.get(id) as Placed;
    const rank = keys.get(id);
    return rank === undefined ? was : { id, rank, version: was.version + 1 };
  });
  const id = deps.newId();
  await insertReorder(db, {
    id,
    artId: target.artId,
    backlog: target.backlog,
    kind: target.kind,
    before: [...current],
    after,
    at,
    actorId: by,
    undoneAt: null,
  });
  await recordEvents(
    db,
    [...keys].map(([itemId, rank]) => ({
      artId: target.artId,
      itemId,
      teamId: target.teamId,
      kind: "moved",
      field: "rank",
      oldValue: byId.get(itemId)?.rank ?? null,
      newValue: rank,
      actorId: by,
      at,
    })),
  );
  return {
    reorderId: id,
    moved: keys.size,
    changes: [{ kind: "train.changed", artId: target.artId, backlog: target.backlog, actorId: by }],
  };
}

/**
 * Undoes a reorder: its items go back to their order before it, as long as none of them has moved or changed since
 * (new items keep their places). One step, recorded as a reorder of its own.
 */
export async function undoOrder(
  deps: Deps,
  db: Db,
  reorderId: string,
  artId: string,
  teamId: string | null,
  by: string | null,
): Promise<ReorderResult> {
  const reorder = await findReorder(db, reorderId);
  if (!reorder || reorder.artId !== artId) throw notFound("reorder", reorderId);
  if (reorder.undoneAt) throw new AppError("conflict", "This reorder has been undone already.");
  await lockBacklog(db, reorder.backlog);
  const now = await backlogCandidates(db, reorder.backlog);
  const version = new Map(now.map((c) => [c.id, c.version]));
  const changed = reorder.after.filter((a) => version.has(a.id) && version.get(a.id) !== a.version);
  if (changed.length > 0) {
    throw new AppError(
      "conflict",
      `${changed.length} of the reordered items changed since; undoing would overwrite that. Reorder again instead.`,
    );
  }
  const before = reorder.before.map((b) => b.id).filter((id) => version.has(id));
  const wasThere = new Set(before);
  // Items made since stay where they are; the others take their old order around them.
  const desired: string[] = [];
  let next = 0;
  for (const c of now) desired.push(wasThere.has(c.id) ? (before[next++] as string) : c.id);
  if (!(await markUndone(db, reorder.id, deps.clock().toISOString(), by))) {
    throw new AppError("conflict", "This reorder has been undone already.");
  }
  return writeOrder(
    deps,
    db,
    { artId, backlog: reorder.backlog, teamId, kind: "undo" },
    now.map(({ id, rank, version }) => ({ id, rank, version })),
    desired,
    by,
  );
}
