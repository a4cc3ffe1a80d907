// Breaking a feature down into stories: drafts from its acceptance criteria and benefit hypothesis (the core's
// `draftBreakdown`), and creating the stories a person kept and edited in one transaction, as create-items creates
// stories (the same field rules, `edit_story` on each story's team, `created` events), ranked under the feature in
// each team backlog: after the feature's last story there, or if it has none, before the first story of a feature the
// program ranks below it (else at the bottom).
//
// The new stories are of the feature's type (an enabler feature's stories are enablers) and start as `new`, in no PI:
// planning puts them in iterations.
import { z } from "zod";
import { invalid, notFound } from "../core/errors.js";
import { draftBreakdown, MAX_BREAKDOWN_STORIES, type StoryDraft, type TeamRef } from "../core/story-splitting.js";
import type { Team } from "../core/train.js";
import { itemProblems, type WorkItem } from "../core/work-item.js";
import { recordEvents } from "../store/history.store.js";
import { findItem, lockBacklog } from "../store/items.store.js";
import { backlogCandidates } from "../store/reorders.store.js";
import { findArt } from "../store/train.store.js";
import { type Actor, actorId, authorize, mustSee, scopeOfItem } from "./authorize.js";
import { createdChange, createdValue } from "./create-items.js";
import { type Deps, inTransaction, now } from "./deps.js";
import { parseInput } from "./item-input.js";
import { insertStories, invalidFieldsAt, NewStoryFields, newStory, ranksAfter } from "./split-story.js";

export const BreakdownInput = z.strictObject({
  stories: z
    .array(
      NewStoryFields.extend({
        teamId: z.string().trim().min(1, "say which team").max(100).describe("Id or key of the story's team"),
      }),
    )
    .min(1, "at least one story")
    .max(MAX_BREAKDOWN_STORIES, `at most ${MAX_BREAKDOWN_STORIES} stories at once`)
    .describe("The stories to create under the feature, in the order they go into each team backlog"),
});
export type BreakdownInput = z.input<typeof BreakdownInput>;

export interface BreakdownDrafts {
  drafts: StoryDraft[];
  /** The teams the stories may go to: the feature's teams, or every team of the ART when it names none. */
  teams: TeamRef[];
}

/** Story drafts for the feature `ref` (anyone who may see it may read them). */
export async function breakdownDrafts(deps: Deps, ref: string, actor: Actor): Promise<BreakdownDrafts> {
  const feature = await findItem(deps.db, ref);
  if (!feature) throw notFound("item", ref);
  mustSee(actor, scopeOfItem(feature), "item", ref);
  mustBeFeature(feature);
  const art = await findArt(deps.db, feature.artId);
  if (!art) throw notFound("ART", feature.artId);
  const teams = teamsOf(feature, art.teams).map(({ id, key, name }) => ({ id, key, name }));
  return { drafts: draftBreakdown(feature, teams), teams };
}

/** Creates the stories of `input` under the feature `ref`, each ranked under the feature in its team backlog. */
export async function breakDownFeature(
  deps: Deps,
  ref: string,
  input: unknown,
  actor: Actor,
): Promise<{ stories: WorkItem[] }> {
  const by = actorId(actor);
  const p = parseInput(BreakdownInput, input);
  return inTransaction(deps, async (db) => {
    const feature = await findItem(db, ref);
    if (!feature) throw notFound("item", ref);
    mustSee(actor, scopeOfItem(feature), "item", ref);
    mustBeFeature(feature);
    const art = await findArt(db, feature.artId);
    if (!art) throw notFound("ART", feature.artId);
    const at = now(deps);
    const stories = p.stories.map((s, i): WorkItem => {
      const team = art.teams.find((t) => t.id === s.teamId || t.key === s.teamId);
      if (!team)
        throw invalidFieldsAt(`stories.${i}`, [{ path: "teamId", message: `no team '${s.teamId}' in ${art.key}` }]);
      authorize(actor, "edit_story", { artId: art.id, teamId: team.id }, "team", `${art.key}/${s.teamId}`);
      const story: WorkItem = {
        ...newStory(deps, feature, at, by),
        parentId: feature.id,
        teamId: team.id,
        type: feature.type,
        enablerKind: feature.enablerKind,
        title: s.title,
        description: s.description,
        acceptanceCriteria: s.acceptanceCriteria,
        points: s.points ?? null,
      };
      const problems = itemProblems(story);
      if (problems.length > 0) throw invalidFieldsAt(`stories.${i}`, problems);
      return story;
    });

    const byTeam = new Map<string, WorkItem[]>();
    for (const s of stories) byTeam.set(s.teamId as string, [...(byTeam.get(s.teamId as string) ?? []), s]);
    let featureOrder: Map<string, number> | null = null;
    for (const [teamId, group] of byTeam) {
      const backlog = `team:${teamId}`;
      await lockBacklog(db, backlog);
      const existing = await backlogCandidates(db, backlog);
      featureOrder ??= new Map(
        (await backlogCandidates(db, `art:${art.id}:feature`)).map((f, i) => [f.id, i] as const),
      );
      const ranks = await ranksAfter(db, backlog, placeUnder(feature.id, existing, featureOrder), group.length);
      group.forEach((s, i) => {
        s.rank = ranks[i] as string;
      });
    }
    await insertStories(db, art, stories);
    await recordEvents(
      db,
      stories.map((s) => ({
        artId: s.artId,
        itemId: s.id,
        teamId: s.teamId,
        kind: "created",
        field: null,
        oldValue: null,
        newValue: { ...createdValue(s), brokenDownFrom: feature.key },
        actorId: by,
        at,
      })),
    );
    return { result: { stories }, changes: stories.map((s) => createdChange(s, by)) };
  });
}

/**
 * The key new stories of `featureId` go after in a team backlog (`existing`, in rank order), null for the top: after
 * the feature's last story there; else just before the first story of a feature ranked below it in the program
 * backlog (`featureOrder`: feature id → position); else at the bottom.
 */
export function placeUnder(
  featureId: string,
  existing: readonly { parentId: string | null; rank: string }[],
  featureOrder: ReadonlyMap<string, number>,
): string | null {
  const own = existing.filter((s) => s.parentId === featureId);
  if (own.length > 0) return (own[own.length - 1] as { rank: string }).rank;
  const mine = featureOrder.get(featureId) ?? Number.POSITIVE_INFINITY;
  const below = existing.findIndex((s) => s.parentId !== null && (featureOrder.get(s.parentId) ?? -1) > mine);
  if (below >= 0) return below === 0 ? null : (existing[below - 1] as { rank: string }).rank;
  return existing.length > 0 ? (existing[existing.length - 1] as { rank: string }).rank : null;
}

function mustBeFeature(item: WorkItem): void {
  if (item.level !== "feature") {
    throw invalid(
      "item",
      `${item.key} is ${item.level === "epic" ? "an" : "a"} ${item.level}: only a feature is broken down into stories${item.level === "story" ? " (a story is split)" : ""}.`,
    );
  }
}

/** The feature's teams in its own order, or every team of the ART when it names none. */
function teamsOf(feature: WorkItem, teams: readonly Team[]): Team[] {
  const own = feature.teamIds.flatMap((id) => teams.filter((t) => t.id === id));
  return own.length > 0 ? own : [...teams];
}
