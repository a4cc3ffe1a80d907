// Applying WSJF order to a program backlog: a preview of every item's current and proposed position, then (unless a
// dry run) the new order written as one change that can be undone. Pinned items keep their positions; ties break by
// Cost of Delay, then current rank; unscored items go after the scored ones.
import type { WsjfOrderPreview } from "../core/wsjf-views.js";

export type { WsjfOrderPreview };

import { z } from "zod";
import { invalid, notFound } from "../core/errors.js";
import { actorId } from "../core/permissions.js";
import { costOfDelay, proposeWsjfOrder, wsjf, wsjfAgreement } from "../core/wsjf.js";
import { lockBacklog } from "../store/items.store.js";
import { backlogCandidates } from "../store/reorders.store.js";
import { findArt } from "../store/train.store.js";
import { type Actor, authorize } from "./authorize.js";
import { type Deps, inTransaction } from "./deps.js";
import { parseInput } from "./item-input.js";
import { PROGRAM_LEVELS } from "./list-wsjf.js";
import { writeOrder } from "./reorder-backlog.js";

export const WsjfOrderInput = z.strictObject({
  level: z.enum(PROGRAM_LEVELS).default("feature"),
  pinned: z
    .array(z.string().trim().min(1).max(100))
    .max(5000)
    .default([])
    .describe("Ids or keys of items that keep their positions"),
  dryRun: z.boolean().default(false).describe("Only preview: change nothing"),
});

export async function applyWsjfOrder(
  deps: Deps,
  actor: Actor,
  artRef: string,
  input: unknown,
): Promise<WsjfOrderPreview> {
  const p = parseInput(WsjfOrderInput, input);
  const art = await findArt(deps.db, artRef);
  if (!art) throw notFound("ART", artRef);
  authorize(actor, "rank_program", { artId: art.id, teamId: null }, "ART", artRef);
  const backlog = `art:${art.id}:${p.level}`;
  return inTransaction(deps, async (db) => {
    if (!p.dryRun) await lockBacklog(db, backlog);
    const current = await backlogCandidates(db, backlog);
    const byRef = new Map(current.flatMap((c) => [[c.id, c] as const, [c.key, c] as const]));
    const pinned = new Set<string>();
    p.pinned.forEach((ref, i) => {
      const item = byRef.get(ref);
      if (!item) throw invalid(`pinned.${i}`, `no ${p.level} '${ref}' in ${art.key}'s ${p.level} backlog`);
      pinned.add(item.id);
    });
    const order = proposeWsjfOrder(current, pinned);
    const to = new Map(order.map((id, i) => [id, i + 1]));
    const byId = new Map(current.map((c) => [c.id, c]));
    const from = new Map(current.map((c, i) => [c.id, i + 1]));
    const preview: WsjfOrderPreview = {
      reorderId: null,
      dryRun: p.dryRun,
      moved: current.filter((c, i) => to.get(c.id) !== i + 1).length,
      agreementBefore: wsjfAgreement(current),
      agreementAfter: wsjfAgreement(order.map((id) => byId.get(id) as (typeof current)[number])),
      items: order.map((id, i) => {
        const c = byId.get(id) as (typeof current)[number];
        return {
          id,
          key: c.key,
          title: c.title,
          wsjf: wsjf(c.inputs),
          costOfDelay: costOfDelay(c.inputs),
          pinned: pinned.has(id),
          from: from.get(id) as number,
          to: i + 1,
        };
      }),
    };
    if (p.dryRun) return { result: preview, changes: [] };
    const written = await writeOrder(
      deps,
      db,
      { artId: art.id, backlog, teamId: null, kind: "wsjf" },
      current,
      order,
      actorId(actor),
    );
    return { result: { ...preview, reorderId: written.reorderId }, changes: written.changes };
  });
}
