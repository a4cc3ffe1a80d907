// Reading a backlog: the ART's program backlog (features and enablers; or its epics or capabilities), or a team's
// backlog of stories, in rank order, filtered, one page at a time or whole.
import { z } from "zod";
import { invalid, notFound } from "../core/errors.js";
import type { BacklogRow } from "../core/item-views.js";
import type { Art, Team } from "../core/train.js";
import { ITEM_TYPES, LEVELS, LIMITS, PROGRAM_STATES, STORY_STATES } from "../core/work-item.js";
import { listBacklog as readBacklog } from "../store/backlog.store.js";
import { findItem } from "../store/items.store.js";
import type { Db } from "../store/schema.js";
import { findArt } from "../store/train.store.js";
import { type Actor, mustSee } from "./authorize.js";
import type { Deps } from "./deps.js";
import { parseInput } from "./item-input.js";

/** A comma-separated list in a query string (or the list itself, once parsed). */
const list = <T extends readonly [string, ...string[]]>(values: T) =>
  z.union([
    z.array(z.enum(values)),
    z
      .string()
      .transform((s) => s.split(",").filter(Boolean))
      .pipe(z.array(z.enum(values))),
  ]);

export const BacklogQuery = z.strictObject({
  level: z.enum(LEVELS.filter((l) => l !== "story") as ["epic", "capability", "feature"]).optional(),
  state: list([...PROGRAM_STATES, ...STORY_STATES])
    .optional()
    .describe("Comma-separated states"),
  type: list(ITEM_TYPES).optional().describe("Comma-separated item types"),
  label: z.string().max(LIMITS.label).optional(),
  team: z.string().max(100).optional().describe("Team id or key (program backlog: features a team works on)"),
  pi: z.string().max(100).optional().describe("PI id or name"),
  iteration: z.string().max(100).optional().describe("Iteration id or 'PI name/number'"),
  parent: z.string().max(100).optional().describe("Parent item id or key"),
  q: z.string().max(200).optional().describe("Free text: words in the title, or an item key"),
  cursor: z.string().max(200).optional().describe("nextCursor of the previous page"),
  limit: z.coerce.number().int().min(1).max(LIMITS.pageSize).optional(),
});
export type BacklogQuery = z.input<typeof BacklogQuery>;

export interface BacklogPage {
  items: BacklogRow[];
  nextCursor: string | null;
}

export type BacklogScope = { art: string } | { art: string; team: string };

async function resolveScope(
  db: Db,
  actor: Actor,
  scope: BacklogScope,
  level: string,
): Promise<{ art: Art; team?: Team; backlog: string }> {
  const art = await findArt(db, scope.art);
  if (!art) throw notFound("ART", scope.art);
  mustSee(actor, { artId: art.id, teamId: null }, "ART", scope.art);
  if ("team" in scope) {
    const team = art.teams.find((t) => t.id === scope.team || t.key === scope.team);
    if (!team) throw notFound("team", `${art.key}/${scope.team}`);
    mustSee(actor, { artId: art.id, teamId: team.id }, "team", `${art.key}/${scope.team}`);
    return { art, team, backlog: `team:${team.id}` };
  }
  return { art, backlog: `art:${art.id}:${level}` };
}

function queryFilter(art: Art, q: z.output<typeof BacklogQuery>) {
  const team = q.team ? art.teams.find((t) => t.id === q.team || t.key === q.team) : undefined;
  if (q.team && !team) throw invalid("team", `no team '${q.team}' in ${art.key}`);
  const pi = q.pi ? art.pis.find((p) => p.id === q.pi || p.name === q.pi) : undefined;
  if (q.pi && !pi) throw invalid("pi", `no PI '${q.pi}' in ${art.key}`);
  const iteration = q.iteration
    ? art.pis
        .flatMap((p) => p.iterations.map((it) => ({ p, it })))
        .find(({ p, it }) => it.id === q.iteration || `${p.name}/${it.number}` === q.iteration)
    : undefined;
  if (q.iteration && !iteration) throw invalid("iteration", `no iteration '${q.iteration}' in ${art.key}`);
  return {
    ...(q.state ? { states: q.state } : {}),
    ...(q.type ? { types: q.type } : {}),
    ...(q.label ? { label: q.label } : {}),
    ...(team ? { teamId: team.id } : {}),
    ...(pi ? { piId: pi.id } : {}),
    ...(iteration ? { iterationId: iteration.it.id } : {}),
    ...(q.q ? { text: q.q } : {}),
  };
}

/** One page of a backlog in rank order; pass the returned `nextCursor` as `cursor` for the next page. */
export async function listBacklog(deps: Deps, actor: Actor, scope: BacklogScope, query: unknown): Promise<BacklogPage> {
  const q = parseInput(BacklogQuery, query);
  const { art, backlog } = await resolveScope(deps.db, actor, scope, q.level ?? "feature");
  const filter = queryFilter(art, q);
  const parent = q.parent ? await resolveParent(deps.db, q.parent) : undefined;
  const limit = q.limit ?? 100;
  const after = q.cursor ? decodeCursor(q.cursor) : undefined;
  const rows = await readBacklog(
    deps.db,
    backlog,
    { ...filter, ...(parent ? { parentId: parent } : {}) },
    {
      limit: limit + 1,
      ...(after ? { after } : {}),
    },
  );
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? encodeCursor(items[items.length - 1]?.rank ?? "") : null };
}

/** A whole backlog in one response: the slim rows a client renders all at once. */
export async function listWholeBacklog(
  deps: Deps,
  actor: Actor,
  scope: BacklogScope,
  query: unknown,
): Promise<BacklogRow[]> {
  const q = parseInput(BacklogQuery, query);
  const { art, backlog } = await resolveScope(deps.db, actor, scope, q.level ?? "feature");
  const parent = q.parent ? await resolveParent(deps.db, q.parent) : undefined;
  return readBacklog(deps.db, backlog, { ...queryFilter(art, q), ...(parent ? { parentId: parent } : {}) });
}

async function resolveParent(db: Db, ref: string): Promise<string> {
  const row = await findItem(db, ref);
  if (!row) throw invalid("parent", `no item '${ref}'`);
  return row.id;
}

const encodeCursor = (rank: string) => Buffer.from(rank, "utf8").toString("base64url");
function decodeCursor(cursor: string): string {
  const rank = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^[0-9A-Za-z]+$/.test(rank)) {
    throw invalid("cursor", "not a cursor from a previous page");
  }
  return rank;
}
