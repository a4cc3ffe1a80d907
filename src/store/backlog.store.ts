// Reading a backlog in rank order: one page at a time, or the whole slim list at once.
import { type ExpressionBuilder, type SelectQueryBuilder, sql } from "kysely";
import type { BacklogRow } from "../core/item-views.js";
import { type ItemState, type ItemType, type Level, teamOfBacklog } from "../core/work-item.js";
import { isPostgres } from "./dialect.js";
import { childTotals } from "./items.store.js";
import type { Database, Db } from "./schema.js";

export type { BacklogRow };

export interface BacklogFilter {
  states?: string[];
  types?: string[];
  label?: string;
  teamId?: string;
  piId?: string;
  iterationId?: string;
  parentId?: string;
  text?: string;
}

/** A LIKE pattern matching `value` anywhere, with LIKE's own wildcards escaped (by `\`). */
const containing = (value: string) => `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Items whose JSON array column holds exactly `value` (the quotes make it a whole element, not a substring). */
const holds = (eb: ExpressionBuilder<Database, "items">, column: "items.labels" | "items.team_ids", value: string) =>
  sql<boolean>`${eb.ref(column)} like ${containing(JSON.stringify(value))} escape '\\'`;

function applyFilter(q: SelectQueryBuilder<Database, "items", object>, f: BacklogFilter, sqlite: boolean) {
  let out = q;
  if (f.states?.length) out = out.where("items.state", "in", f.states);
  if (f.types?.length) out = out.where("items.type", "in", f.types);
  if (f.piId) out = out.where("items.pi_id", "=", f.piId);
  if (f.iterationId) out = out.where("items.iteration_id", "=", f.iterationId);
  if (f.parentId) out = out.where("items.parent_id", "=", f.parentId);
  const { label, teamId } = f;
  if (label) out = out.where((eb) => holds(eb, "items.labels", label));
  if (teamId) out = out.where((eb) => eb.or([eb("items.team_id", "=", teamId), holds(eb, "items.team_ids", teamId)]));
  const text = f.text?.trim().toLowerCase();
  if (text) out = out.where((eb) => titleOrKey(eb, text, sqlite));
  return out;
}

/**
 * Items whose title holds `text` anywhere, in any case, or whose key it is. On SQLite, titles of three characters or
 * more are looked up in their trigram index (`item_titles`, migration 0014); the key joins the same list of rowids, so
 * the backlog's rows are never read to test them. On PostgreSQL, pg_trgm's index serves the LIKE itself.
 */
function titleOrKey(eb: ExpressionBuilder<Database, "items">, text: string, sqlite: boolean) {
  if (sqlite && [...text].length >= 3) {
    const phrase = `"${text.replace(/"/g, '""')}"`;
    return sql<boolean>`items.rowid in (
      select rowid from item_titles where item_titles match ${phrase}
      union all select rowid from items where key = upper(${text}))`;
  }
  return eb.or([
    sql<boolean>`lower(${eb.ref("items.title")}) like ${containing(text)} escape '\\'`,
    eb("items.key", "=", sql<string>`upper(${text})`),
  ]);
}

/**
 * A backlog's rows in rank order. With `after` (a rank key from the previous page) and `limit`, one page; without a
 * limit, the whole backlog.
 */
export async function listBacklog(
  db: Db,
  backlog: string,
  filter: BacklogFilter,
  page: { after?: string; limit?: number } = {},
): Promise<BacklogRow[]> {
  const team = teamOfBacklog(backlog);
  let q = applyFilter(
    db.selectFrom("items").where("items.backlog", "=", backlog) as SelectQueryBuilder<Database, "items", object>,
    filter,
    !isPostgres(db),
  )
    .select([
      "items.id",
      "items.key",
      "items.title",
      "items.level",
      "items.type",
      "items.enabler_kind",
      "items.state",
      "items.points",
      "items.team_ids",
      "items.parent_id",
      "items.pi_id",
      "items.iteration_id",
      "items.owner_id",
      "items.labels",
      "items.blocked_reason",
      "items.rank",
      "items.version",
    ])
    .orderBy("items.rank");
  if (page.after) q = q.where("items.rank", ">", page.after);
  if (page.limit) q = q.limit(page.limit);
  const rows = await q.execute();
  if (rows.length === 0) return [];

  // Parents are few (a team's stories share a few dozen features): read them once, not joined into every row.
  const parentIds = [...new Set(rows.flatMap((r) => (r.parent_id ? [r.parent_id] : [])))];
  const parents = new Map((await findParents(db, parentIds)).map((p) => [p.id, p]));
  // A program backlog's rows have children (stories); a team backlog's stories have none.
  const totals = team
    ? new Map()
    : await childTotals(
        db,
        rows.map((r) => r.id),
      );
  return rows.map((r) => {
    const total = totals.get(r.id);
    const parent = r.parent_id ? parents.get(r.parent_id) : undefined;
    return {
      id: r.id,
      key: r.key,
      title: r.title,
      level: r.level as Level,
      type: r.type as ItemType,
      enablerKind: r.enabler_kind,
      state: r.state as ItemState,
      points: r.points,
      teamId: team,
      teamIds: team ? [] : (JSON.parse(r.team_ids) as string[]),
      parentId: r.parent_id,
      parentKey: parent?.key ?? null,
      parentTitle: parent?.title ?? null,
      piId: r.pi_id,
      iterationId: r.iteration_id,
      ownerId: r.owner_id,
      labels: r.labels === "[]" ? [] : (JSON.parse(r.labels) as string[]),
      blockedReason: r.blocked_reason,
      rank: r.rank,
      version: r.version,
      childCount: total?.count ?? 0,
      childPoints: total?.points ?? 0,
    };
  });
}

async function findParents(db: Db, ids: readonly string[]) {
  const out: { id: string; key: string; title: string }[] = [];
  for (let i = 0; i < ids.length; i += 5000) {
    out.push(
      ...(await db
        .selectFrom("items")
        .select(["id", "key", "title"])
        .where("id", "in", ids.slice(i, i + 5000))
        .execute()),
    );
  }
  return out;
}
