// Creating work items: one from the web app, the API or the CLI, or many at once for imports, the demo and benchmarks.
// Every item gets its ART's next key, a rank in its backlog and a `created` history event in the same transaction.
import { groupBy } from "../core/collections.js";
import { AppError, type FieldIssue, invalid, invalidFields } from "../core/errors.js";
import { canSee } from "../core/permissions.js";
import { type Placement, ranksBetween } from "../core/rank.js";
import type { Art } from "../core/train.js";
import {
  backlogOf,
  initialState,
  itemKey,
  itemProblems,
  stateChangeProblem,
  type WorkItem,
} from "../core/work-item.js";
import { recordEvents } from "../store/history.store.js";
import { edgeRank, insertItems, lockBacklog, reserveNumbers } from "../store/items.store.js";
import type { Db } from "../store/schema.js";
import { findArt } from "../store/train.store.js";
import { type Actor, actorId, authorize, scopeOfItem } from "./authorize.js";
import { type Change, type Deps, inTransaction, now } from "./deps.js";
import { CreateItemInput, parseInput, preloadedLookup, resolveRefs, toPlacement } from "./item-input.js";
import { placeInBacklog } from "./place-in-backlog.js";

export async function createItem(deps: Deps, input: unknown, actor: Actor): Promise<WorkItem> {
  const [item] = await createItems(deps, [input], actor);
  return item as WorkItem;
}

/** Creates items in one transaction: all of them, or (on any bad input) none. Items are returned in input order. */
export async function createItems(deps: Deps, inputs: readonly unknown[], actor: Actor): Promise<WorkItem[]> {
  const by = actorId(actor);
  const parsed = inputs.map((input, i) => {
    try {
      return parseInput(CreateItemInput, input);
    } catch (e) {
      throw inputs.length > 1 ? atIndex(e, i) : e;
    }
  });
  return inTransaction(deps, async (db) => {
    const at = now(deps);
    const arts = new Map<string, Art>();
    const lookup = await preloadedLookup(db, {
      items: parsed.flatMap((p) => (p.parentId ? [p.parentId] : [])),
      people: parsed.flatMap((p) => (p.ownerId ? [p.ownerId] : [])),
    });
    const drafts: { item: WorkItem; placement: Placement }[] = [];
    for (const [i, p] of parsed.entries()) {
      try {
        let art = arts.get(p.art);
        if (!art) {
          art = await findArt(db, p.art);
          if (!art || !canSee(actor, { artId: art.id, teamId: null })) throw invalid("art", `no ART '${p.art}'`);
          arts.set(p.art, art);
          arts.set(art.id, art);
        }
        const refs = await resolveRefs(lookup, art, p.level, p);
        const item: WorkItem = {
          id: deps.newId(),
          artId: art.id,
          number: 0,
          key: "",
          level: p.level,
          type: p.type,
          enablerKind: p.enablerKind ?? null,
          title: p.title,
          description: p.description,
          benefitHypothesis: p.benefitHypothesis,
          acceptanceCriteria: p.acceptanceCriteria,
          readyChecks: p.readyChecks,
          blockedReason: p.blockedReason ?? null,
          state: (p.state ?? initialState(p.level)) as WorkItem["state"],
          parentId: refs.parent?.id ?? null,
          teamId: refs.teamId ?? null,
          teamIds: refs.teamIds ?? [],
          piId: refs.piId ?? null,
          iterationId: refs.iterationId ?? null,
          points: p.points ?? null,
          businessValue: p.businessValue ?? null,
          timeCriticality: p.timeCriticality ?? null,
          riskReduction: p.riskReduction ?? null,
          jobSize: p.jobSize ?? null,
          costOfDelayPerWeek: p.costOfDelayPerWeek ?? null,
          urgency: p.urgency ?? null,
          fixedDate: p.fixedDate ?? null,
          durationWeeks: p.durationWeeks ?? null,
          labels: p.labels,
          ownerId: refs.ownerId ?? null,
          backlog: "",
          rank: "",
          version: 1,
          createdAt: at,
          createdBy: by,
          updatedAt: at,
          updatedBy: by,
        };
        const scope = scopeOfItem(item);
        const story = item.level === "story";
        authorize(actor, story ? "edit_story" : "edit_program", scope, "team", p.teamId ?? "");
        if (p.placement && !("position" in p.placement && p.placement.position === "bottom")) {
          authorize(actor, story ? "rank_stories" : "rank_program", scope, "team", p.teamId ?? "");
        }
        const stateProblem = stateChangeProblem(null, item.state);
        const problems = [...itemProblems(item), ...(stateProblem ? [{ path: "state", message: stateProblem }] : [])];
        if (problems.length > 0) {
          throw invalidFields(problems);
        }
        item.backlog = backlogOf(item);
        drafts.push({ item, placement: toPlacement(p.placement) });
      } catch (e) {
        throw inputs.length > 1 ? atIndex(e, i) : e;
      }
    }
    await assignKeys(
      db,
      drafts.map((d) => d.item),
      arts,
    );
    await assignRanks(db, drafts);
    const items = drafts.map((d) => d.item);
    await insertItems(db, items);
    await recordEvents(
      db,
      items.map((item) => ({
        artId: item.artId,
        itemId: item.id,
        teamId: item.teamId,
        kind: "created",
        field: null,
        oldValue: null,
        newValue: createdValue(item),
        actorId: by,
        at,
      })),
    );
    const changes: Change[] = items.map((item) => createdChange(item, by));
    return {
      result: items,
      changes: items.length > 50 ? [{ kind: "train.changed", artId: items[0]?.artId ?? "", actorId: by }] : changes,
    };
  });
}

