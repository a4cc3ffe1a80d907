// Trains, teams, people, PIs and iterations.
import { sql } from "kysely";
import type { AllocationPolicy, Art, Iteration, IterationKind, Person, ProgramIncrement, Team } from "../core/train.js";
import { lastChangeOf } from "./changes.store.js";
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

/**
 * One ART by id or key, with its teams, PIs and iterations. Outside a transaction, each server keeps the shape it last
 * read of an ART with the id of the ART's last logged change then, and reads it again only once a change is logged
 * after: most requests read an ART's shape, which changes rarely, and every change to it is logged in the transaction
 * that makes it (`inTransaction`, see deps.ts). What it returns is frozen: it is shared.
 */
export async function findArt(db: Db, ref: string): Promise<Art | undefined> {
  if (db.isTransaction) return (await readArts(db, ref))[0];
  const byRef = shapes.get(db) ?? new Map<string, KnownShape>();
  shapes.set(db, byRef);
  const known = byRef.get(ref);
  // The change id is read before the shape: a change committed in between is read again next time.
  const stamp = known ? await lastChangeOf(db, known.artId) : null;
  if (known && stamp === known.stamp && known.art) return known.art;
  const art = (await readArts(db, ref))[0];
  if (art) byRef.set(ref, { artId: art.id, stamp: stamp ?? -1, art: stamp === null ? null : deepFreeze(art) });
  else byRef.delete(ref);
  return art;
}

/** An ART's shape as last read, by the change it was read at; on a first read only its id (no change was read). */
interface KnownShape {
  artId: string;
  stamp: number;
  art: Art | null;
}
const shapes = new WeakMap<Db, Map<string, KnownShape>>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** One row of an ART's shape: the ART itself, a team, a PI or an iteration (`owner`: its ART, or its PI). */
interface ShapeRow {
  part: "art" | "iteration" | "pi" | "team";
  id: string;
  owner: string;
  code: string | null;
  name: string;
  start_date: string | null;
  end_date: string | null;
  number: number;
  allocation: string | null;
  version: number;
  kind: string | null;
}

/**
 * The ARTs (all, or the one with this id or key) with their teams, PIs and iterations, in one statement: most requests
 * read an ART's shape first. Each part in its own order (teams by name, PIs by start, iterations by number).
 */
async function readArts(db: Db, ref: string | null): Promise<Art[]> {
  const arts =
    ref === null
      ? sql`select id, key, name from arts`
      : sql`select id, key, name from arts where id = ${ref} or key = ${ref}`;
  const { rows } = await sql<ShapeRow>`
    with a as (${arts})
    select 'art' as part, id, id as owner, key as code, name, null as start_date, null as end_date, 0 as number,
      null as allocation, 0 as version, null as kind, key as sort from a
    union all
    select 'team', t.id, t.art_id, t.key, t.name, null, null, 0, null, 0, null, t.name
    from teams t where t.art_id in (select id from a)
    union all
    select 'pi', p.id, p.art_id, null, p.name, p.start_date, p.end_date, 0, p.allocation, p.version, null, p.start_date
    from pis p where p.art_id in (select id from a)
    union all
    select 'iteration', i.id, i.pi_id, null, i.name, i.start_date, i.end_date, i.number, null, 0, i.kind, ''
    from iterations i join pis p on p.id = i.pi_id where p.art_id in (select id from a)
    order by part, sort, number`.execute(db);
  const of = (part: ShapeRow["part"], owner?: string) =>
    rows.filter((r) => r.part === part && (owner === undefined || r.owner === owner));
  const iterationsOf = (piId: string): Iteration[] =>
    of("iteration", piId).map((it) => ({
      id: it.id,
      piId: it.owner,
      name: it.name,
      number: Number(it.number),
      startDate: it.start_date as string,
      endDate: it.end_date as string,
      kind: it.kind as IterationKind,
    }));
  return of("art").map((a) => ({
    id: a.id,
    key: a.code as string,
    name: a.name,
    teams: of("team", a.id).map((t) => ({ id: t.id, artId: t.owner, key: t.code as string, name: t.name })),
    pis: of("pi", a.id).map((p) => ({
      id: p.id,
      artId: p.owner,
      name: p.name,
      startDate: p.start_date as string,
      endDate: p.end_date as string,
      iterations: iterationsOf(p.id),
      allocation: JSON.parse(p.allocation as string) as AllocationPolicy | null,
      version: Number(p.version),
    })),
  }));
}
