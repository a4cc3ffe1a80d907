// A team's capacity per iteration of a PI: from its people (availability and days off, SAFe's normalized capacity) or
// set directly in points, next to its velocity in the iterations already completed. Everyone who may see the team
// reads it; setting it needs `plan_pi` on the team and names the version it was made on (0 while never set).
import { z } from "zod";
import { invalidFields, notFound } from "../core/errors.js";
import { type CapacityMember, capacityOf, workingDays } from "../core/pi-planning.js";
import type { CapacityEntry, TeamCapacity, Velocity } from "../core/planning-views.js";
import { averageVelocity } from "../core/readiness.js";
import type { Art, Iteration, ProgramIncrement, Team } from "../core/train.js";
import { LIMITS } from "../core/work-item.js";
import { capacityKey, type StoredCapacity, saveTeamCapacity, teamCapacities } from "../store/planning.store.js";
import { iterationOrder, teamVelocities } from "../store/refinement.store.js";
import type { Db } from "../store/schema.js";
import { findPeople } from "../store/train.store.js";
import { type Actor, actorId, authorize } from "./authorize.js";
import { type Deps, inTransaction, now } from "./deps.js";
import { parseInput } from "./item-input.js";
import {
  findPi,
  findVisibleArt,
  iterationOf,
  planningChanged,
  staleVersion,
  teamOf,
  teamsToShow,
} from "./pi-settings.js";

/** How many completed iterations a team's velocity shows. */
const RECENT_ITERATIONS = 3;

export type { CapacityEntry, TeamCapacity, Velocity };

export const CapacityQuery = z.object({ team: z.string().trim().min(1).max(100).optional() });

export const CapacityMemberInput = z.strictObject({
  name: z.string().trim().min(1, "a name is required").max(LIMITS.name),
  personId: z.string().trim().min(1).max(200).nullable().default(null).describe("Id or email of the person, if any"),
  availability: z.number().min(0, "0 to 100").max(100, "0 to 100").default(100).describe("% of their time on the team"),
  daysOff: z.number().min(0, "0 or more").max(60).default(0).describe("Vacation and holiday days in the iteration"),
});

export const SetCapacityInput = z.strictObject({
  version: z.number().int().min(0).describe("The version read (0 while never set)"),
  members: z.array(CapacityMemberInput).max(100).optional().describe("The team's people in this iteration"),
  points: z
    .number()
    .min(0, "0 or more")
    .max(10_000)
    .nullable()
    .optional()
    .describe("Capacity set directly in points (wins over the people); null to count from the people"),
});
export type SetCapacityInput = z.input<typeof SetCapacityInput>;

export function capacityEntry(iteration: Iteration, stored: StoredCapacity | undefined): CapacityEntry {
  const days = workingDays(iteration.startDate, iteration.endDate);
  const members = stored?.members ?? [];
  const points = stored?.points ?? null;
  return {
    iterationId: iteration.id,
    workingDays: days,
    members,
    points,
    capacity: capacityOf(stored ? { members, points } : null, days),
    version: stored?.version ?? 0,
  };
}

/** Each team's velocity over the ART's iterations completed before today. */
export async function velocitiesOf(
  deps: Deps,
  db: Db,
  art: Art,
  teams: readonly Team[],
): Promise<Map<string, Velocity>> {
  const today = now(deps).slice(0, 10);
  const { completed } = await iterationOrder(db, art.id, today);
  const history = await teamVelocities(db, art.id, today, completed);
  const names = new Map(art.pis.flatMap((pi) => pi.iterations.map((it) => [it.id, `${pi.name} ${it.name}`] as const)));
  return new Map(
    teams.map((team) => {
      const points = history.get(team.id) ?? completed.map(() => 0);
      const recent = completed
        .map((id, i) => ({ iterationId: id, name: names.get(id) ?? id, points: points[i] ?? 0 }))
        .slice(-RECENT_ITERATIONS);
      return [team.id, { average: averageVelocity(points), recent }];
    }),
  );
}

