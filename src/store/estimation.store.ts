// Estimation sessions: the session row, its items in order, participants, private scores per round and confirmations.
import type { Selectable } from "kysely";
import type {
  EstimationConfirmationRow,
  EstimationItemRow,
  EstimationScoreRow,
  EstimationSessionRows,
  EstimationState,
  PersonRef,
} from "../core/estimation.js";
import type { WsjfInput } from "../core/wsjf.js";
import type { ProgramLevel } from "../core/wsjf-views.js";
import type { Db, EstimationSessionTable } from "./schema.js";

/** A session as stored, before its items, participants and scores are loaded. */
export interface EstimationSession {
  id: string;
  artId: string;
  title: string;
  level: ProgramLevel;
  inputs: WsjfInput[];
  state: EstimationState;
  round: number;
  facilitatorId: string;
  createdAt: string;
  revealedAt: string | null;
  closedAt: string | null;
  version: number;
}

export async function insertEstimationSession(
  db: Db,
  s: EstimationSession,
  itemIds: readonly string[],
  participantIds: readonly string[],
): Promise<void> {
  await db
    .insertInto("estimation_sessions")
    .values({
      id: s.id,
      art_id: s.artId,
      title: s.title,
      level: s.level,
      inputs: JSON.stringify(s.inputs),
      state: s.state,
      round: s.round,
      facilitator_id: s.facilitatorId,
      created_at: s.createdAt,
      revealed_at: s.revealedAt,
      closed_at: s.closedAt,
      version: s.version,
    })
    .execute();
  await db
    .insertInto("estimation_items")
    .values(itemIds.map((item_id, position) => ({ session_id: s.id, item_id, position })))
    .execute();
  for (const personId of participantIds) await insertParticipant(db, s.id, personId, s.createdAt);
}

export async function findEstimationSession(db: Db, id: string): Promise<EstimationSession | undefined> {
  const row = await db.selectFrom("estimation_sessions").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toSession(row);
}

