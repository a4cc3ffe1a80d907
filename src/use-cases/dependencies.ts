// Cross-team dependencies: creating one (a "depends on" relation with what is needed by when), listing an ART's with
// their health from the plan (where each end lands), cycles and the cross-team ones not yet committed, changing one
// (what is needed, commit to an iteration, deliver, decline with a reason) and removing it. The rules are the core's
// (src/core/pi-planning.ts); every write names the version it was made on.
import { z } from "zod";
import { AppError, invalid, notFound } from "../core/errors.js";
import { canSee } from "../core/permissions.js";
import {
  DEPENDENCY_HEALTH,
  DEPENDENCY_STATES,
  type DependencyState,
  dependencyChangeProblem,
  dependencyCycles,
  dependencyHealth,
  landing,
} from "../core/pi-planning.js";
import type { DepEnd, Dependency, DependencyList, IterRef } from "../core/planning-views.js";
import type { Art, Iteration, ProgramIncrement } from "../core/train.js";
import type { WorkItem } from "../core/work-item.js";
import { deleteRelation } from "../store/conversation.store.js";
import {
  type DependencyRow,
  deleteDependencyAt,
  dependenciesOfArt,
  dependencyEnds,
  findDependency,
  type PlanItemRow,
  updateDependency,
} from "../store/dependencies.store.js";
import { recordEvents } from "../store/history.store.js";
import { findItems } from "../store/items.store.js";
import type { Db } from "../store/schema.js";
import { findArt } from "../store/train.store.js";
import { type Actor, actorId, authorize, mustSee, scopeOfItem } from "./authorize.js";
import { type Deps, inTransaction, now } from "./deps.js";
import { parseInput } from "./item-input.js";
import { addRelation, relatedChanges, relationEvents } from "./relate-items.js";

export type { DepEnd, Dependency, DependencyList, IterRef };

// ── Iterations across the ART ───────────────────────────────────────────────────────────────────────────────────────

/** The ART's iterations in time order (PIs by start date, iterations by number), with their ordinals from 1. */
export interface ArtIterations {
  list: Iteration[];
  order: Map<string, number>;
  refs: Map<string, IterRef>;
  byOrder: Map<number, IterRef>;
}

export const iterRef = (it: Iteration): IterRef => ({ id: it.id, name: it.name, number: it.number, piId: it.piId });

export function artIterations(art: Art): ArtIterations {
  const list = [...art.pis]
    .sort((a, b) => a.startDate.localeCompare(b.startDate) || a.name.localeCompare(b.name))
    .flatMap((p) => [...p.iterations].sort((a, b) => a.number - b.number));
  const order = new Map<string, number>();
  const refs = new Map<string, IterRef>();
  const byOrder = new Map<number, IterRef>();
  list.forEach((it, i) => {
    order.set(it.id, i + 1);
    refs.set(it.id, iterRef(it));
    byOrder.set(i + 1, iterRef(it));
  });
  return { list, order, refs, byOrder };
}

/** An iteration of the ART by id or "PI name/number"; `field` names the input in the error when there is none. */
export function resolveIteration(art: Art, ref: string, field: string): Iteration {
  for (const pi of art.pis) {
    const found = pi.iterations.find((it) => it.id === ref || `${pi.name}/${it.number}` === ref);
    if (found) return found;
  }
  throw invalid(field, `no iteration '${ref}' in ${art.key}: give its id or 'PI name/number'`);
}

/** A PI of the ART by id or name; `field` names the input in the error when there is none. */
export function resolvePi(art: Art, ref: string, field: string): ProgramIncrement {
  const pi = art.pis.find((p) => p.id === ref || p.name === ref);
  if (!pi) throw invalid(field, `no PI '${ref}' in ${art.key}`);
  return pi;
}

/** The ART by id or key, if the actor may see it (else not found). */
export async function visibleArt(db: Db, actor: Actor, ref: string): Promise<Art> {
  const art = await findArt(db, ref);
  if (!art) throw notFound("ART", ref);
  mustSee(actor, { artId: art.id, teamId: null }, "ART", ref);
  return art;
}

