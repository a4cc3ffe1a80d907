// Trains, teams, people, PIs and iterations.
import type { AllocationPolicy, Art, Iteration, IterationKind, Person, ProgramIncrement, Team } from "../core/train.js";
import type { Db } from "./schema.js";

export async function insertArt(db: Db, art: { id: string; key: string; name: string; createdAt: string }) {
  await db
    .insertInto("arts")
    .values({ id: art.id, key: art.key, name: art.name, next_number: 1, created_at: art.createdAt })
    .execute();
}

export async function insertTeams(db: Db, teams: readonly Team[], createdAt: string) {
  if (teams.length === 0) return;
  await db
    .insertInto("teams")
    .values(teams.map((t) => ({ id: t.id, art_id: t.artId, key: t.key, name: t.name, created_at: createdAt })))
    .execute();
}

export async function insertPi(db: Db, pi: ProgramIncrement) {
  await db
    .insertInto("pis")
    .values({
      id: pi.id,
      art_id: pi.artId,
      name: pi.name,
      start_date: pi.startDate,
      end_date: pi.endDate,
      allocation: JSON.stringify(pi.allocation),
      version: pi.version,
    })
    .execute();
  if (pi.iterations.length > 0) {
    await db
      .insertInto("iterations")
      .values(
        pi.iterations.map((it) => ({
          id: it.id,
          pi_id: pi.id,
          name: it.name,
          number: it.number,
          start_date: it.startDate,
          end_date: it.endDate,
          kind: it.kind,
        })),
      )
      .execute();
  }
}

export async function insertPeople(db: Db, people: readonly Person[], createdAt: string) {
  if (people.length === 0) return;
  await db
    .insertInto("people")
    .values(people.map((p) => ({ id: p.id, name: p.name, email: p.email, created_at: createdAt })))
    .execute();
}

export async function listPeople(db: Db): Promise<Person[]> {
  return db.selectFrom("people").select(["id", "name", "email"]).orderBy("name").execute();
}

/** The people who hold a role on any of these ARTs or own an item of one. */
export async function listPeopleOfArts(db: Db, artIds: readonly string[]): Promise<Person[]> {
  if (artIds.length === 0) return [];
  return db
    .selectFrom("people")
    .select(["id", "name", "email"])
    .where((eb) =>
      eb.or([
        eb("id", "in", eb.selectFrom("role_grants").select("person_id").where("art_id", "in", artIds)),
        eb(
          "id",
          "in",
          eb.selectFrom("items").select("owner_id").where("art_id", "in", artIds).where("owner_id", "is not", null),
        ),
      ]),
    )
    .orderBy("name")
    .execute();
}

/** People by id or email. */
export async function findPeople(db: Db, refs: readonly string[]): Promise<Person[]> {
  if (refs.length === 0) return [];
  return db
    .selectFrom("people")
    .select(["id", "name", "email"])
    .where((eb) => eb.or([eb("id", "in", refs), eb("email", "in", refs)]))
    .execute();
}

export async function findPerson(db: Db, ref: string): Promise<Person | undefined> {
  return db
    .selectFrom("people")
    .select(["id", "name", "email"])
    .where((eb) => eb.or([eb("id", "=", ref), eb("email", "=", ref)]))
    .executeTakeFirst();
}

export async function countArts(db: Db): Promise<number> {
  const row = await db
    .selectFrom("arts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every ART with its teams, PIs and iterations. */
export async function listArts(db: Db): Promise<Art[]> {
  return readArts(db, null);
}

/** One ART by id or key, with its teams, PIs and iterations. */
export async function findArt(db: Db, ref: string): Promise<Art | undefined> {
  return (await readArts(db, ref))[0];
}

async function readArts(db: Db, ref: string | null): Promise<Art[]> {
  let q = db.selectFrom("arts").select(["id", "key", "name"]).orderBy("key");
  if (ref !== null) q = q.where((eb) => eb.or([eb("id", "=", ref), eb("key", "=", ref)]));
  const arts = await q.execute();
  if (arts.length === 0) return [];
  const artIds = arts.map((a) => a.id);
  const [teams, pis, iterations] = await Promise.all([
    db
      .selectFrom("teams")
      .select(["id", "art_id", "key", "name"])
      .where("art_id", "in", artIds)
      .orderBy("name")
      .execute(),
    db
      .selectFrom("pis")
      .select(["id", "art_id", "name", "start_date", "end_date", "allocation", "version"])
      .where("art_id", "in", artIds)
      .orderBy("start_date")
      .execute(),
    db
      .selectFrom("iterations")
      .innerJoin("pis", "pis.id", "iterations.pi_id")
      .select([
        "iterations.id",
        "iterations.pi_id",
        "iterations.name",
        "iterations.number",
        "iterations.start_date",
        "iterations.end_date",
        "iterations.kind",
      ])
      .where("pis.art_id", "in", artIds)
      .orderBy("iterations.number")
      .execute(),
  ]);
  const iterationsOf = (piId: string): Iteration[] =>
    iterations
      .filter((it) => it.pi_id === piId)
      .map((it) => ({
        id: it.id,
        piId: it.pi_id,
        name: it.name,
        number: it.number,
        startDate: it.start_date,
        endDate: it.end_date,
        kind: it.kind as IterationKind,
      }));
  return arts.map((a) => ({
    id: a.id,
    key: a.key,
    name: a.name,
    teams: teams.filter((t) => t.art_id === a.id).map((t) => ({ id: t.id, artId: t.art_id, key: t.key, name: t.name })),
    pis: pis
      .filter((p) => p.art_id === a.id)
      .map((p) => ({
        id: p.id,
        artId: p.art_id,
        name: p.name,
        startDate: p.start_date,
        endDate: p.end_date,
        iterations: iterationsOf(p.id),
        allocation: JSON.parse(p.allocation) as AllocationPolicy | null,
        version: p.version,
      })),
  }));
}
