// Relating two items (depends on / blocks, relates to, split from, duplicates), across teams and levels, and undoing it.
// A "depends on" relation is a dependency: its planning row (src/store/dependencies.store.ts) comes and goes with it.
import { z } from "zod";
import { AppError, invalid, notFound } from "../core/errors.js";
import { type RelatedItem, refOf } from "../core/item-views.js";
import { canSee } from "../core/permissions.js";
import { RELATION_KINDS, RELATION_LABELS, type RelationKind, type WorkItem } from "../core/work-item.js";
import {
  deleteRelation,
  findRelation,
  insertRelations,
  type Relation,
  relationsOf,
} from "../store/conversation.store.js";
import { insertDependency } from "../store/dependencies.store.js";
import { recordEvents } from "../store/history.store.js";
import { findItem } from "../store/items.store.js";
import type { Db } from "../store/schema.js";
import { type Actor, actorId, authorize, scopeOfItem } from "./authorize.js";
import { type Change, type Deps, inTransaction, now } from "./deps.js";
import { parseInput } from "./item-input.js";

export const RelateInput = z.strictObject({
  kind: z.enum([...RELATION_KINDS, "blocks"]).describe("'blocks' is stored as the other item depending on this one"),
  target: z.string().trim().min(1).max(100).describe("Id or key of the other item"),
});

/** Relates item `ref` to another; returns the relation as seen from `ref` (e.g. "blocks DPT-7"). */
export async function relateItems(deps: Deps, ref: string, input: unknown, actor: Actor): Promise<RelatedItem> {
  const { kind, target } = parseInput(RelateInput, input);
  const by = actorId(actor);
  return inTransaction(deps, async (db) => {
    const item = await findItem(db, ref);
    if (!item) throw notFound("item", ref);
    authorize(actor, "relate", scopeOfItem(item), "item", ref);
    const other = await findItem(db, target);
    if (!other || other.artId !== item.artId || !canSeeItem(actor, other)) {
      throw invalid("target", `no item '${target}' in this ART`);
    }
    if (other.id === item.id) {
      throw invalid("target", "an item cannot relate to itself");
    }
    const [from, to] = kind === "blocks" ? [other, item] : [item, other];
    const storedKind = kind === "blocks" ? "depends_on" : kind;
    const { relation, changes } = await addRelation(deps, db, storedKind, from, to, by);
    const direction = kind === "blocks" ? "incoming" : "outgoing";
    const seen: RelatedItem = {
      id: relation.id,
      kind: storedKind,
      direction,
      label: RELATION_LABELS[storedKind][direction],
      item: refOf(other),
    };
    return { result: seen, changes };
  });
}

/**
 * Stores the relation `from` → `to` with a history event on each end (conflict if it exists already); a "depends_on"
 * relation gets its dependency row (same id) in the same transaction, with what is needed by when, if given.
 */
export async function addRelation(
  deps: Deps,
  db: Db,
  kind: RelationKind,
  from: WorkItem,
  to: WorkItem,
  by: string | null,
  dependency: { needed: string; neededByIterationId: string | null } = { needed: "", neededByIterationId: null },
): Promise<{ relation: Relation; changes: Change[] }> {
  const existing = (await relationsOf(db, from.id)).find(
    (r) => r.kind === kind && r.fromId === from.id && r.toId === to.id,
  );
  if (existing) {
    throw new AppError("conflict", `${from.key} already ${kind.replace("_", " ")} ${to.key}.`);
  }
  const relation: Relation = {
    id: deps.newId(),
    kind,
    fromId: from.id,
    toId: to.id,
    createdAt: now(deps),
    createdBy: by,
  };
  await insertRelations(db, [relation]);
  if (kind === "depends_on") {
    await insertDependency(db, { id: relation.id, artId: from.artId, ...dependency, at: relation.createdAt, by });
  }
  return { relation, changes: await relationEvents(db, "related", relation, from, to, by, relation.createdAt) };
}

export async function unrelateItems(deps: Deps, ref: string, relationId: string, actor: Actor): Promise<void> {
  const by = actorId(actor);
  return inTransaction(deps, async (db) => {
    const item = await findItem(db, ref);
    if (!item) throw notFound("item", ref);
    authorize(actor, "relate", scopeOfItem(item), "item", ref);
    const relation = await findRelation(db, relationId);
    if (!relation || (relation.fromId !== item.id && relation.toId !== item.id)) {
      throw notFound("relation", `${relationId} of ${item.key}`);
    }
    const from = relation.fromId === item.id ? item : await findItem(db, relation.fromId);
    const to = relation.toId === item.id ? item : await findItem(db, relation.toId);
    await deleteRelation(db, relation.id);
    return { result: undefined, changes: await relationEvents(db, "unrelated", relation, from, to, by, now(deps)) };
  });
}

/** A history event on each end of the relation, and a change for each end's backlog. */
export async function relationEvents(
  db: Db,
  kind: "related" | "unrelated",
  relation: Pick<Relation, "id" | "kind">,
  from: WorkItem | undefined,
  to: WorkItem | undefined,
  by: string | null,
  at: string,
): Promise<Change[]> {
  const ends = [from, to].filter((x): x is WorkItem => Boolean(x));
  const value = { id: relation.id, kind: relation.kind, from: from?.key, to: to?.key };
  await recordEvents(
    db,
    ends.map((e) => ({
      artId: e.artId,
      itemId: e.id,
      teamId: e.teamId,
      kind,
      field: "relations",
      oldValue: kind === "unrelated" ? value : null,
      newValue: kind === "related" ? value : null,
      actorId: by,
      at,
    })),
  );
  return relatedChanges(ends, by);
}

/** The change of a relation for each end's backlog. */
export const relatedChanges = (ends: readonly WorkItem[], by: string | null): Change[] =>
  ends.map((e) => ({
    kind: "item.related",
    artId: e.artId,
    itemId: e.id,
    key: e.key,
    backlog: e.backlog,
    actorId: by,
  }));

const canSeeItem = (actor: Actor, item: WorkItem) => canSee(actor, scopeOfItem(item));
