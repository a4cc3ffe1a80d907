// The rows the backlog health check reads: an ART's stories in rank order per team, and its features with how many
// stories each has. Two queries, however many items; the iterations come with the ART (train.store.ts).
import type { HealthFeature, HealthStory } from "../core/backlog-health.js";
import type { StoryState } from "../core/work-item.js";
import type { Db } from "./schema.js";

export interface HealthStoryRow extends HealthStory {
  teamId: string;
}

/**
 * The stories of these teams of an ART, team by team, each team's in rank order; stories closed as split are left
 * out (they are neither backlog nor done work).
 */
export async function healthStories(db: Db, artId: string, teamIds: readonly string[]): Promise<HealthStoryRow[]> {
  if (teamIds.length === 0) return [];
  const rows = await db
    .selectFrom("items")
    .select(["id", "key", "title", "team_id", "state", "points", "parent_id", "iteration_id", "updated_at"])
    .where("art_id", "=", artId)
    .where("level", "=", "story")
    .where("team_id", "in", teamIds)
    .where("state", "<>", "split")
    .orderBy("backlog")
    .orderBy("rank")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    title: r.title,
    teamId: r.team_id as string,
    state: r.state as StoryState,
    points: r.points,
    parentId: r.parent_id,
    iterationId: r.iteration_id,
    updatedAt: r.updated_at,
  }));
}

export interface HealthFeatureRow extends HealthFeature {
  teamIds: string[];
}

/** An ART's features in rank order, each with its teams and the number of its stories not closed as split. */
export async function healthFeatures(db: Db, artId: string): Promise<HealthFeatureRow[]> {
  const rows = await db
    .selectFrom("items as f")
    .select((eb) => [
      "f.id",
      "f.key",
      "f.title",
      "f.state",
      "f.updated_at",
      "f.team_ids",
      eb
        .selectFrom("items as s")
        .select((c) => c.fn.countAll<number>().as("n"))
        .whereRef("s.parent_id", "=", "f.id")
        .where("s.level", "=", "story")
        .where("s.state", "<>", "split")
        .as("stories"),
    ])
    .where("f.art_id", "=", artId)
    .where("f.level", "=", "feature")
    .orderBy("f.rank")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    title: r.title,
    state: r.state,
    updatedAt: r.updated_at,
    teamIds: JSON.parse(r.team_ids) as string[],
    stories: Number(r.stories ?? 0),
  }));
}
