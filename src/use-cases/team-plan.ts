// The planning view of a PI: for each team one may see (or one team), every iteration's capacity, load (the points of
// the stories planned there) and whether it is overloaded, the team's unplanned stories of the PI in rank order, its
// velocity; the PI's allocation policy against the work planned; and the PI's features. Read-only: moving a story is
// the ordinary item edit (`iterationId`, needs edit_story).
import { groupBy } from "../core/collections.js";
import { allocationOf, loadOf, type PlannedStory } from "../core/pi-planning.js";
import type { PiPlanView, PlanCard, PlanIterationView, TeamPlanView } from "../core/planning-views.js";
import { isClosedStory } from "../core/work-item.js";
import { wsjf } from "../core/wsjf.js";
import { type PlanStoryRow, planFeatures, planStories } from "../store/planning.store.js";
import type { Actor } from "./authorize.js";
import type { Deps } from "./deps.js";
import { parseInput } from "./item-input.js";
import { findPi, teamsToShow } from "./pi-settings.js";
import { CapacityQuery, capacitiesOf } from "./team-capacity.js";

export type { PiPlanView, PlanCard, PlanIterationView, TeamPlanView };

const card = (s: PlanStoryRow): PlanCard => ({
  id: s.id,
  key: s.key,
  title: s.title,
  points: s.points,
  state: s.state,
  type: s.type,
  featureId: s.featureId,
  featureKey: s.featureKey,
  iterationId: s.iterationId,
  blockedReason: s.blockedReason,
  rank: s.rank,
  version: s.version,
});
const planned = (s: PlanStoryRow): PlannedStory => ({ id: s.id, points: s.points, state: s.state, type: s.type });

/** The planning view of a PI for the teams one may see, or for `team`. */
export async function teamPlan(
  deps: Deps,
  actor: Actor,
  artRef: string,
  piRef: string,
  query: unknown = {},
): Promise<PiPlanView> {
  const q = parseInput(CapacityQuery, query);
  const { art, pi } = await findPi(deps.db, actor, artRef, piRef);
  const teams = teamsToShow(actor, art, q.team);
  const iterationIds = pi.iterations.map((it) => it.id);
  const [capacities, stories] = await Promise.all([
    capacitiesOf(deps, deps.db, art, pi, teams),
    planStories(
      deps.db,
      art.id,
      { id: pi.id, iterationIds },
      teams.map((t) => t.id),
    ),
  ]);
  const inPi = new Set(iterationIds);
  const byTeam = groupBy(stories, (s) => s.teamId);
  const development = new Set(pi.iterations.filter((it) => it.kind === "development").map((it) => it.id));
  let totalCapacity = 0;
  const plannedStories: PlannedStory[] = [];
  const teamViews = teams.map((team, t): TeamPlanView => {
    const own = byTeam.get(team.id) ?? [];
    const byIteration = groupBy(
      own.filter((s) => s.iterationId !== null && inPi.has(s.iterationId)),
      (s) => s.iterationId,
    );
    const capacity = capacities[t];
    const iterations = (capacity?.iterations ?? []).map((entry): PlanIterationView => {
      const here = byIteration.get(entry.iterationId) ?? [];
      plannedStories.push(...here.map(planned));
      if (development.has(entry.iterationId)) totalCapacity += entry.capacity.points ?? 0;
      const { load, unestimated, overloaded } = loadOf(here.map(planned), entry.capacity.points);
      return {
        iterationId: entry.iterationId,
        capacity: entry.capacity,
        load,
        unestimated,
        overloaded,
        stories: here.map(card),
      };
    });
    return {
      teamId: team.id,
      key: team.key,
      name: team.name,
      iterations,
      unplanned: own.filter((s) => s.iterationId === null && !isClosedStory(s.state)).map(card),
      velocity: capacity?.velocity ?? { average: null, recent: [] },
    };
  });
  const featureIds = [...new Set(stories.flatMap((s) => (s.featureId ? [s.featureId] : [])))];
  const features = await planFeatures(deps.db, art.id, pi.id, featureIds);
  return {
    pi,
    teams: teamViews,
    allocation: {
      policy: pi.allocation,
      capacity: totalCapacity,
      shares: allocationOf(plannedStories, totalCapacity, pi.allocation),
    },
    features: features.map((f) => ({
      id: f.id,
      key: f.key,
      title: f.title,
      wsjf: wsjf(f),
      teamIds: f.teamIds,
      state: f.state,
    })),
  };
}
