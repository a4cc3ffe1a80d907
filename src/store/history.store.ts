// History: the event rows written with every change, and the queries later metrics read them with.
import type { HistoryEvent } from "../core/item-views.js";
import { sqliteOf } from "./dialect.js";
import type { Db } from "./schema.js";

export type NewHistoryEvent = Omit<HistoryEvent, "id">;

const encode = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
const decode = (v: string | null): unknown => (v === null ? null : JSON.parse(v));

export async function recordEvents(db: Db, events: readonly NewHistoryEvent[]): Promise<void> {
  const sqlite = sqliteOf(db);
  if (sqlite) {
    // One prepared statement run per event: a reorder's hundreds of events in a few milliseconds.
    const insert = sqlite.prepare(
      "insert into events (art_id, item_id, team_id, kind, field, old_value, new_value, actor_id, at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    for (const e of events) {
      insert.run(e.artId, e.itemId, e.teamId, e.kind, e.field, encode(e.oldValue), encode(e.newValue), e.actorId, e.at);
    }
    return;
  }
  for (let i = 0; i < events.length; i += 500) {
    await db
      .insertInto("events")
      .values(
        events.slice(i, i + 500).map((e) => ({
          art_id: e.artId,
          item_id: e.itemId,
          team_id: e.teamId,
          kind: e.kind,
          field: e.field,
          old_value: encode(e.oldValue),
          new_value: encode(e.newValue),
          actor_id: e.actorId,
          at: e.at,
        })),
      )
      .execute();
  }
}

export interface HistoryQuery {
  itemId?: string;
  artId?: string;
  teamId?: string;
  /** Only events of the program level (no team) and of these teams. */
  teamIds?: readonly string[];
  from?: string;
  to?: string;
  /** Events with ids above this one (a cursor from the previous page). */
  afterId?: number;
  limit: number;
}

/** Events in the order they happened. */
export async function listEvents(db: Db, q: HistoryQuery): Promise<(HistoryEvent & { itemKey: string })[]> {
  let query = db
    .selectFrom("events")
    .innerJoin("items", "items.id", "events.item_id")
    .select([
      "events.id",
      "events.art_id",
      "events.item_id",
      "events.team_id",
      "events.kind",
      "events.field",
      "events.old_value",
      "events.new_value",
      "events.actor_id",
      "events.at",
      "items.key",
    ])
    .orderBy("events.id")
    .limit(q.limit);
  if (q.itemId) query = query.where("events.item_id", "=", q.itemId);
  if (q.artId) query = query.where("events.art_id", "=", q.artId);
  if (q.teamId) query = query.where("events.team_id", "=", q.teamId);
  if (q.teamIds) {
    const ids = q.teamIds;
    query = query.where((eb) =>
      ids.length
        ? eb.or([eb("events.team_id", "is", null), eb("events.team_id", "in", ids)])
        : eb("events.team_id", "is", null),
    );
  }
  if (q.from) query = query.where("events.at", ">=", q.from);
  if (q.to) query = query.where("events.at", "<", q.to);
  if (q.afterId !== undefined) query = query.where("events.id", ">", q.afterId);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    artId: r.art_id,
    itemId: r.item_id,
    itemKey: r.key,
    teamId: r.team_id,
    kind: r.kind,
    field: r.field,
    oldValue: decode(r.old_value),
    newValue: decode(r.new_value),
    actorId: r.actor_id,
    at: r.at,
  }));
}
