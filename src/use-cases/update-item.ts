// Editing an item's fields. The edit names the version it was made on; if someone changed the item since, nothing is
// written and the caller gets the current item to reconcile with. Each changed field becomes one history event; moving
// a story back from done or accepted also records a `rework` event with the reason given (if any).

import { ECONOMIC_FIELDS } from "../core/economics.js";
import { AppError, type FieldIssue, invalid, invalidFields, notFound } from "../core/errors.js";
import type { Permission } from "../core/permissions.js";
import {
  backlogOf,
  changedFields,
  type ItemChanges,
  isMoveBack,
  itemProblems,
  stateChangeProblem,
  type WorkItem,
} from "../core/work-item.js";
import { WSJF_INPUTS } from "../core/wsjf.js";
import { recordEvents } from "../store/history.store.js";
import { findItem, updateItem as writeItem } from "../store/items.store.js";
import { findArt } from "../store/train.store.js";
import { type Actor, actorId, authorize, scopeOfItem } from "./authorize.js";
import { type Deps, inTransaction, now } from "./deps.js";
import { lookupIn, parseInput, resolveRefs, UpdateItemInput } from "./item-input.js";
import { placeInBacklog } from "./place-in-backlog.js";
import { readyRefusal } from "./story-readiness.js";

export function versionConflict(current: WorkItem, expected: number): AppError {
  return new AppError(
    "conflict",
    `${current.key} was changed by someone else since version ${expected}; it is now at version ${current.version}.`,
    { data: { current } },
  );
}

/**
 * Applies `input` (any editable fields) to the item `ref` (id or key) if it is still at `version` (from If-Match or
 * the input's own `version`).
 */
export async function updateItem(
  deps: Deps,
  ref: string,
  input: unknown,
  actor: Actor,
  version?: number,
): Promise<WorkItem> {
  const by = actorId(actor);
  const { version: bodyVersion, reworkReason, reworkNote, ...fields } = parseInput(UpdateItemInput, input);
  const expected = version ?? bodyVersion;
  if (expected === undefined) {
    throw new AppError("version_required", "Say which version you edited: send If-Match or a version field.", {
      fields: [{ path: "version", message: "required (or send an If-Match header)" }],
    });
  }
  return inTransaction(deps, async (db) => {
    const item = await findItem(db, ref);
    if (!item) throw notFound("item", ref);
    const editing = item.level === "story" ? "edit_story" : "edit_program";
    // WSJF inputs and the economic fields have rights of their own (a Business Owner scores user-business value without editing features).
    for (const right of rightsFor(Object.keys(fields), editing))
      authorize(actor, right, scopeOfItem(item), "item", ref);
    if (item.version !== expected) throw versionConflict(item, expected);
    const art = await findArt(db, item.artId);
    if (!art) throw notFound("ART", item.artId);

    const refs = await resolveRefs(lookupIn(db), art, item.level, fields);
    const changes: ItemChanges = { ...fields } as ItemChanges;
    if (refs.parent !== undefined) changes.parentId = refs.parent?.id ?? null;
    for (const key of ["teamId", "teamIds", "piId", "iterationId", "ownerId"] as const) {
      if (refs[key] !== undefined) Object.assign(changes, { [key]: refs[key] });
    }
    const changed = changedFields(item, changes);
    const movedBack =
      changed.includes("state") && changes.state !== undefined && isMoveBack(item.level, item.state, changes.state);
    const rework = reworkProblems({ reworkReason, reworkNote }, movedBack);
    if (rework.length > 0) throw invalidFields(rework);
    if (changed.length === 0) return { result: item, changes: [] };

    const at = now(deps);
    const next: WorkItem = { ...item, ...changes, version: item.version + 1, updatedAt: at, updatedBy: by };
    const scope = scopeOfItem(next);
    if (scope.teamId !== scopeOfItem(item).teamId) authorize(actor, editing, scope, "team", next.teamId ?? "");
    if (
      item.level === "story" &&
      changed.includes("state") &&
      (item.state === "accepted" || next.state === "accepted")
    ) {
      authorize(actor, "accept_story", scope, "item", ref);
    }
    const stateProblem = changed.includes("state") ? stateChangeProblem(item.state, next.state) : null;
    const problems = [...itemProblems(next), ...(stateProblem ? [{ path: "state", message: stateProblem }] : [])];
    if (problems.length > 0) {
      throw invalidFields(problems);
    }
    // The team's Definition of Ready: a team whose policy is "refuse" keeps a story that is not ready out of Ready.
    if (item.level === "story" && changed.includes("state") && next.state === "ready") {
      const refusal = await readyRefusal(deps, db, actor, next);
      if (refusal) throw invalid("state", refusal);
    }
    const backlog = backlogOf(next);
    if (backlog !== item.backlog) {
      next.backlog = backlog;
      next.rank = await placeInBacklog(db, backlog, { position: "bottom" }, item.id);
    }
    if (!(await writeItem(db, next, item.version))) {
      const current = await findItem(db, item.id);
      throw versionConflict(current ?? item, expected);
    }
    await recordEvents(db, [
      ...changed.map((field) => ({
        artId: item.artId,
        itemId: item.id,
        teamId: next.teamId,
        kind: "updated",
        field,
        oldValue: item[field],
        newValue: next[field],
        actorId: by,
        at,
      })),
      // Rework: which finished state the story left, and why (when the person said so); at the state event's instant.
      ...(movedBack
        ? [
            {
              artId: item.artId,
              itemId: item.id,
              teamId: next.teamId,
              kind: "rework",
              field: "reason",
              oldValue: item.state,
              newValue: { reason: reworkReason ?? null, note: reworkNote || null },
              actorId: by,
              at,
            },
          ]
        : []),
    ]);
    return {
      result: next,
      changes: [
        {
          kind: "item.updated",
          artId: item.artId,
          itemId: item.id,
          key: item.key,
          backlog: next.backlog,
          version: next.version,
          actorId: by,
        },
        ...(backlog !== item.backlog
          ? [{ kind: "item.moved" as const, artId: item.artId, itemId: item.id, backlog: item.backlog, actorId: by }]
          : []),
      ],
    };
  });
}

/** A rework reason or note is refused unless the same edit moves a story back from done or accepted. */
function reworkProblems(
  given: { reworkReason?: string | null | undefined; reworkNote?: string | null | undefined },
  movedBack: boolean,
): FieldIssue[] {
  if (movedBack) return [];
  const message = "only when moving a story back from done or accepted";
  return (["reworkReason", "reworkNote"] as const)
    .filter((f) => given[f] !== undefined && given[f] !== null && given[f] !== "")
    .map((path) => ({ path, message }));
}

/**
 * The rights an edit of these fields needs: WSJF inputs their scoring rights, the economic fields (Cost of Delay per
 * week, urgency, fixed date, duration) `score_wsjf`, everything else `editing`.
 */
function rightsFor(fields: readonly string[], editing: Permission): Set<Permission> {
  const rights = new Set<Permission>();
  for (const f of fields) {
    if (f === "businessValue") rights.add("score_business_value");
    else if ((WSJF_INPUTS as readonly string[]).includes(f)) rights.add("score_wsjf");
    else if ((ECONOMIC_FIELDS as readonly string[]).includes(f)) rights.add("score_wsjf");
    else rights.add(editing);
  }
  if (rights.size === 0) rights.add(editing);
  return rights;
}
