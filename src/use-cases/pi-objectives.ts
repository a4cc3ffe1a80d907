// PI objectives: what each team (or the train) means to achieve in a PI, committed or uncommitted, with the features
// they come from, the business value Business Owners assign at planning (1–10) and the value achieved at the end
// (0–10), and the predictability that follows per team and for the train. Writing one needs `plan_pi` on its team
// (the ART for the train's); its planned and actual value need `score_business_value`.
import { z } from "zod";
import { invalidFields, notFound } from "../core/errors.js";
import type { Permission } from "../core/permissions.js";
import { predictability } from "../core/pi-planning.js";
import type { Objective, ObjectivesView, Predictability } from "../core/planning-views.js";
import type { Art } from "../core/train.js";
import { LIMITS } from "../core/work-item.js";
import { findItems } from "../store/items.store.js";
import {
  artOfPi,
  deleteObjective,
  findObjective,
  insertObjective,
  itemSummaries,
  listObjectives,
  nextObjectivePosition,
  type StoredObjective,
  updateObjective as saveObjective,
} from "../store/planning.store.js";
import type { Db } from "../store/schema.js";
import { findArt } from "../store/train.store.js";
import { type Actor, actorId, authorize, mustSee } from "./authorize.js";
import { type Deps, inTransaction, now } from "./deps.js";
import { parseInput } from "./item-input.js";
import { findPi, planningChanged, staleVersion, teamsToShow, version } from "./pi-settings.js";

export type { Objective, ObjectivesView, Predictability };

const ref = z.string().trim().min(1, "must not be empty").max(100);
const title = z.string().trim().min(1, "a title is required").max(LIMITS.title, `at most ${LIMITS.title} characters`);
const description = z.string().max(LIMITS.description, `at most ${LIMITS.description} characters`);
const plannedValue = z
  .number()
  .int("a whole number")
  .min(1, "1 to 10")
  .max(10, "1 to 10")
  .nullable()
  .describe("Business value the Business Owners assign at planning, 1–10");
const actualValue = z
  .number()
  .int("a whole number")
  .min(0, "0 to 10")
  .max(10, "0 to 10")
  .nullable()
  .describe("Business value achieved, 0–10, assessed at the end of the PI");
const featureIds = z.array(ref).max(50).describe("Ids or keys of the features the objective comes from");

export const ObjectiveInput = z.strictObject({
  teamId: ref.nullable().default(null).describe("Key or id of the team; null for the train's objective"),
  title,
  description: description.default(""),
  committed: z.boolean().default(true).describe("Committed, or uncommitted (a stretch objective)"),
  featureIds: featureIds.default([]),
  plannedValue: plannedValue.optional(),
});
export type ObjectiveInput = z.input<typeof ObjectiveInput>;

export const UpdateObjectiveInput = z.strictObject({
  version,
  title: title.optional(),
  description: description.optional(),
  committed: z.boolean().optional(),
  featureIds: featureIds.optional(),
  plannedValue: plannedValue.optional(),
  actualValue: actualValue.optional(),
});
export type UpdateObjectiveInput = z.input<typeof UpdateObjectiveInput>;

export const DeleteQuery = z.object({
  version: z.coerce.number().int().min(1).describe("The version the removal was decided on"),
});

/** The features an objective names, by id or key: features of the ART (else 400 naming `featureIds.i`). */
async function resolveFeatures(db: Db, art: Art, refs: readonly string[]): Promise<string[]> {
  const found = await findItems(db, refs);
  const issues: { path: string; message: string }[] = [];
  const ids = refs.map((r, i) => {
    const item = found.find((f) => f.id === r || f.key === r);
    if (!item || item.artId !== art.id || item.level !== "feature") {
      issues.push({ path: `featureIds.${i}`, message: `no feature '${r}' in ${art.key}` });
      return "";
    }
    return item.id;
  });
  if (issues.length > 0) throw invalidFields(issues);
  return [...new Set(ids)];
}

async function present(db: Db, objectives: readonly StoredObjective[]): Promise<Objective[]> {
  const features = await itemSummaries(
    db,
    objectives.flatMap((o) => o.featureIds),
  );
  return objectives.map((o) => ({
    id: o.id,
    piId: o.piId,
    teamId: o.teamId,
    title: o.title,
    description: o.description,
    committed: o.committed,
    plannedValue: o.plannedValue,
    actualValue: o.actualValue,
    features: o.featureIds.flatMap((id) => {
      const f = features.get(id);
      return f ? [{ id: f.id, key: f.key, title: f.title }] : [];
    }),
    version: o.version,
    updatedAt: o.updatedAt,
  }));
}

/**
 * A PI's objectives of the train and of the teams one may see, with predictability per team and for the train (all
 * the PI's objectives).
 */
export async function listPiObjectives(
  deps: Deps,
  actor: Actor,
  artRef: string,
  piRef: string,
): Promise<ObjectivesView> {
  const { art, pi } = await findPi(deps.db, actor, artRef, piRef);
  const teams = teamsToShow(actor, art, undefined);
  const visible = new Set(teams.map((t) => t.id));
  const all = await listObjectives(deps.db, pi.id);
  const shown = all.filter((o) => o.teamId === null || visible.has(o.teamId));
  return {
    objectives: await present(deps.db, shown),
    predictability: {
      teams: teams.map((t) => ({ teamId: t.id, ...predictability(all.filter((o) => o.teamId === t.id)) })),
      train: predictability(all),
    },
  };
}