/** A team of the ART by key or id that the actor may see; otherwise `invalid` naming `field`, as though it were not there. */
export function visibleTeam(actor: Actor, art: Art, ref: string, field = "team") {
  const team = art.teams.find((t) => t.id === ref || t.key === ref);
  if (!team || !canSee(actor, { artId: art.id, teamId: team.id })) {
    throw invalid(field, `no team '${ref}' in ${art.key}`);
  }
  return team;
}

// ── Health from the plan ────────────────────────────────────────────────────────────────────────────────────────────

/** What the health of an ART's dependencies is computed from: the rows, their end items, the features' stories. */
export interface DependencyPlan {
  rows: DependencyRow[];
  items: Map<string, PlanItemRow>;
  storiesOf: Map<string, PlanItemRow[]>;
}

/** Three queries, however many dependencies. */
export async function loadDependencyPlan(db: Db, artId: string): Promise<DependencyPlan> {
  const [rows, ends] = await Promise.all([dependenciesOfArt(db, artId), dependencyEnds(db, artId)]);
  const storiesOf = new Map<string, PlanItemRow[]>();
  for (const s of ends.featureStories) {
    if (s.parentId === null) continue;
    const list = storiesOf.get(s.parentId);
    if (list) list.push(s);
    else storiesOf.set(s.parentId, [s]);
  }
  return { rows, items: new Map(ends.items.map((i) => [i.id, i])), storiesOf };
}

interface Landing {
  order: number | null;
  teamId: string | null;
}

/** Where an item lands: a story's iteration; a program item's earliest ("first") or latest ("last") story iteration. */
function landingOf(item: PlanItemRow, plan: DependencyPlan, its: ArtIterations, end: "first" | "last"): Landing {
  const at = (iterationId: string | null) => (iterationId === null ? null : (its.order.get(iterationId) ?? null));
  if (item.level === "story") return { order: at(item.iterationId), teamId: item.teamId };
  const stories = plan.storiesOf.get(item.id) ?? [];
  const order = landing(
    stories.map((s) => at(s.iterationId)),
    end,
  );
  const lands = order === null ? undefined : stories.find((s) => at(s.iterationId) === order);
  return { order, teamId: lands?.teamId ?? item.teamIds[0] ?? null };
}

const depEnd = (item: PlanItemRow, l: Landing, its: ArtIterations): DepEnd => ({
  id: item.id,
  key: item.key,
  title: item.title,
  level: item.level,
  state: item.state,
  teamId: l.teamId,
  iteration: l.order === null ? null : (its.byOrder.get(l.order) ?? null),
});

const itemScope = (artId: string, i: PlanItemRow) => scopeOfItem({ artId, level: i.level, teamId: i.teamId });

/**
 * The ART's dependencies the actor may see (both ends visible), with health, cross-team flag and cycles. A committed
 * dependency whose provider is not planned yet is judged by the iteration it was committed to.
 */
