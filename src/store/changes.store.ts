// The change log: what screens are told about, numbered so that a server can send each change once and in order, and
// a client that reconnects can ask for what it missed.
//
// Ids are in commit order within an ART: on PostgreSQL a transaction takes the ART's change lock before it numbers its
// changes and keeps it until it commits, so a change with a lower id is always visible first; SQLite has one writer.
// A committed change wakes the other servers through NOTIFY (sent by PostgreSQL when the transaction commits).
import { sql } from "kysely";
import type { Change } from "../core/item-views.js";
import { readSetting } from "./accounts.store.js";
import type { Listen } from "./db.js";
import { isPostgres } from "./dialect.js";
import type { Db } from "./schema.js";

/** The channel every server listens on; a notification's payload is `<origin> <artId>`. */
export const CHANGES_CHANNEL = "trainyard_changes";
/** The last id forgotten (see `forgetChanges`): a client that last saw an earlier one may have missed changes. */
const FORGOTTEN_THROUGH = "change_log_forgotten_through";

export interface ChangeEvent {
  id: number;
  change: Change;
}

/** Writes a transaction's changes to the log, inside it; `origin` names the server, which needs no notification. */
export async function recordChanges(db: Db, changes: readonly Change[], origin: string, at: string): Promise<void> {
  if (changes.length === 0) return;
  const arts = [...new Set(changes.map((c) => c.artId))].sort();
  if (isPostgres(db)) {
    // One ART after the other in a fixed order, so two transactions never wait for each other's lock.
    for (const art of arts) {
      await sql`select pg_advisory_xact_lock(hashtext(${`changes:${art}`})), pg_notify(${CHANGES_CHANNEL}, ${`${origin} ${art}`})`.execute(
        db,
      );
    }
  }
  for (let i = 0; i < changes.length; i += 500) {
    const page = changes.slice(i, i + 500);
    await db
      .insertInto("change_log")
      .values(page.map((c) => ({ art_id: c.artId, change: JSON.stringify(c), at })))
      .execute();
  }
}

/**
 * Listens for other servers' commits: `heard(artId, origin)` for each, `heard(null, "")` when some may have been
 * missed. Resolves to how to stop.
 */
export function listenForChanges(
  listen: Listen,
  heard: (artId: string | null, origin: string) => void,
): Promise<() => Promise<void>> {
  return listen(CHANGES_CHANNEL, (payload) => {
    if (payload === null) return heard(null, "");
    const [origin = "", artId = ""] = payload.split(" ");
    heard(artId, origin);
  });
}

/** An ART's changes after `after`, in order, at most `limit` of them. */
export async function changesAfter(db: Db, artId: string, after: number, limit: number): Promise<ChangeEvent[]> {
  const rows = await db
    .selectFrom("change_log")
    .select(["id", "change"])
    .where("art_id", "=", artId)
    .where("id", ">", after)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), change: JSON.parse(r.change) as Change }));
}

/**
 * Where an ART's log stands: the id of its latest change (or of the last one forgotten, if later: nothing of this ART
 * can come between), and the last id forgotten.
 */
export async function changeLogOf(db: Db, artId: string): Promise<{ latest: number; forgottenThrough: number }> {
  const [last, forgotten] = await Promise.all([lastChangeOf(db, artId), readSetting(db, FORGOTTEN_THROUGH)]);
  const forgottenThrough = Number(forgotten ?? 0);
  return { latest: Math.max(last, forgottenThrough), forgottenThrough };
}

/** The id of the last change the log keeps of an ART (0 if none): it grows with every commit that changes the ART. */
export async function lastChangeOf(db: Db, artId: string): Promise<number> {
  const row = await db
    .selectFrom("change_log")
    .select((eb) => eb.fn.max("id").as("latest"))
    .where("art_id", "=", artId)
    .executeTakeFirst();
  return Number(row?.latest ?? 0);
}

/** Forgets the changes logged before `before`, keeping note of the last id forgotten. */
export async function forgetChanges(db: Db, before: string): Promise<number> {
  const last = await db
    .selectFrom("change_log")
    .select((eb) => eb.fn.max("id").as("id"))
    .where("at", "<", before)
    .executeTakeFirst();
  if (last?.id == null) return 0;
  const through = Number(last.id);
  const deleted = await db.deleteFrom("change_log").where("id", "<=", through).executeTakeFirst();
  await db
    .insertInto("settings")
    .values({ key: FORGOTTEN_THROUGH, value: String(through) })
    .onConflict((oc) =>
      oc
        .column("key")
        .doUpdateSet({ value: String(through) })
        .where(sql<boolean>`cast(settings.value as bigint) < ${through}`),
    )
    .execute();
  return Number(deleted.numDeletedRows);
}