/** Writes a new objective for a team or the train (plan_pi there; with a planned value, score_business_value too). */
export async function addObjective(
  deps: Deps,
  actor: Actor,
  artRef: string,
  piRef: string,
  input: unknown,
): Promise<Objective> {
  const o = parseInput(ObjectiveInput, input);
  return inTransaction(deps, async (db) => {
    const { art, pi } = await findPi(db, actor, artRef, piRef);
    let teamId: string | null = null;
    if (o.teamId !== null) {
      const team = teamsToShow(actor, art, undefined).find((t) => t.id === o.teamId || t.key === o.teamId);
      if (!team) throw invalidFields([{ path: "teamId", message: `no team '${o.teamId}' in ${art.key}` }]);
      teamId = team.id;
    }
    const scope = { artId: art.id, teamId };
    authorize(actor, "plan_pi", scope, "ART", artRef);
    if (o.plannedValue !== undefined && o.plannedValue !== null) {
      authorize(actor, "score_business_value", scope, "ART", artRef);
    }
    const at = now(deps);
    const by = actorId(actor);
    const objective: StoredObjective = {
      id: deps.newId(),
      piId: pi.id,
      teamId,
      title: o.title,
      description: o.description,
      committed: o.committed,
      plannedValue: o.plannedValue ?? null,
      actualValue: null,
      featureIds: await resolveFeatures(db, art, o.featureIds),
      position: await nextObjectivePosition(db, pi.id),
      version: 1,
      createdAt: at,
      createdBy: by,
      updatedAt: at,
      updatedBy: by,
    };
    await insertObjective(db, objective);
    return {
      result: (await present(db, [objective]))[0] as Objective,
      changes: [planningChanged(art.id, pi.id, actor)],
    };
  });
}

/** An objective and its ART, if the actor may see it (else not found). */
async function findVisibleObjective(
  db: Db,
  actor: Actor,
  id: string,
): Promise<{ art: Art; objective: StoredObjective }> {
  const objective = await findObjective(db, id);
  const artId = objective ? await artOfPi(db, objective.piId) : undefined;
  const art = artId ? await findArt(db, artId) : undefined;
  if (!objective || !art) throw notFound("objective", id);
  mustSee(actor, { artId: art.id, teamId: objective.teamId }, "objective", id);
  return { art, objective };
}

/**
 * Changes an objective on the version read: its business values need `score_business_value`, every other field
 * `plan_pi` on its team (an edit of both needs both).
 */
export async function updateObjective(deps: Deps, actor: Actor, id: string, input: unknown): Promise<Objective> {
  const change = parseInput(UpdateObjectiveInput, input);
  return inTransaction(deps, async (db) => {
    const { art, objective } = await findVisibleObjective(db, actor, id);
    const scope = { artId: art.id, teamId: objective.teamId };
    const needs = new Set<Permission>();
    if (change.plannedValue !== undefined || change.actualValue !== undefined) needs.add("score_business_value");
    const planning = [change.title, change.description, change.committed, change.featureIds];
    if (planning.some((v) => v !== undefined) || needs.size === 0) needs.add("plan_pi");
    for (const right of needs) authorize(actor, right, scope, "objective", id);
    const next: StoredObjective = {
      ...objective,
      title: change.title ?? objective.title,
      description: change.description ?? objective.description,
      committed: change.committed ?? objective.committed,
      featureIds:
        change.featureIds === undefined ? objective.featureIds : await resolveFeatures(db, art, change.featureIds),
      plannedValue: change.plannedValue === undefined ? objective.plannedValue : change.plannedValue,
      actualValue: change.actualValue === undefined ? objective.actualValue : change.actualValue,
      version: change.version + 1,
      updatedAt: now(deps),
      updatedBy: actorId(actor),
    };
    if (objective.version !== change.version || !(await saveObjective(db, next, change.version))) {
      throw staleVersion(`Objective “${objective.title}”`, change.version, objective.version);
    }
    return {
      result: (await present(db, [next]))[0] as Objective,
      changes: [planningChanged(art.id, objective.piId, actor)],
    };
  });
}

/** Removes an objective on the version read (plan_pi on its team). */
export async function removeObjective(deps: Deps, actor: Actor, id: string, query: unknown): Promise<void> {
  const { version: expected } = parseInput(DeleteQuery, query);
  return inTransaction(deps, async (db) => {
    const { art, objective } = await findVisibleObjective(db, actor, id);
    authorize(actor, "plan_pi", { artId: art.id, teamId: objective.teamId }, "objective", id);
    if (objective.version !== expected || !(await deleteObjective(db, id, expected))) {
      throw staleVersion(`Objective “${objective.title}”`, expected, objective.version);
    }
    return { result: undefined, changes: [planningChanged(art.id, objective.piId, actor)] };
  });
}
