// Proposing an iteration plan for a PI, and accepting it. The proposal reads the PI's candidate stories (open stories of
// its features, or assigned to it), orders them by their feature's WSJF (or rank) then their team's backlog rank, and
// lets the core's planner (src/core/plan-proposal.ts) place them within capacity, dependency order and the allocation
// policy. Nothing is written: the answer is a diff to review. Accepting writes the moves the planner chose (all or some)
// through update-item, each on the version it was proposed on, in one transaction: one stale story changes nothing.
import { z } from "zod";
import { type FieldIssue, invalidFields } from "../core/errors.js";
import { canSee } from "../core/permissions.js";
import { allocationOf } from "../core/pi-planning.js";
import {
  type PlanDependency,
  type PlanIteration,
  type PlanProposal,
  type PlanStory,
  proposePlan,
} from "../core/plan-proposal.js";
import type { PlanProposalView, ProposalItem } from "../core/planning-views.js";
import type { Art, ProgramIncrement } from "../core/train.js";
import type { WorkItem } from "../core/work-item.js";
import { wsjf } from "../core/wsjf.js";
import { capacityRows, type PlanItemRow, piPlanItems } from "../store/dependencies.store.js";
import { findItems } from "../store/items.store.js";
import { type Actor, authorize, scopeOfItem } from "./authorize.js";
import { artIterations, iterRef, loadDependencyPlan, visibleArt, visibleTeam } from "./dependencies.js";
import { type Deps, inOneTransaction } from "./deps.js";
import { parseInput } from "./item-input.js";
import { boardTeams, capacityTable, piOf } from "./program-board.js";
import { updateItem } from "./update-item.js";

export const PLAN_ORDERS = ["wsjf", "rank"] as const;

export const ProposalQuery = z.strictObject({
  order: z
    .enum(PLAN_ORDERS)
    .default("wsjf")
    .describe("Stories by their feature's WSJF (highest first) or the program rank, then their team's rank"),
  team: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe("Propose for this team only (key or id); the other teams' stories stay where they are"),
});

export type { PlanProposalView, ProposalItem };

const WORK_STARTED = new Set(["in_progress", "done", "accepted"]);

