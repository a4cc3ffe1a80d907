// Reading history: who changed what, when, from what to what — for one item, a team or a whole ART, in a time range.
import { z } from "zod";
import { invalid, notFound } from "../core/errors.js";
import type { HistoryEvent } from "../core/item-views.js";
import { visibleTeams } from "../core/permissions.js";
import { listEvents } from "../store/history.store.js";
import { findItem } from "../store/items.store.js";
import { findArt } from "../store/train.store.js";
import { type Actor, mustSee, scopeOfItem } from "./authorize.js";
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

/** History, as far as `actor` may see it: their ARTs, and on those only the teams they may see. */
export async function listHistory(deps: Deps, actor: Actor, query: unknown): Promise<HistoryPage> {
  const q = parseInput(HistoryQuery, query);
  const admin = actor.kind === "operator" || actor.admin;
  if (!admin && !q.art && !q.item) throw invalid("art", "say which ART (or item) to read the history of");
  let teamsSeen: "all" | ReadonlySet<string> = "all";
  const limit = q.limit ?? 200;
  let artId: string | undefined;
  let teamId: string | undefined;
  let itemId: string | undefined;
  if (q.art) {
    const art = await findArt(deps.db, q.art);
    if (!art) throw notFound("ART", q.art);
    mustSee(actor, { artId: art.id, teamId: null }, "ART", q.art);
    artId = art.id;
    teamsSeen = visibleTeams(actor, art.id) ?? new Set();
    if (q.team) {
      const team = art.teams.find((t) => t.id === q.team || t.key === q.team);
      if (!team) throw notFound("team", `${art.key}/${q.team}`);
      mustSee(actor, { artId: art.id, teamId: team.id }, "team", `${art.key}/${q.team}`);
      teamId = team.id;
    }
  } else if (q.team) teamId = q.team;
  if (q.item) {
    const item = await findItem(deps.db, q.item);
    if (!item) throw notFound("item", q.item);
    mustSee(actor, scopeOfItem(item), "item", q.item);
    itemId = item.id;
  }
  const rows = await listEvents(deps.db, {
    limit: limit + 1,
    ...(artId ? { artId } : {}),
    ...(teamId ? { teamId } : {}),
    ...(itemId ? { itemId } : {}),
    ...(teamsSeen !== "all" && !itemId ? { teamIds: [...teamsSeen] } : {}),
    ...(q.from ? { from: new Date(q.from).toISOString() } : {}),
    ...(q.to ? { to: new Date(q.to).toISOString() } : {}),
    ...(q.cursor !== undefined ? { afterId: q.cursor } : {}),
  });
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? (items[items.length - 1]?.id ?? null) : null };
}
