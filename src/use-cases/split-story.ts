// Splitting a story: 2 to 10 new stories take its place in the team backlog, in order, each linked to it as `split
// from`, and the story is closed as split (not done work, so velocity never counts it). One transaction writes the new
// stories with their `created` events, the links with a `related` event on both ends, and the original's state change;
// the changes are published after it commits. The suggestions come from the core (`suggestSplits`).
//
// What the new stories keep of the original: its team, parent feature, type (and enabler kind), benefit hypothesis,
// labels and owner, and its PI and iteration (none when it had none): a split of planned work stays planned where the
// work was, and the team re-plans if the parts no longer fit. They start as `new`, each to be refined and estimated.
import { z } from "zod";
import { AppError, type FieldIssue, invalid, invalidFields, notFound } from "../core/errors.js";
import { needsRespace, ranksBetween } from "../core/rank.js";
import { MAX_SPLIT_STORIES, SPLIT_PATTERNS, type SplitSuggestion, suggestSplits } from "../core/story-splitting.js";
import type { Art } from "../core/train.js";
import { blankStory, itemKey, itemProblems, STATE_LABELS, type WorkItem } from "../core/work-item.js";
import { insertRelations, type Relation } from "../store/conversation.store.js";
import { type NewHistoryEvent, recordEvents } from "../store/history.store.js";
import {
  backlogOrder,
  edgeRank,
  findItem,
  insertItems,
  lockBacklog,
  neighbourRank,
  reserveNumbers,
  respaceBacklog,
  updateItem as writeItem,
} from "../store/items.store.js";
import type { Db } from "../store/schema.js";
import { findArt } from "../store/train.store.js";
import { type Actor, actorId, authorize, mustSee, scopeOfItem } from "./authorize.js";
import { createdChange, createdValue } from "./create-items.js";
import { type Change, type Deps, inTransaction, now } from "./deps.js";
import { CreateItemInput, parseInput } from "./item-input.js";
import { versionConflict } from "./update-item.js";

/** One new story of a split or a breakdown: what a person writes of it. */
export const NewStoryFields = CreateItemInput.pick({
  title: true,
  description: true,
  acceptanceCriteria: true,
  points: true,
});

export const SplitStoryInput = z.strictObject({
  version: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("The story's version the split was made on (or send If-Match)"),
  pattern: z.enum(SPLIT_PATTERNS).optional().describe("The splitting pattern followed, recorded with the new stories"),
  stories: z
    .array(NewStoryFields)
    .min(2, "split into at least 2 stories")
    .max(MAX_SPLIT_STORIES, `split into at most ${MAX_SPLIT_STORIES} stories`)
    .describe("The new stories, in the order they take the original's place"),
});
export type SplitStoryInput = z.input<typeof SplitStoryInput>;

export interface SplitResult {
  /** The story, now closed as split. */
  original: WorkItem;
  /** The new stories, in rank order. */
  stories: WorkItem[];
}

/** Suggested splits of a story (anyone who may see it may read them). */
export async function splitSuggestions(
  deps: Deps,
  ref: string,
  actor: Actor,
): Promise<{ suggestions: SplitSuggestion[] }> {
  const item = await findItem(deps.db, ref);
  if (!item) throw notFound("item", ref);
  mustSee(actor, scopeOfItem(item), "item", ref);
  mustBeStory(item);
  return { suggestions: suggestSplits(item) };
}

/**
 * Splits the story `ref` (id or key) into the stories of `input`, if it is still at `version` (If-Match or the input's
 * own `version`) and not done, accepted or split already.
 */