export function dependencyViews(
  art: Art,
  plan: DependencyPlan,
  actor: Actor,
): { views: Dependency[]; cycles: string[][] } {
  const its = artIterations(art);
  const orderOf = (id: string | null) => (id === null ? null : (its.order.get(id) ?? null));
  const refOf = (id: string | null) => (id === null ? null : (its.refs.get(id) ?? null));
  const visible = plan.rows.filter((r) => {
    const c = plan.items.get(r.consumerId);
    const p = plan.items.get(r.providerId);
    return c && p && canSee(actor, itemScope(art.id, c)) && canSee(actor, itemScope(art.id, p));
  });
  const cycles = dependencyCycles(
    visible.map((r) => ({ id: r.id, consumerId: r.consumerId, providerId: r.providerId })),
  );
  const inCycle = new Set(cycles.flat());
  const views = visible.map((r): Dependency => {
    const consumer = plan.items.get(r.consumerId) as PlanItemRow;
    const provider = plan.items.get(r.providerId) as PlanItemRow;
    const c = landingOf(consumer, plan, its, "first");
    const p = landingOf(provider, plan, its, "last");
    const state = r.state as DependencyState;
    const providerAt = p.order ?? (state === "committed" ? orderOf(r.plannedIterationId) : null);
    return {
      id: r.id,
      consumer: depEnd(consumer, c, its),
      provider: depEnd(provider, p, its),
      needed: r.needed,
      neededBy: refOf(r.neededByIterationId),
      state,
      plannedIteration: refOf(r.plannedIterationId),
      declineReason: r.declineReason,
      health: dependencyHealth({
        state,
        provider: providerAt,
        consumer: c.order,
        neededBy: orderOf(r.neededByIterationId),
      }),
      crossTeam: c.teamId !== null && p.teamId !== null && c.teamId !== p.teamId,
      inCycle: inCycle.has(r.id),
      version: r.version,
      updatedAt: r.updatedAt,
    };
  });
  return { views, cycles };
}

/** Whether either end of a dependency is in the PI: assigned to it, or landing in one of its iterations. */
export function touchesPi(d: Dependency, plan: DependencyPlan, piId: string): boolean {
  return [d.consumer, d.provider].some((e) => e.iteration?.piId === piId || plan.items.get(e.id)?.piId === piId);
}

async function viewOf(db: Db, art: Art, id: string, actor: Actor): Promise<Dependency> {
  const { views } = dependencyViews(art, await loadDependencyPlan(db, art.id), actor);
  const view = views.find((v) => v.id === id);
  if (!view) throw notFound("dependency", id);
  return view;
}

// ── Listing ─────────────────────────────────────────────────────────────────────────────────────────────────────────

export const DependencyQuery = z.strictObject({
  pi: z.string().trim().min(1).max(100).optional().describe("Only dependencies with an end in this PI (id or name)"),
  team: z.string().trim().min(1).max(100).optional().describe("Only dependencies with an end on this team (key or id)"),
  health: z.enum(DEPENDENCY_HEALTH).optional(),
  state: z.enum(DEPENDENCY_STATES).optional(),
  crossTeam: z.enum(["true", "false"]).optional().describe("Only cross-team (true) or same-team (false) ones"),
});

export async function listDependencies(
  deps: Deps,
  actor: Actor,
  artRef: string,
  query: unknown,
): Promise<DependencyList> {
  const q = parseInput(DependencyQuery, query);
  const db = deps.db;
  const art = await visibleArt(db, actor, artRef);
  const pi = q.pi === undefined ? null : resolvePi(art, q.pi, "pi");
  const team = q.team === undefined ? null : visibleTeam(actor, art, q.team);
  const plan = await loadDependencyPlan(db, art.id);
  const { views, cycles } = dependencyViews(art, plan, actor);
  const onTeam = (e: DepEnd, teamId: string) =>
    e.teamId === teamId || (e.level !== "story" && (plan.items.get(e.id)?.teamIds.includes(teamId) ?? false));
  const listed = views.filter(
    (d) =>
      (pi === null || touchesPi(d, plan, pi.id)) &&
      (team === null || onTeam(d.consumer, team.id) || onTeam(d.provider, team.id)) &&
      (q.health === undefined || d.health === q.health) &&
      (q.state === undefined || d.state === q.state) &&
      (q.crossTeam === undefined || d.crossTeam === (q.crossTeam === "true")),
  );
  const ids = new Set(listed.map((d) => d.id));
  return {
    dependencies: listed,
    cycles: cycles.filter((c) => c.some((id) => ids.has(id))),
    uncommittedCrossTeam: listed.filter((d) => d.crossTeam && d.state === "requested").length,
  };
}

// ── Creating ────────────────────────────────────────────────────────────────────────────────────────────────────────

const ref = z.string().trim().min(1, "must not be empty").max(100);
const neededText = z.string().trim().max(2_000, "at most 2000 characters");

