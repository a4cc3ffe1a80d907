// Reading history: who changed what, when, from what to what — for one item, a team or a whole ART, in a time range.
import { z } from "zod";
import { notFound } from "../core/errors.js";
import type { HistoryEvent } from "../core/item-views.js";
import { listEvents } from "../store/history.store.js";
import { findItem } from "../store/items.store.js";
import { findArt } from "../store/train.store.js";
import type { Deps } from "./deps.js";
import { parseInput } from "./item-input.js";

export const HistoryQuery = z.strictObject({
  art: z.string().max(100).optional().describe("ART id or key"),
  team: z.string().max(100).optional().describe("Team id or key (with art)"),
  item: z.string().max(100).optional().describe("Item id or key"),
  from: z.iso.datetime({ offset: true }).optional().describe("Events at or after this instant"),
  to: z.iso.datetime({ offset: true }).optional().describe("Events before this instant"),
  cursor: z.coerce.number().int().min(0).optional().describe("nextCursor of the previous page"),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export interface HistoryPage {
  items: (HistoryEvent & { itemKey: string })[];
  nextCursor: number | null;
}

export async function listHistory(deps: Deps, query: unknown): Promise<HistoryPage> {
  const q = parseInput(HistoryQuery, query);
  const limit = q.limit ?? 200;
  let artId: string | undefined;
  let teamId: string | undefined;
  let itemId: string | undefined;
  if (q.art) {
    const art = await findArt(deps.db, q.art);
    if (!art) throw notFound("ART", q.art);
    artId = art.id;
    if (q.team) {
      const team = art.teams.find((t) => t.id === q.team || t.key === q.team);
      if (!team) throw notFound("team", `${art.key}/${q.team}`);
      teamId = team.id;
    }
  } else if (q.team) teamId = q.team;
  if (q.item) {
    const item = await findItem(deps.db, q.item);
    if (!item) throw notFound("item", q.item);
    itemId = item.id;
  }
  const rows = await listEvents(deps.db, {
    limit: limit + 1,
    ...(artId ? { artId } : {}),
    ...(teamId ? { teamId } : {}),
    ...(itemId ? { itemId } : {}),
    ...(q.from ? { from: new Date(q.from).toISOString() } : {}),
    ...(q.to ? { to: new Date(q.to).toISOString() } : {}),
    ...(q.cursor !== undefined ? { afterId: q.cursor } : {}),
  });
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? (items[items.length - 1]?.id ?? null) : null };
}