export async function splitStory(
  deps: Deps,
  ref: string,
  input: unknown,
  actor: Actor,
  version?: number,
): Promise<SplitResult> {
  const by = actorId(actor);
  const p = parseInput(SplitStoryInput, input);
  const expected = version ?? p.version;
  if (expected === undefined) {
    throw new AppError("version_required", "Say which version you split: send If-Match or a version field.", {
      fields: [{ path: "version", message: "required (or send an If-Match header)" }],
    });
  }
  return inTransaction(deps, async (db) => {
    const item = await findItem(db, ref);
    if (!item) throw notFound("item", ref);
    mustSee(actor, scopeOfItem(item), "item", ref);
    mustBeStory(item);
    authorize(actor, "edit_story", scopeOfItem(item), "item", ref);
    if (item.state === "split") {
      throw new AppError("conflict", `${item.key} is split already: split one of the stories it was split into.`);
    }
    if (item.state === "done" || item.state === "accepted") {
      throw new AppError(
        "conflict",
        `${item.key} is ${STATE_LABELS[item.state].toLowerCase()}: only a story not yet done can be split (done work stays as it was; write a new story for what is left).`,
      );
    }
    if (item.version !== expected) throw versionConflict(item, expected);
    const art = await findArt(db, item.artId);
    if (!art) throw notFound("ART", item.artId);

    const at = now(deps);
    const stories = p.stories.map(
      (s): WorkItem => ({
        ...newStory(deps, item, at, by),
        parentId: item.parentId,
        teamId: item.teamId,
        type: item.type,
        enablerKind: item.enablerKind,
        benefitHypothesis: item.benefitHypothesis,
        labels: item.labels,
        ownerId: item.ownerId,
        piId: item.piId,
        iterationId: item.iterationId,
        title: s.title,
        description: s.description,
        acceptanceCriteria: s.acceptanceCriteria,
        points: s.points ?? null,
      }),
    );
    stories.forEach((s, i) => {
      const problems = itemProblems(s);
      if (problems.length > 0) throw invalidFieldsAt(`stories.${i}`, problems);
    });

    // The backlog lock first (as every placement takes it), then the original: its guarded write fails, and the
    // transaction with it, if someone changed the story meanwhile.
    await lockBacklog(db, item.backlog);
    const closed: WorkItem = { ...item, state: "split", version: item.version + 1, updatedAt: at, updatedBy: by };
    if (!(await writeItem(db, closed, item.version))) {
      throw versionConflict((await findItem(db, item.id)) ?? item, expected);
    }
    const ranks = await ranksAfter(db, item.backlog, item.rank, stories.length);
    stories.forEach((s, i) => {
      s.rank = ranks[i] as string;
    });
    await insertStories(db, art, stories);
    const relations: Relation[] = stories.map((s) => ({
      id: deps.newId(),
      kind: "split_from",
      fromId: s.id,
      toId: item.id,
      createdAt: at,
      createdBy: by,
    }));
    await insertRelations(db, relations);
    const event = (on: WorkItem, e: Pick<NewHistoryEvent, "kind" | "field" | "oldValue" | "newValue">) => ({
      artId: on.artId,
      itemId: on.id,
      teamId: on.teamId,
      actorId: by,
      at,
      ...e,
    });
    const link = (r: Relation, s: WorkItem) => ({ id: r.id, kind: r.kind, from: s.key, to: item.key });
    await recordEvents(db, [
      ...stories.map((s) =>
        event(s, {
          kind: "created",
          field: null,
          oldValue: null,
          newValue: { ...createdValue(s), splitFrom: item.key, pattern: p.pattern ?? null },
        }),
      ),
      ...relations.flatMap((r, i) => {
        const s = stories[i] as WorkItem;
        return [
          event(s, { kind: "related", field: "relations", oldValue: null, newValue: link(r, s) }),
          event(item, { kind: "related", field: "relations", oldValue: null, newValue: link(r, s) }),
        ];
      }),
      event(item, { kind: "updated", field: "state", oldValue: item.state, newValue: "split" }),
    ]);
    const original = (await findItem(db, item.id)) ?? closed;
    const changes: Change[] = [
      ...stories.map((s) => createdChange(s, by)),
      {
        kind: "item.updated",
        artId: item.artId,
        itemId: item.id,
        key: item.key,
        backlog: item.backlog,
        version: original.version,
        actorId: by,
      },
    ];
    return { result: { original, stories }, changes };
  });
}

function mustBeStory(item: WorkItem): void {
  if (item.level !== "story") {
    throw invalid(
      "item",
      `${item.key} is ${item.level === "epic" ? "an" : "a"} ${item.level}: only a story is split${item.level === "feature" ? "; a feature is broken down into stories" : ""}.`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Shared with breaking a feature down: new stories created as create-items creates them, but ranked in place.

/** A new story of `like`'s ART with nothing of its own yet: the fields every new story starts with. */
export function newStory(deps: Deps, like: { artId: string }, at: string, by: string | null): WorkItem {
  return blankStory(deps.newId(), like.artId, at, by);
}

/** Gives the stories their ART's next keys and backlogs, and inserts them (ranks already set). */
export async function insertStories(db: Db, art: Art, stories: WorkItem[]): Promise<void> {
  if (stories.length === 0) return;
  const first = await reserveNumbers(db, art.id, stories.length);
  stories.forEach((s, i) => {
    s.number = first + i;
    s.key = itemKey(art.key, s.number);
    s.backlog = `team:${s.teamId}`;
  });
  await insertItems(db, stories);
}

/** An invalid error whose field paths sit under `prefix` (e.g. `stories.2.teamId`). */
export function invalidFieldsAt(prefix: string, problems: readonly FieldIssue[]): AppError {
  return invalidFields(problems.map((f) => ({ path: `${prefix}.${f.path}`, message: f.message })));
}

/**
 * Keys for `count` new items placed together right after the key `after` (null: at the top) of a locked backlog, in
 * order. When the keys would grow past the limit, the whole backlog is respaced in the same transaction.
 */
export async function ranksAfter(db: Db, backlog: string, after: string | null, count: number): Promise<string[]> {
  const high =
    after === null ? await edgeRank(db, backlog, "first", null) : await neighbourRank(db, backlog, after, "above", "");
  const keys = ranksBetween(after, high, count);
  if (!keys.some(needsRespace)) return keys;
  const order = await backlogOrder(db, backlog);
  const at = after === null ? 0 : order.findIndex((e) => e.rank === after) + 1;
  const all = ranksBetween(null, null, order.length + count);
  await respaceBacklog(
    db,
    backlog,
    order.map((e) => e.id),
    [...all.slice(0, at), ...all.slice(at + count)],
  );
  return all.slice(at, at + count);
}
