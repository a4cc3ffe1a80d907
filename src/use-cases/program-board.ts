// The program board of a PI: teams as rows, iterations as columns, each feature placed where its stories land in each
// team, milestones as markers, the dependencies touching the PI with their health, and each team's load against its
// capacity per iteration. One pass over the PI's items: a handful of queries, however large the train.
import { z } from "zod";
import { groupBy } from "../core/collections.js";
import { notFound } from "../core/errors.js";
import { visibleTeams } from "../core/permissions.js";
import { type Capacity, capacityOf, loadOf, workingDays } from "../core/pi-planning.js";
import type { BoardFeature, BoardLoad, Dependency, ProgramBoard } from "../core/planning-views.js";
import type { Art, ProgramIncrement, Team } from "../core/train.js";
import { wsjf } from "../core/wsjf.js";
import {
  type CapacityRow,
  capacityRows,
  milestonesOf,
  type PlanItemRow,
  piPlanItems,
} from "../store/dependencies.store.js";
import type { Actor } from "./authorize.js";
import { dependencyViews, loadDependencyPlan, touchesPi, visibleArt, visibleTeam } from "./dependencies.js";
import type { Deps } from "./deps.js";
import { parseInput } from "./item-input.js";

export const BoardQuery = z.strictObject({
  team: z.string().trim().min(1).max(100).optional().describe("Only this team's row and its dependencies (key or id)"),
});

export type { BoardFeature, BoardLoad, ProgramBoard };

/** A PI of the ART by id or name (a path parameter: not found when there is none). */
export function piOf(art: Art, ref: string): ProgramIncrement {
  const pi = art.pis.find((p) => p.id === ref || p.name === ref);
  if (!pi) throw notFound("PI", ref);
  return pi;
}

/** The teams of the ART whose rows the actor sees: those they may see, or the one asked for. */
export function boardTeams(actor: Actor, art: Art, team: string | undefined): Team[] {
  if (team !== undefined) return [visibleTeam(actor, art, team)];
  const visible = visibleTeams(actor, art.id);
  return art.teams.filter((t) => visible === "all" || (visible?.has(t.id) ?? false));
}

/** Each team's capacity points per iteration (null where none is set). */
export function capacityTable(
  pi: ProgramIncrement,
  teams: readonly Team[],
  rows: readonly CapacityRow[],
): Map<string, Map<string, Capacity>> {
  const set = new Map(rows.map((r) => [`${r.teamId}/${r.iterationId}`, r]));
  return new Map(
    teams.map((t) => [
      t.id,
      new Map(
        pi.iterations.map((it) => {
          const row = set.get(`${t.id}/${it.id}`);
          const days = workingDays(it.startDate, it.endDate);
          return [it.id, capacityOf(row ? { members: row.members, points: row.points } : null, days)];
        }),
      ),
    ]),
  );
}

export async function programBoard(
  deps: Deps,
  actor: Actor,
  artRef: string,
  piRef: string,
  query: unknown,
): Promise<ProgramBoard> {
  const q = parseInput(BoardQuery, query);
  const db = deps.db;
  const art = await visibleArt(db, actor, artRef);
  const pi = piOf(art, piRef);
  const teams = boardTeams(actor, art, q.team);
  const teamIds = new Set(teams.map((t) => t.id));
  const [items, capacity, milestones, plan] = await Promise.all([
    piPlanItems(db, art.id, pi.id),
    capacityRows(
      db,
      pi.iterations.map((it) => it.id),
    ),
    milestonesOf(db, pi.id),
    loadDependencyPlan(db, art.id),
  ]);
  const inPi = new Map(pi.iterations.map((it) => [it.id, it.number]));
  const planned = (s: PlanItemRow) => s.iterationId !== null && inPi.has(s.iterationId);
  const stories = items.stories.filter((s) => s.teamId !== null && teamIds.has(s.teamId));

  const features: BoardFeature[] = [];
  const storiesOf = groupBy(stories, (s) => s.parentId);
  for (const f of items.features) {
    const own = storiesOf.get(f.id) ?? [];
    const byTeam = groupBy(own, (s) => s.teamId as string);
    const rowTeams = [...new Set([...f.teamIds.filter((t) => teamIds.has(t)), ...byTeam.keys()])];
    const score = wsjf(f);
    const entry = (teamId: string | null, list: readonly PlanItemRow[]): BoardFeature => {
      const last = list
        .filter(planned)
        .reduce<PlanItemRow | null>(
          (a, s) =>
            a === null || (inPi.get(s.iterationId as string) ?? 0) > (inPi.get(a.iterationId as string) ?? 0) ? s : a,
          null,
        );
      return {
        featureId: f.id,
        key: f.key,
        title: f.title,
        state: f.state,
        teamId,
        iterationId: last?.iterationId ?? null,
        stories: list.length,
        points: list.reduce((n, s) => n + (s.points ?? 0), 0),
        wsjf: score,
      };
    };
    if (rowTeams.length === 0 && q.team === undefined && f.teamIds.length === 0) features.push(entry(null, []));
    for (const t of rowTeams) features.push(entry(t, byTeam.get(t) ?? []));
  }

  const capacities = capacityTable(pi, teams, capacity);
  const cell = groupBy(stories.filter(planned), (s) => `${s.teamId}/${s.iterationId}`);
  const load: BoardLoad[] = teams.flatMap((t) =>
    pi.iterations.map((it) => {
      const cap = capacities.get(t.id)?.get(it.id)?.points ?? null;
      const l = loadOf(
        (cell.get(`${t.id}/${it.id}`) ?? []).map((s) => ({ id: s.id, points: s.points, state: s.state, type: s.type })),
        cap,
      );
      return { teamId: t.id, iterationId: it.id, capacity: cap, ...l };
    }),
  );

  const onTeams = (d: Dependency) =>
    q.team === undefined || [d.consumer, d.provider].some((e) => e.teamId !== null && teamIds.has(e.teamId));
  const dependencies = dependencyViews(art, plan, actor).views.filter((d) => touchesPi(d, plan, pi.id) && onTeams(d));

  return {
    pi: { id: pi.id, name: pi.name, startDate: pi.startDate, endDate: pi.endDate },
    iterations: pi.iterations.map((it) => ({
      id: it.id,
      name: it.name,
      number: it.number,
      startDate: it.startDate,
      endDate: it.endDate,
      kind: it.kind,
    })),
    teams: teams.map((t) => ({ id: t.id, key: t.key, name: t.name })),
    milestones,
    features,
    dependencies,
    load,
  };
}