export const CreateDependencyInput = z.strictObject({
  consumer: ref.describe("Id or key of the item that depends (needs something)"),
  provider: ref.describe("Id or key of the item it depends on (provides it)"),
  needed: neededText.min(1, "say what is needed").describe("What the consumer needs from the provider"),
  neededBy: ref.nullable().optional().describe("The iteration it is needed by: its id, or 'PI name/number'"),
});

/** Creates the "depends on" relation consumer → provider with its dependency details, as relating them does. */
export async function createDependency(deps: Deps, actor: Actor, artRef: string, input: unknown): Promise<Dependency> {
  const body = parseInput(CreateDependencyInput, input);
  const by = actorId(actor);
  return inTransaction(deps, async (db) => {
    const art = await visibleArt(db, actor, artRef);
    const found = await findItems(db, [body.consumer, body.provider]);
    const pick = (r: string, field: string): WorkItem => {
      const item = found.find((i) => i.id === r || i.key === r);
      if (!item || item.artId !== art.id || !canSee(actor, scopeOfItem(item))) {
        throw invalid(field, `no item '${r}' in ${art.key}`);
      }
      return item;
    };
    const consumer = pick(body.consumer, "consumer");
    authorize(actor, "relate", scopeOfItem(consumer), "item", consumer.key);
    const provider = pick(body.provider, "provider");
    if (provider.id === consumer.id) throw invalid("provider", "an item cannot depend on itself");
    const neededBy = body.neededBy ? resolveIteration(art, body.neededBy, "neededBy").id : null;
    const { relation, changes } = await addRelation(deps, db, "depends_on", consumer, provider, by, {
      needed: body.needed,
      neededByIterationId: neededBy,
    });
    return { result: await viewOf(db, art, relation.id, actor), changes };
  });
}

// ── Changing ────────────────────────────────────────────────────────────────────────────────────────────────────────

export const ChangeDependencyInput = z.strictObject({
  version: z.number().int().positive().describe("The version this change was made on"),
  needed: neededText.min(1, "say what is needed").optional(),
  neededBy: ref.nullable().optional().describe("The iteration it is needed by (id or 'PI name/number'), or null"),
  state: z.enum(DEPENDENCY_STATES).optional(),
  plannedIteration: ref
    .nullable()
    .optional()
    .describe("The iteration the provider commits to deliver in (id or 'PI name/number'), or null"),
  declineReason: neededText.nullable().optional().describe("Why the provider declines (required to decline)"),
});

interface Loaded {
  row: DependencyRow;
  art: Art;
  consumer: WorkItem;
  provider: WorkItem;
}

/** A dependency and its ends, if the actor may see both (else not found). */
async function loadDependency(db: Db, actor: Actor, id: string): Promise<Loaded> {
  const row = await findDependency(db, id);
  const art = row && (await findArt(db, row.artId));
  if (!row || !art) throw notFound("dependency", id);
  const ends = await findItems(db, [row.consumerId, row.providerId]);
  const consumer = ends.find((i) => i.id === row.consumerId);
  const provider = ends.find((i) => i.id === row.providerId);
  if (!consumer || !provider || !canSee(actor, scopeOfItem(consumer)) || !canSee(actor, scopeOfItem(provider))) {
    throw notFound("dependency", id);
  }
  return { row, art, consumer, provider };
}

/** One dependency, if the actor may see both its ends. */
export async function getDependency(deps: Deps, actor: Actor, id: string): Promise<Dependency> {
  const { art } = await loadDependency(deps.db, actor, id);
  return viewOf(deps.db, art, id, actor);
}

async function staleDependency(db: Db, art: Art, row: DependencyRow, expected: number, actor: Actor) {
  return new AppError(
    "conflict",
    `This dependency was changed by someone else since version ${expected}; it is now at version ${row.version}.`,
    { data: { dependency: await viewOf(db, art, row.id, actor) } },
  );
}

