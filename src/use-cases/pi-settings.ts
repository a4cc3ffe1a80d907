// A PI's settings: its name (configure_train) and its capacity allocation policy (edit_program), versioned; its
// milestones (configure_train). Also the lookups every planning use case shares: an ART and one of its PIs, teams
// and iterations by reference, and the change a planning write publishes.
import { z } from "zod";
import { AppError, invalid, notFound } from "../core/errors.js";
import { visibleTeams } from "../core/permissions.js";
import { allocationProblem } from "../core/pi-planning.js";
import type { Milestone } from "../core/planning-views.js";
import type { AllocationPolicy, Art, Iteration, ProgramIncrement, Team } from "../core/train.js";
import { LIMITS } from "../core/work-item.js";
import { deleteMilestone, insertMilestone, listMilestones, updatePi as savePi } from "../store/planning.store.js";
import type { Db } from "../store/schema.js";
import { findArt } from "../store/train.store.js";
import { type Actor, actorId, authorize, mustSee } from "./authorize.js";
import { type Change, type Deps, inTransaction, now } from "./deps.js";
import { parseInput } from "./item-input.js";

export type { Milestone };

// ── Shared lookups ───────────────────────────────────────────────────────────────────────────────────────────────

/** An ART the actor may see (else not found). */
export async function findVisibleArt(db: Db, actor: Actor, artRef: string): Promise<Art> {
  const art = await findArt(db, artRef);
  if (!art) throw notFound("ART", artRef);
  mustSee(actor, { artId: art.id, teamId: null }, "ART", artRef);
  return art;
}

/** A PI of an ART by id or name. */
export function piOf(art: Art, piRef: string): ProgramIncrement {
  const pi = art.pis.find((p) => p.id === piRef || p.name === piRef);
  if (!pi) throw notFound("PI", `${art.key}/${piRef}`);
  return pi;
}

/** An ART the actor may see and one of its PIs. */
export async function findPi(
  db: Db,
  actor: Actor,
  artRef: string,
  piRef: string,
): Promise<{ art: Art; pi: ProgramIncrement }> {
  const art = await findVisibleArt(db, actor, artRef);
  return { art, pi: piOf(art, piRef) };
}

/** A team of an ART by key or id that the actor may see (else not found, as though it did not exist). */
export function teamOf(actor: Actor, art: Art, teamRef: string): Team {
  const team = art.teams.find((t) => t.id === teamRef || t.key === teamRef);
  if (!team) throw notFound("team", `${art.key}/${teamRef}`);
  mustSee(actor, { artId: art.id, teamId: team.id }, "team", `${art.key}/${teamRef}`);
  return team;
}

/**
 * The teams a planning read covers: the one named in the query (400 naming `team` when it does not exist or the actor
 * may not see it, as though it did not exist), else every team of the ART the actor may see.
 */
export function teamsToShow(actor: Actor, art: Art, teamRef: string | undefined): Team[] {
  const visible = visibleTeams(actor, art.id);
  const sees = (t: Team) => visible === "all" || visible?.has(t.id) === true;
  if (teamRef === undefined) return art.teams.filter(sees);
  const team = art.teams.find((t) => (t.id === teamRef || t.key === teamRef) && sees(t));
  if (!team) throw invalid("team", `no team '${teamRef}' in ${art.key}`);
  return [team];
}

/** An iteration of an ART by id, or as "PI name/number". */
export function iterationOf(art: Art, ref: string): { pi: ProgramIncrement; iteration: Iteration } | undefined {
  for (const pi of art.pis) {
    for (const iteration of pi.iterations) {
      if (iteration.id === ref || `${pi.name}/${iteration.number}` === ref) return { pi, iteration };
    }
  }
  return undefined;
}

/** The change every planning write publishes, so the planning screens refetch. */
export const planningChanged = (artId: string, piId: string | null, actor: Actor): Change => ({
  kind: "planning.changed",
  artId,
  ...(piId ? { piId } : {}),
  actorId: actorId(actor),
});

/** The conflict a stale version gets: what changed, the version given and the version now. */
export const staleVersion = (what: string, given: number, current: number | null): AppError =>
  new AppError(
    "conflict",
    current === null
      ? `${what} was removed by someone else.`
      : `${what} was changed by someone else since version ${given}; it is now at version ${current}.`,
    { data: { currentVersion: current } },
  );

export const version = z.number().int().min(1).describe("The version this edit was made on");

// ── The PI ───────────────────────────────────────────────────────────────────────────────────────────────────────

