// Setting up a release train: the ART with its teams, more teams later, program increments with their iterations,
// and the people who work on it.
import { z } from "zod";
import { AppError, invalid, notFound } from "../core/errors.js";
import { visibleArts } from "../core/permissions.js";
import { type Art, type Person, type ProgramIncrement, planIterations, type Team } from "../core/train.js";
import { ART_KEY_PATTERN, LIMITS, TEAM_KEY_PATTERN } from "../core/work-item.js";
import type { Db } from "../store/schema.js";
import {
  countArts,
  findArt,
  findPerson,
  insertArt,
  insertPeople,
  insertPi,
  insertTeams,
  listArts,
  listPeople,
  listPeopleOfArts,
} from "../store/train.store.js";
import { type Actor, actorId, authorize, mustBeAdmin, mustSee } from "./authorize.js";
import { type Deps, inTransaction, now } from "./deps.js";
import { parseInput } from "./item-input.js";

const name = z.string().trim().min(1, "a name is required").max(LIMITS.name);
export const TeamInput = z.strictObject({
  key: z.string().trim().regex(TEAM_KEY_PATTERN, "letters, digits, - or _, up to 30"),
  name,
});
export const CreateTrainInput = z.strictObject({
  key: z.string().trim().regex(ART_KEY_PATTERN, "2-10 capital letters or digits, starting with a letter (e.g. PAY)"),
  name,
  teams: z.array(TeamInput).max(100).default([]),
});
export const ProgramIncrementInput = z.strictObject({
  name,
  startDate: z.iso.date("a date like 2027-01-04"),
  iterations: z.number().int().min(1).max(12).default(5),
  iterationWeeks: z.number().int().min(1).max(6).default(2),
});
export const PersonInput = z.strictObject({ name, email: z.email("an email address").max(200) });

export type CreateTrainInput = z.input<typeof CreateTrainInput>;

export async function createTrain(deps: Deps, input: unknown, actor: Actor): Promise<Art> {
  mustBeAdmin(actor);
  const t = parseInput(CreateTrainInput, input);
  const dupe = t.teams.findIndex((team, i) => t.teams.findIndex((o) => o.key === team.key) !== i);
  if (dupe >= 0) throw invalid(`teams.${dupe}.key`, `team key '${t.teams[dupe]?.key}' is used twice`);
  return inTransaction(deps, async (db) => {
    if (await findArt(db, t.key))
      throw new AppError("conflict", `An ART with key ${t.key} exists already.`, {
        fields: [{ path: "key", message: "taken" }],
      });
    const id = deps.newId();
    const at = now(deps);
    await insertArt(db, { id, key: t.key, name: t.name, createdAt: at });
    await insertTeams(
      db,
      t.teams.map((team) => ({ id: deps.newId(), artId: id, key: team.key, name: team.name })),
      at,
    );
    return {
      result: await mustFindArt(db, id),
      changes: [{ kind: "train.changed", artId: id, actorId: actorId(actor) }],
    };
  });
}

export async function addTeam(deps: Deps, artRef: string, input: unknown, actor: Actor): Promise<Team> {
  const t = parseInput(TeamInput, input);
  return inTransaction(deps, async (db) => {
    const art = await mustFindArt(db, artRef);
    authorize(actor, "configure_train", { artId: art.id, teamId: null }, "ART", artRef);
    if (art.teams.some((x) => x.key === t.key))
      throw new AppError("conflict", `${art.key} has a team '${t.key}' already.`, {
        fields: [{ path: "key", message: "taken" }],
      });
    const team: Team = { id: deps.newId(), artId: art.id, key: t.key, name: t.name };
    await insertTeams(db, [team], now(deps));
    return { result: team, changes: [{ kind: "train.changed", artId: art.id, actorId: actorId(actor) }] };
  });
}

export async function addProgramIncrement(
  deps: Deps,
  artRef: string,
  input: unknown,
  actor: Actor,
): Promise<ProgramIncrement> {
  const p = parseInput(ProgramIncrementInput, input);
  return inTransaction(deps, async (db) => {
    const art = await mustFindArt(db, artRef);
    authorize(actor, "configure_train", { artId: art.id, teamId: null }, "ART", artRef);
    if (art.pis.some((x) => x.name === p.name))
      throw new AppError("conflict", `${art.key} has a PI '${p.name}' already.`, {
        fields: [{ path: "name", message: "taken" }],
      });
    const id = deps.newId();
    const iterations = planIterations(p.startDate, p.iterations, p.iterationWeeks).map((it) => ({
      ...it,
      id: deps.newId(),
      piId: id,
    }));
    const pi: ProgramIncrement = {
      id,
      artId: art.id,
      name: p.name,
      startDate: p.startDate,
      endDate: iterations[iterations.length - 1]?.endDate ?? p.startDate,
      iterations,
      allocation: null,
      version: 1,
    };
    await insertPi(db, pi);
    return { result: pi, changes: [{ kind: "train.changed", artId: art.id, actorId: actorId(actor) }] };
  });
}

export async function addPerson(deps: Deps, input: unknown, actor: Actor): Promise<Person> {
  mustBeAdmin(actor);
  const p = parseInput(PersonInput, input);
  return inTransaction(deps, async (db) => {
    if (await findPerson(db, p.email))
      throw new AppError("conflict", `${p.email} is already someone's email.`, {
        fields: [{ path: "email", message: "taken" }],
      });
    const person: Person = { id: deps.newId(), name: p.name, email: p.email };
    await insertPeople(db, [person], now(deps));
    return { result: person, changes: [] };
  });
}

/** The ARTs `actor` holds a role on (administrators: all). */
export async function listTrains(deps: Deps, actor: Actor): Promise<Art[]> {
  const visible = visibleArts(actor);
  const arts = await listArts(deps.db);
  return visible === "all" ? arts : arts.filter((a) => visible.has(a.id));
}

export async function getTrain(deps: Deps, ref: string, actor: Actor): Promise<Art> {
  const art = await mustFindArt(deps.db, ref);
  mustSee(actor, { artId: art.id, teamId: null }, "ART", ref);
  return art;
}

async function mustFindArt(db: Db, ref: string): Promise<Art> {
  const art = await findArt(db, ref);
  if (!art) throw notFound("ART", ref);
  return art;
}

/** The people an actor may pick as owners: everyone for administrators; else those on the actor's ARTs. */
export async function listPeopleOnTrains(deps: Deps, actor: Actor): Promise<Person[]> {
  const visible = visibleArts(actor);
  return visible === "all" ? listPeople(deps.db) : listPeopleOfArts(deps.db, [...visible]);
}

/** How many trains there are: none means the first-run page. */
export async function countTrains(deps: Deps): Promise<number> {
  return countArts(deps.db);
}

/** The id of the person an id or email names; an unknown one is an error naming the field. */
export async function findPersonRef(deps: Deps, ref: string): Promise<string> {
  const person = await findPerson(deps.db, ref);
  if (!person) throw invalid("as", `no person '${ref}'`);
  return person.id;
}