const changeValue = (r: DependencyRow) => ({
  id: r.id,
  needed: r.needed,
  neededBy: r.neededByIterationId,
  state: r.state,
  plannedIteration: r.plannedIterationId,
  declineReason: r.declineReason,
});

/**
 * Changes a dependency on `version`: what is needed and by when (`relate` on the consumer), its state, planned iteration
 * and decline reason (`plan_pi` on the provider's team, or the ART for a program item).
 */
export async function changeDependency(deps: Deps, actor: Actor, id: string, input: unknown): Promise<Dependency> {
  const body = parseInput(ChangeDependencyInput, input);
  const by = actorId(actor);
  return inTransaction(deps, async (db) => {
    const { row, art, consumer, provider } = await loadDependency(db, actor, id);
    const asking = body.needed !== undefined || body.neededBy !== undefined;
    const planning =
      body.state !== undefined || body.plannedIteration !== undefined || body.declineReason !== undefined;
    if (asking) authorize(actor, "relate", scopeOfItem(consumer), "item", consumer.key);
    if (planning || !asking) authorize(actor, "plan_pi", scopeOfItem(provider), "item", provider.key);
    if (row.version !== body.version) throw await staleDependency(db, art, row, body.version, actor);

    const iteration = (r: string | null | undefined, field: string, current: string | null) =>
      r === undefined ? current : r === null ? null : resolveIteration(art, r, field).id;
    const state = (body.state ?? row.state) as DependencyState;
    const next: DependencyRow = {
      ...row,
      needed: body.needed ?? row.needed,
      neededByIterationId: iteration(body.neededBy, "neededBy", row.neededByIterationId),
      state,
      plannedIterationId: iteration(body.plannedIteration, "plannedIteration", row.plannedIterationId),
      declineReason: state === "declined" ? (body.declineReason ?? row.declineReason) : null,
      version: row.version + 1,
      updatedAt: now(deps),
      updatedBy: by,
    };
    if (planning) {
      const order =
        next.plannedIterationId === null ? null : (artIterations(art).order.get(next.plannedIterationId) ?? null);
      const problem = dependencyChangeProblem(row.state as DependencyState, state, {
        plannedIteration: order,
        declineReason: next.declineReason,
      });
      if (problem) throw invalid(problem.field, problem.message);
    }
    if (!(await updateDependency(db, next, row.version))) {
      const current = (await findDependency(db, id)) ?? row;
      throw await staleDependency(db, art, current, body.version, actor);
    }
    await recordEvents(
      db,
      [consumer, provider].map((e) => ({
        artId: e.artId,
        itemId: e.id,
        teamId: e.teamId,
        kind: "updated",
        field: "dependency",
        oldValue: changeValue(row),
        newValue: changeValue(next),
        actorId: by,
        at: next.updatedAt,
      })),
    );
    return { result: await viewOf(db, art, id, actor), changes: relatedChanges([consumer, provider], by) };
  });
}

// ── Removing ────────────────────────────────────────────────────────────────────────────────────────────────────────

/** Removes a dependency (its relation too) if it is still at `version`; `relate` on the consumer, as unrelating. */
export async function removeDependency(
  deps: Deps,
  actor: Actor,
  id: string,
  version: number | undefined,
): Promise<void> {
  if (version === undefined) {
    throw new AppError("version_required", "Say which version you removed: send ?version=N.", {
      fields: [{ path: "version", message: "required" }],
    });
  }
  const by = actorId(actor);
  return inTransaction(deps, async (db) => {
    const { row, art, consumer, provider } = await loadDependency(db, actor, id);
    authorize(actor, "relate", scopeOfItem(consumer), "item", consumer.key);
    if (row.version !== version || !(await deleteDependencyAt(db, id, version))) {
      throw await staleDependency(db, art, (await findDependency(db, id)) ?? row, version, actor);
    }
    await deleteRelation(db, id);
    const changes = await relationEvents(
      db,
      "unrelated",
      { id, kind: "depends_on" },
      consumer,
      provider,
      by,
      now(deps),
    );
    return { result: undefined, changes };
  });
}