/** The planner's input for a PI, and the stories it names. */
async function planInput(
  deps: Deps,
  actor: Actor,
  art: Art,
  pi: ProgramIncrement,
  order: (typeof PLAN_ORDERS)[number],
  team: string | undefined,
) {
  const db = deps.db;
  const only = team === undefined ? null : visibleTeam(actor, art, team);
  const visible = new Set(boardTeams(actor, art, undefined).map((t) => t.id));
  const [items, capacity, plan] = await Promise.all([
    piPlanItems(db, art.id, pi.id),
    capacityRows(
      db,
      pi.iterations.map((it) => it.id),
    ),
    loadDependencyPlan(db, art.id),
  ]);
  const today = deps.clock().toISOString().slice(0, 10);
  const its = artIterations(art);
  const iterations: PlanIteration[] = pi.iterations.map((it) => ({
    id: it.id,
    order: its.order.get(it.id) ?? it.number,
    name: it.name,
    open: it.kind === "development" && it.startDate > today,
  }));
  const open = new Set(iterations.filter((it) => it.open).map((it) => it.id));
  const inPi = new Set(pi.iterations.map((it) => it.id));

  // Candidates: open stories of the PI (or its features), and the finished ones in its iterations (they take room).
  const rows = items.stories.filter(
    (s) =>
      s.teamId !== null &&
      (s.iterationId === null ? s.state !== "done" && s.state !== "accepted" : inPi.has(s.iterationId)),
  );
  const features = [...items.features];
  if (order === "wsjf") {
    const score = new Map(features.map((f) => [f.id, wsjf(f)]));
    const rankOf = new Map(features.map((f, i) => [f.id, i]));
    features.sort((a, b) => {
      const wa = score.get(a.id) ?? null;
      const wb = score.get(b.id) ?? null;
      if (wa !== wb) return wa === null ? 1 : wb === null ? -1 : wb - wa;
      return (rankOf.get(a.id) ?? 0) - (rankOf.get(b.id) ?? 0);
    });
  }
  const featureAt = new Map(features.map((f, i) => [f.id, i]));
  const place = (s: PlanItemRow) =>
    s.parentId === null ? features.length : (featureAt.get(s.parentId) ?? features.length);
  rows.sort((a, b) => place(a) - place(b) || compare(a.rank, b.rank) || compare(a.id, b.id));

  const stories: PlanStory[] = rows.map((s, priority) => ({
    id: s.id,
    key: s.key,
    teamId: s.teamId as string,
    points: s.points,
    type: s.type,
    featureId: s.parentId,
    priority,
    iterationId: s.iterationId,
    locked:
      WORK_STARTED.has(s.state) ||
      (s.iterationId !== null && !open.has(s.iterationId)) ||
      (only !== null && s.teamId !== only.id) ||
      !visible.has(s.teamId as string),
  }));

  const capacities = capacityTable(pi, art.teams, capacity);
  const capacityInput: Record<string, Record<string, number | null>> = {};
  for (const t of art.teams) {
    capacityInput[t.id] = Object.fromEntries(
      pi.iterations.map((it) => [it.id, capacities.get(t.id)?.get(it.id)?.points ?? null]),
    );
  }

  const storyIds = new Set(stories.map((s) => s.id));
  const byFeature = new Map<string, string[]>();
  for (const s of stories) {
    if (s.featureId === null) continue;
    const list = byFeature.get(s.featureId);
    if (list) list.push(s.id);
    else byFeature.set(s.featureId, [s.id]);
  }
  const expand = (id: string) => {
    const item = plan.items.get(id);
    if (!item) return [];
    if (item.level === "story") return storyIds.has(id) ? [id] : [];
    return byFeature.get(id) ?? [];
  };
  const dependencies: PlanDependency[] = plan.rows
    .filter((d) => d.state === "requested" || d.state === "committed")
    .map((d) => ({
      id: d.id,
      consumerIds: expand(d.consumerId),
      providerIds: expand(d.providerId),
      consumerKey: plan.items.get(d.consumerId)?.key,
      neededBy: d.neededByIterationId === null ? null : (its.order.get(d.neededByIterationId) ?? null),
    }))
    .filter((d) => d.consumerIds.length > 0 && d.providerIds.length > 0);

  return {
    input: {
      iterations,
      capacity: capacityInput,
      stories,
      dependencies,
      allocation: pi.allocation,
      teams: art.teams.map((t) => ({ id: t.id, key: t.key, name: t.name })),
    },
    rows: new Map(rows.map((s) => [s.id, s])),
    open,
    visible,
    capacities,
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function proposePlanFor(
  deps: Deps,
  actor: Actor,
  artRef: string,
  piRef: string,
  query: unknown,
): Promise<PlanProposalView> {
  const q = parseInput(ProposalQuery, query);
  const art = await visibleArt(deps.db, actor, artRef);
  const pi = piOf(art, piRef);
  const { input, rows, open, visible, capacities } = await planInput(deps, actor, art, pi, q.order, q.team);
  const proposal: PlanProposal = proposePlan(input);
  const refs = new Map(pi.iterations.map((it) => [it.id, iterRef(it)]));
  const at = (id: string | null) => (id === null ? null : (refs.get(id) ?? null));
  const itemOf = (id: string): ProposalItem => {
    const s = rows.get(id) as PlanItemRow;
    return { id: s.id, key: s.key, title: s.title, points: s.points, teamId: s.teamId as string, version: s.version };
  };
  const shown = (id: string) => visible.has(rows.get(id)?.teamId ?? "");
  const placements = proposal.placements.filter((p) => shown(p.storyId));

  const after = new Map([...rows.values()].map((s) => [s.id, s.iterationId]));
  for (const p of proposal.placements) after.set(p.storyId, p.to);
  const planned = [...rows.values()]
    .filter((s) => {
      const to = after.get(s.id) ?? null;
      return to !== null && open.has(to);
    })
    .map((s) => ({ id: s.id, points: s.points, state: s.state, type: s.type }));
  let openCapacity = 0;
  for (const byIteration of capacities.values()) {
    for (const [iterationId, c] of byIteration) if (open.has(iterationId)) openCapacity += c.points ?? 0;
  }

  return {
    moves: placements
      .filter((p) => p.from !== p.to)
      .map((p) => ({ item: itemOf(p.storyId), from: at(p.from), to: at(p.to), reason: p.reason })),
    kept: placements.filter((p) => p.from === p.to).length,
    unplaced: proposal.unplaced
      .filter((u) => shown(u.storyId))
      .map((u) => ({ item: itemOf(u.storyId), reason: u.reason })),
    load: proposal.load.filter((l) => visible.has(l.teamId)),
    allocation: allocationOf(planned, openCapacity, pi.allocation),
  };
}

const ref = z.string().trim().min(1, "must not be empty").max(100);

export const AcceptPlanInput = z.strictObject({
  moves: z
    .array(
      z.strictObject({
        item: ref.describe("Id or key of the story to move"),
        iteration: ref.nullable().describe("The iteration of the PI to move it to (id or 'PI name/number'), or null"),
        version: z.number().int().positive().describe("The story's version the proposal was made on"),
      }),
    )
    .min(1, "say which moves to apply")
    .max(10_000),
});

/**
 * Applies moves of a proposed plan (all or some) in one transaction, each as `PATCH /items/{item}` {iterationId} on
 * the version it names (edit_story on the story's team, its history event), after `plan_pi` on that team: a stale
 * story is a conflict naming it, and nothing is written.
 */
export async function acceptPlan(
  deps: Deps,
  actor: Actor,
  artRef: string,
  piRef: string,
  input: unknown,
): Promise<WorkItem[]> {
  const { moves } = parseInput(AcceptPlanInput, input);
  return inOneTransaction(deps, async (tx) => {
    const art = await visibleArt(tx.db, actor, artRef);
    const pi = piOf(art, piRef);
    const found = await findItems(
      tx.db,
      moves.map((m) => m.item),
    );
    const issues: FieldIssue[] = [];
    const seen = new Set<string>();
    const resolved: { item: WorkItem; iterationId: string | null; version: number }[] = [];
    moves.forEach((m, i) => {
      const item = found.find((f) => f.id === m.item || f.key === m.item);
      if (!item || item.artId !== art.id || item.level !== "story" || !canSee(actor, scopeOfItem(item))) {
        issues.push({ path: `moves.${i}.item`, message: `no story '${m.item}' in ${art.key}` });
        return;
      }
      if (seen.has(item.id)) {
        issues.push({ path: `moves.${i}.item`, message: `${item.key} is moved twice` });
        return;
      }
      seen.add(item.id);
      let iterationId: string | null = null;
      if (m.iteration !== null) {
        const it = pi.iterations.find((x) => x.id === m.iteration || `${pi.name}/${x.number}` === m.iteration);
        if (!it) {
          issues.push({ path: `moves.${i}.iteration`, message: `no iteration '${m.iteration}' in ${pi.name}` });
          return;
        }
        iterationId = it.id;
      }
      resolved.push({ item, iterationId, version: m.version });
    });
    if (issues.length > 0) throw invalidFields(issues);
    for (const { item } of resolved) authorize(actor, "plan_pi", scopeOfItem(item), "item", item.key);
    const written: WorkItem[] = [];
    for (const m of resolved)
      written.push(await updateItem(tx, m.item.id, { iterationId: m.iterationId }, actor, m.version));
    return written;
  });
}