/** Gives each item its ART's next number and key (e.g. PAY-42), reserving the numbers once per ART. */
async function assignKeys(db: Db, items: WorkItem[], arts: ReadonlyMap<string, Art>): Promise<void> {
  for (const [artId, group] of groupBy(items, (i) => i.artId)) {
    const artKey = arts.get(artId)?.key as string;
    const first = await reserveNumbers(db, artId, group.length);
    group.forEach((item, i) => {
      item.number = first + i;
      item.key = itemKey(artKey, item.number);
    });
  }
}

/** Items placed at the bottom get evenly spread keys after the last one, in one go per backlog; others one by one. */
async function assignRanks(db: Db, drafts: { item: WorkItem; placement: Placement }[]): Promise<void> {
  const appended = groupBy(
    drafts.filter((d) => "position" in d.placement && d.placement.position === "bottom").map((d) => d.item),
    (i) => i.backlog,
  );
  for (const [backlog, items] of appended) {
    await lockBacklog(db, backlog);
    const last = await edgeRank(db, backlog, "last", null);
    const ranks = ranksBetween(last, null, items.length);
    items.forEach((item, i) => {
      item.rank = ranks[i] as string;
    });
  }
  for (const d of drafts) {
    if ("position" in d.placement && d.placement.position === "bottom") continue;
    if (drafts.length > 1) {
      throw invalid("placement", "items created together go to the bottom of their backlogs");
    }
    d.item.rank = await placeInBacklog(db, d.item.backlog, d.placement, null);
  }
}

/** Prefixes field paths with the input's position, so a bulk error says which item was wrong. */
function atIndex(e: unknown, index: number): unknown {
  if (!(e instanceof AppError)) return e;
  const fields: FieldIssue[] = e.fields.map((f) => ({ path: `${index}.${f.path}`, message: f.message }));
  return new AppError(e.code, `item ${index}: ${e.message}`, { fields, ...(e.data ? { data: e.data } : {}) });
}

/** What a `created` event records, for every way an item is created. */
export const createdValue = (item: WorkItem) => ({
  level: item.level,
  type: item.type,
  state: item.state,
  title: item.title,
  points: item.points,
});

export const createdChange = (item: WorkItem, by: string | null): Change => ({
  kind: "item.created",
  artId: item.artId,
  itemId: item.id,
  key: item.key,
  backlog: item.backlog,
  version: item.version,
  actorId: by,
});