const percent = z.number().int("a whole percent").min(0, "0 to 100").max(100, "0 to 100");
export const AllocationInput = z
  .strictObject({ business: percent, enabler: percent, maintenance: percent })
  .describe("Percent of capacity for business features, enablers and maintenance (defects, debt), adding up to 100");

export const UpdatePiInput = z.strictObject({
  version,
  name: z.string().trim().min(1, "a name is required").max(LIMITS.name).optional(),
  allocation: AllocationInput.nullable().optional().describe("The capacity allocation policy; null removes it"),
});
export type UpdatePiInput = z.input<typeof UpdatePiInput>;

/** Renames a PI (configure_train) and sets or clears its allocation policy (edit_program), on the version read. */
export async function updatePi(
  deps: Deps,
  actor: Actor,
  artRef: string,
  piRef: string,
  input: unknown,
): Promise<ProgramIncrement> {
  const change = parseInput(UpdatePiInput, input);
  if (change.allocation) {
    const problem = allocationProblem(change.allocation);
    if (problem) throw invalid("allocation", problem);
  }
  return inTransaction(deps, async (db) => {
    const { art, pi } = await findPi(db, actor, artRef, piRef);
    const scope = { artId: art.id, teamId: null };
    const renames = change.name !== undefined && change.name !== pi.name;
    const allocates = change.allocation !== undefined;
    if (renames || !allocates) authorize(actor, "configure_train", scope, "ART", artRef);
    if (allocates) authorize(actor, "edit_program", scope, "ART", artRef);
    if (change.name !== undefined && art.pis.some((p) => p.id !== pi.id && p.name === change.name)) {
      throw new AppError("conflict", `${art.key} has a PI '${change.name}' already.`, {
        fields: [{ path: "name", message: "taken" }],
      });
    }
    const next: ProgramIncrement = {
      ...pi,
      name: change.name ?? pi.name,
      allocation: change.allocation === undefined ? pi.allocation : (change.allocation as AllocationPolicy | null),
      version: change.version + 1,
    };
    if (pi.version !== change.version || !(await savePi(db, next, change.version))) {
      throw staleVersion(`${art.key}'s ${pi.name}`, change.version, pi.version);
    }
    return { result: next, changes: [planningChanged(art.id, pi.id, actor)] };
  });
}

// ── Milestones ───────────────────────────────────────────────────────────────────────────────────────────────────

export const MilestoneInput = z.strictObject({
  name: z.string().trim().min(1, "a name is required").max(LIMITS.name),
  date: z.iso.date("a date like 2027-01-04"),
});
export type MilestoneInput = z.input<typeof MilestoneInput>;

/** A PI's milestones by date (everyone who may see the ART). */
export async function listPiMilestones(deps: Deps, actor: Actor, artRef: string, piRef: string): Promise<Milestone[]> {
  const { pi } = await findPi(deps.db, actor, artRef, piRef);
  return listMilestones(deps.db, pi.id);
}

/** Adds a milestone to a PI, on a date within it (configure_train). */
export async function addMilestone(
  deps: Deps,
  actor: Actor,
  artRef: string,
  piRef: string,
  input: unknown,
): Promise<Milestone> {
  const m = parseInput(MilestoneInput, input);
  return inTransaction(deps, async (db) => {
    const { art, pi } = await findPi(db, actor, artRef, piRef);
    authorize(actor, "configure_train", { artId: art.id, teamId: null }, "ART", artRef);
    if (m.date < pi.startDate || m.date > pi.endDate) {
      throw invalid("date", `within ${pi.name}: from ${pi.startDate} to ${pi.endDate}`);
    }
    const milestone: Milestone = {
      id: deps.newId(),
      piId: pi.id,
      name: m.name,
      date: m.date,
      createdAt: now(deps),
      createdBy: actorId(actor),
    };
    await insertMilestone(db, milestone);
    return { result: milestone, changes: [planningChanged(art.id, pi.id, actor)] };
  });
}

/** Removes a milestone of a PI (configure_train). */
export async function removeMilestone(
  deps: Deps,
  actor: Actor,
  artRef: string,
  piRef: string,
  id: string,
): Promise<void> {
  return inTransaction(deps, async (db) => {
    const { art, pi } = await findPi(db, actor, artRef, piRef);
    authorize(actor, "configure_train", { artId: art.id, teamId: null }, "ART", artRef);
    if (!(await deleteMilestone(db, pi.id, id))) throw notFound("milestone", id);
    return { result: undefined, changes: [planningChanged(art.id, pi.id, actor)] };
  });
}