/** Writes the session's state, round and times if it is still at `expectedVersion`; false when it moved on. */
export async function updateEstimationSession(db: Db, next: EstimationSession, expectedVersion: number) {
  const r = await db
    .updateTable("estimation_sessions")
    .set({
      state: next.state,
      round: next.round,
      revealed_at: next.revealedAt,
      closed_at: next.closedAt,
      version: next.version,
    })
    .where("id", "=", next.id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Bumps the session's version if it is still in `state` (taking its row lock on PostgreSQL, so a score cannot slip in
 * beside a reveal); false when it has left that state.
 */
export async function touchEstimationSession(db: Db, id: string, state: EstimationState): Promise<boolean> {
  const r = await db
    .updateTable("estimation_sessions")
    .set((eb) => ({ version: eb("version", "+", 1) }))
    .where("id", "=", id)
    .where("state", "=", state)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The sessions of an ART that `personId` facilitates or takes part in (all of them when `personId` is "all"), newest first. */
export async function listEstimationSessions(db: Db, artId: string, personId: string | "all") {
  let q = db
    .selectFrom("estimation_sessions as s")
    .innerJoin("people as f", "f.id", "s.facilitator_id")
    .selectAll("s")
    .select([
      "f.name as facilitator_name",
      (eb) =>
        eb
          .selectFrom("estimation_items")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("estimation_items.session_id", "=", "s.id")
          .as("item_count"),
      (eb) =>
        eb
          .selectFrom("estimation_participants")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("estimation_participants.session_id", "=", "s.id")
          .as("participant_count"),
    ])
    .where("s.art_id", "=", artId)
    .orderBy("s.created_at", "desc")
    .orderBy("s.id", "desc");
  if (personId !== "all") {
    q = q.where((eb) =>
      eb.or([
        eb("s.facilitator_id", "=", personId),
        eb(
          "s.id",
          "in",
          eb.selectFrom("estimation_participants").select("session_id").where("person_id", "=", personId),
        ),
      ]),
    );
  }
  const rows = await q.execute();
  return rows.map((r) => ({
    session: toSession(r),
    facilitatorName: r.facilitator_name,
    itemCount: Number(r.item_count),
    participantCount: Number(r.participant_count),
  }));
}

/** Everything the view of one session is built from. */
export async function loadEstimationRows(db: Db, s: EstimationSession): Promise<EstimationSessionRows> {
  const facilitator = await db
    .selectFrom("people")
    .select(["id", "name"])
    .where("id", "=", s.facilitatorId)
    .executeTakeFirstOrThrow();
  const items = await db
    .selectFrom("estimation_items as e")
    .innerJoin("items as i", "i.id", "e.item_id")
    .select([
      "i.id",
      "i.key",
      "i.title",
      "i.type",
      "i.version",
      "i.business_value",
      "i.time_criticality",
      "i.risk_reduction",
      "i.job_size",
    ])
    .where("e.session_id", "=", s.id)
    .orderBy("e.position")
    .execute();
  const participants = await db
    .selectFrom("estimation_participants as p")
    .innerJoin("people", "people.id", "p.person_id")
    .select(["people.id", "people.name"])
    .where("p.session_id", "=", s.id)
    .orderBy("p.added_at")
    .orderBy("people.name")
    .execute();
  const scores = await db
    .selectFrom("estimation_scores")
    .select(["item_id", "input", "person_id", "round", "value"])
    .where("session_id", "=", s.id)
    .where("round", "=", s.round)
    .execute();
  const confirmations = await db
    .selectFrom("estimation_confirmations as c")
    .innerJoin("people", "people.id", "c.confirmed_by")
    .select(["c.item_id", "c.input", "c.value", "c.confirmed_at", "people.id as by_id", "people.name as by_name"])
    .where("c.session_id", "=", s.id)
    .execute();
  return {
    session: {
      id: s.id,
      artId: s.artId,
      title: s.title,
      level: s.level,
      state: s.state,
      round: s.round,
      inputs: s.inputs,
      facilitator: { id: facilitator.id, name: facilitator.name },
      createdAt: s.createdAt,
      revealedAt: s.revealedAt,
      closedAt: s.closedAt,
    },
    items: items.map(
      (r): EstimationItemRow => ({
        id: r.id,
        key: r.key,
        title: r.title,
        type: r.type,
        version: Number(r.version),
        current: {
          businessValue: nullableNumber(r.business_value),
          timeCriticality: nullableNumber(r.time_criticality),
          riskReduction: nullableNumber(r.risk_reduction),
          jobSize: nullableNumber(r.job_size),
        },
      }),
    ),
    // The facilitator first, then everyone else in the order they were invited.
    participants: [
      ...participants.filter((p) => p.id === s.facilitatorId),
      ...participants.filter((p) => p.id !== s.facilitatorId),
    ].map((p): PersonRef => ({ id: p.id, name: p.name })),
    scores: scores.map(
      (r): EstimationScoreRow => ({
        itemId: r.item_id,
        input: r.input as WsjfInput,
        personId: r.person_id,
        round: Number(r.round),
        value: Number(r.value),
      }),
    ),
    confirmations: confirmations.map(
      (r): EstimationConfirmationRow => ({
        itemId: r.item_id,
        input: r.input as WsjfInput,
        value: Number(r.value),
        by: { id: r.by_id, name: r.by_name },
        at: r.confirmed_at,
      }),
    ),
  };
}

export async function isParticipant(db: Db, sessionId: string, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom("estimation_participants")
    .select("person_id")
    .where("session_id", "=", sessionId)
    .where("person_id", "=", personId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Adds a participant; false when they already take part. */
export async function insertParticipant(db: Db, sessionId: string, personId: string, at: string): Promise<boolean> {
  if (await isParticipant(db, sessionId, personId)) return false;
  await db
    .insertInto("estimation_participants")
    .values({ session_id: sessionId, person_id: personId, added_at: at })
    .execute();
  return true;
}

/** Removes a participant and every score they gave in the session; false when they did not take part. */
export async function deleteParticipant(db: Db, sessionId: string, personId: string): Promise<boolean> {
  await db
    .deleteFrom("estimation_scores")
    .where("session_id", "=", sessionId)
    .where("person_id", "=", personId)
    .execute();
  const r = await db
    .deleteFrom("estimation_participants")
    .where("session_id", "=", sessionId)
    .where("person_id", "=", personId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Sets (or, with value null, withdraws) one person's score for a cell in a round. */
export async function putScore(
  db: Db,
  s: { sessionId: string; itemId: string; input: WsjfInput; personId: string; round: number },
  value: number | null,
  at: string,
): Promise<void> {
  const cell = db
    .deleteFrom("estimation_scores")
    .where("session_id", "=", s.sessionId)
    .where("item_id", "=", s.itemId)
    .where("input", "=", s.input)
    .where("person_id", "=", s.personId)
    .where("round", "=", s.round);
  await cell.execute();
  if (value === null) return;
  await db
    .insertInto("estimation_scores")
    .values({
      session_id: s.sessionId,
      item_id: s.itemId,
      input: s.input,
      person_id: s.personId,
      round: s.round,
      value,
      updated_at: at,
    })
    .execute();
}

/**
 * Starts round `round + 1`: the scores of every cell carry over except those of `revoted` items' unconfirmed cells,
 * which stay behind in the old round (kept, no longer counted).
 */
export async function carryScoresToNextRound(
  db: Db,
  sessionId: string,
  round: number,
  revoted: readonly string[],
): Promise<void> {
  const confirmed = await db
    .selectFrom("estimation_confirmations")
    .select(["item_id", "input"])
    .where("session_id", "=", sessionId)
    .execute();
  const kept = new Set(confirmed.map((c) => `${c.item_id}\u0000${c.input}`));
  const revotedSet = new Set(revoted);
  const rows = await db
    .selectFrom("estimation_scores")
    .selectAll()
    .where("session_id", "=", sessionId)
    .where("round", "=", round)
    .execute();
  const carried = rows.filter((r) => !revotedSet.has(r.item_id) || kept.has(`${r.item_id}\u0000${r.input}`));
  for (let i = 0; i < carried.length; i += 500) {
    await db
      .insertInto("estimation_scores")
      .values(carried.slice(i, i + 500).map((r) => ({ ...r, round: round + 1 })))
      .execute();
  }
}

/** Records (or replaces) the value the facilitator confirmed for a cell. */
export async function putConfirmation(
  db: Db,
  c: { sessionId: string; itemId: string; input: WsjfInput; value: number; by: string; at: string },
): Promise<void> {
  await db
    .deleteFrom("estimation_confirmations")
    .where("session_id", "=", c.sessionId)
    .where("item_id", "=", c.itemId)
    .where("input", "=", c.input)
    .execute();
  await db
    .insertInto("estimation_confirmations")
    .values({
      session_id: c.sessionId,
      item_id: c.itemId,
      input: c.input,
      value: c.value,
      confirmed_by: c.by,
      confirmed_at: c.at,
    })
    .execute();
}

const nullableNumber = (v: number | null): number | null => (v === null ? null : Number(v));

function toSession(r: Selectable<EstimationSessionTable>): EstimationSession {
  return {
    id: r.id,
    artId: r.art_id,
    title: r.title,
    level: r.level,
    inputs: JSON.parse(r.inputs) as WsjfInput[],
    state: r.state,
    round: Number(r.round),
    facilitatorId: r.facilitator_id,
    createdAt: r.created_at,
    revealedAt: r.revealed_at,
    closedAt: r.closed_at,
    version: Number(r.version),
  };
}
