// Reading a backlog in rank order: one page at a time, or the whole slim list at once.
import type { ExpressionBuilder, SelectQueryBuilder } from "kysely";
import { groupBy } from "../core/collections.js";
import type { BacklogRow } from "../core/item-views.js";
import type { ItemState, ItemType, Level } from "../core/work-item.js";
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

function applyFilter<Q extends SelectQueryBuilder<Database, "items", object>>(q: Q, f: BacklogFilter): Q {
  let out = q as unknown as SelectQueryBuilder<Database, "items", object>;
  if (f.states?.length) out = out.where("items.state", "in", f.states);
  if (f.types?.length) out = out.where("items.type", "in", f.types);
  if (f.piId) out = out.where("items.pi_id", "=", f.piId);
  if (f.iterationId) out = out.where("items.iteration_id", "=", f.iterationId);
  if (f.parentId) out = out.where("items.parent_id", "=", f.parentId);
  if (f.label) {
    const label = f.label;
    out = out.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("item_labels")
          .select("item_labels.item_id")
          .whereRef("item_labels.item_id", "=", "items.id")
          .where("item_labels.label", "=", label),
      ),
    );
  }
  if (f.teamId) {
    const teamId = f.teamId;
    out = out.where((eb: ExpressionBuilder<Database, "items">) =>
      eb.or([
        eb("items.team_id", "=", teamId),
        eb.exists(
          eb
            .selectFrom("item_teams")
            .select("item_teams.item_id")
            .whereRef("item_teams.item_id", "=", "items.id")
            .where("item_teams.team_id", "=", teamId),
        ),
      ]),
    );
  }
  if (f.text?.trim()) {
    const text = f.text.trim().toLowerCase();
    const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    out = out.where((eb) =>
      eb.or([
        eb(eb.fn("lower", ["items.title"]), "like", eb.val(pattern)),
        eb(eb.fn("lower", ["items.key"]), "=", text),
      ]),
    );
  }
  return out as unknown as Q;
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
  let q = db
    .selectFrom("items")
    .leftJoin("items as p", "p.id", "items.parent_id")
    .select([
      "items.id",
      "items.key",
      "items.title",
      "items.level",
      "items.type",
      "items.enabler_kind",
      "items.state",
      "items.points",
      "items.team_id",
      "items.parent_id",
      "items.pi_id",
      "items.iteration_id",
      "items.owner_id",
      "items.acceptance_criteria",
      "items.rank",
      "items.version",
      "p.key as parent_key",
      "p.title as parent_title",
    ])
    .where("items.backlog", "=", backlog)
    .orderBy("items.rank");
  q = applyFilter(q as unknown as SelectQueryBuilder<Database, "items", object>, filter) as unknown as typeof q;
  if (page.after) q = q.where("items.rank", ">", page.after);
  if (page.limit) q = q.limit(page.limit);
  const rows = await q.execute();
  if (rows.length === 0) return [];

  // Labels for every row; a program backlog's rows also have teams and children (stories have neither).
  const ids = rows.map((r) => r.id);
  const program = !backlog.startsWith("team:");
  const [labels, teams, totals] = await Promise.all([
    inChunks(ids, (part) =>
      db.selectFrom("item_labels").select(["item_id", "label"]).where("item_id", "in", part).orderBy("label").execute(),
    ),
    program
      ? inChunks(ids, (part) =>
          db.selectFrom("item_teams").select(["item_id", "team_id"]).where("item_id", "in", part).execute(),
        )
      : [],
    program
      ? inChunks(ids, (part) =>
          db
            .selectFrom("items")
            .select([
              "parent_id",
              (eb) => eb.fn.countAll<number>().as("count"),
              (eb) => eb.fn.sum<number | null>("points").as("points"),
            ])
            .where("parent_id", "in", part)
            .groupBy("parent_id")
            .execute(),
        )
      : [],
  ]);
  const labelsOf = groupBy(labels, (l) => l.item_id);
  const teamsOf = groupBy(teams, (t) => t.item_id);
  const totalsOf = new Map(totals.map((t) => [t.parent_id, t]));

  return rows.map((r) => {
    const total = totalsOf.get(r.id);
    return {
      id: r.id,
      key: r.key,
      title: r.title,
      level: r.level as Level,
      type: r.type as ItemType,
      enablerKind: r.enabler_kind,
      state: r.state as ItemState,
      points: r.points,
      teamId: r.team_id,
      teamIds: (teamsOf.get(r.id) ?? []).map((t) => t.team_id),
      parentId: r.parent_id,
      parentKey: r.parent_key,
      parentTitle: r.parent_title,
      piId: r.pi_id,
      iterationId: r.iteration_id,
      ownerId: r.owner_id,
      labels: (labelsOf.get(r.id) ?? []).map((l) => l.label),
      criteriaCount: (JSON.parse(r.acceptance_criteria) as unknown[]).length,
      rank: r.rank,
      version: r.version,
      childCount: Number(total?.count ?? 0),
      childPoints: Number(total?.points ?? 0),
    };
  });
}

/** Runs a query per chunk of ids (keeping under both databases' parameter limits) and joins the rows. */
async function inChunks<T>(ids: readonly string[], query: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 5000) out.push(...(await query(ids.slice(i, i + 5000))));
  return out;
}