/** The capacities of these teams in every iteration of a PI, with their velocity. */
export async function capacitiesOf(
  deps: Deps,
  db: Db,
  art: Art,
  pi: ProgramIncrement,
  teams: readonly Team[],
): Promise<TeamCapacity[]> {
  const [stored, velocities] = await Promise.all([
    teamCapacities(
      db,
      teams.map((t) => t.id),
      pi.iterations.map((it) => it.id),
    ),
    velocitiesOf(deps, db, art, teams),
  ]);
  return teams.map((team) => ({
    teamId: team.id,
    iterations: pi.iterations.map((it) => capacityEntry(it, stored.get(capacityKey(team.id, it.id)))),
    velocity: velocities.get(team.id) ?? { average: null, recent: [] },
  }));
}

/** The capacity of the teams one may see (or of `team`) in each iteration of a PI. */
export async function getCapacity(
  deps: Deps,
  actor: Actor,
  artRef: string,
  piRef: string,
  query: unknown = {},
): Promise<{ teams: TeamCapacity[] }> {
  const q = parseInput(CapacityQuery, query);
  const { art, pi } = await findPi(deps.db, actor, artRef, piRef);
  return { teams: await capacitiesOf(deps, deps.db, art, pi, teamsToShow(actor, art, q.team)) };
}

/**
 * Sets a team's capacity in an iteration if it is still at the version given: its people, or points set directly
 * (fields left out keep their value). People named by id or email are stored by id.
 */
export async function setCapacity(
  deps: Deps,
  actor: Actor,
  artRef: string,
  teamRef: string,
  iterationRef: string,
  input: unknown,
): Promise<CapacityEntry> {
  const given = parseInput(SetCapacityInput, input);
  return inTransaction(deps, async (db) => {
    const art = await findVisibleArt(db, actor, artRef);
    const team = teamOf(actor, art, teamRef);
    authorize(actor, "plan_pi", { artId: art.id, teamId: team.id }, "team", `${art.key}/${teamRef}`);
    const found = iterationOf(art, iterationRef);
    if (!found) throw notFound("iteration", `${art.key}/${iterationRef}`);
    const { pi, iteration } = found;
    const days = workingDays(iteration.startDate, iteration.endDate);
    const issues: { path: string; message: string }[] = [];
    const refs = (given.members ?? []).flatMap((m) => (m.personId ? [m.personId] : []));
    const people = await findPeople(db, refs);
    const personOf = new Map(people.flatMap((p) => [[p.id, p.id] as const, [p.email, p.id] as const]));
    const members: CapacityMember[] | undefined = given.members?.map((m, i) => {
      const personId = m.personId === null ? null : (personOf.get(m.personId) ?? null);
      if (m.personId !== null && personId === null) {
        issues.push({ path: `members.${i}.personId`, message: `no person '${m.personId}'` });
      }
      if (m.daysOff > days) {
        issues.push({ path: `members.${i}.daysOff`, message: `at most the iteration's ${days} working days` });
      }
      return { name: m.name, personId, availability: m.availability, daysOff: m.daysOff };
    });
    if (issues.length > 0) throw invalidFields(issues);
    const current = (await teamCapacities(db, [team.id], [iteration.id])).get(capacityKey(team.id, iteration.id));
    const currentVersion = current?.version ?? 0;
    const next = {
      teamId: team.id,
      iterationId: iteration.id,
      members: members ?? current?.members ?? [],
      points: given.points === undefined ? (current?.points ?? null) : given.points,
    };
    const saved =
      currentVersion === given.version &&
      (await saveTeamCapacity(db, { ...next, at: now(deps), by: actorId(actor) }, given.version));
    if (!saved) {
      throw staleVersion(`${team.name}'s capacity in ${pi.name} ${iteration.name}`, given.version, currentVersion);
    }
    return {
      result: capacityEntry(iteration, {
        ...next,
        version: given.version + 1,
        updatedAt: now(deps),
        updatedBy: actorId(actor),
      }),
      changes: [planningChanged(art.id, pi.id, actor)],
    };
  });
}
