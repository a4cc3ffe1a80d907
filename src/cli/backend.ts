// Where the item commands send their work: the database directly (as its operator) or a Trainyard server over HTTP.
// Both answer with the same shapes, those the API presents, so a command prints the same text and JSON either way.
import type { ItemDetail } from "../core/item-views.js";
import type { Actor } from "../core/permissions.js";
import type { Runtime } from "../runtime.js";
import { presentItem } from "../server/presenters.js";
import { type CheckReport, checkTrain } from "../use-cases/check-train.js";
import { createItem } from "../use-cases/create-items.js";
import { getItem } from "../use-cases/get-item.js";
import { type BacklogPage, type BacklogScope, listBacklog } from "../use-cases/list-backlog.js";
import { moveItem } from "../use-cases/move-item.js";

/** An item as the API presents it. */
export type ItemView = ReturnType<typeof presentItem>;
/** An opened item as the API presents it. */
export type ItemDetailView = Omit<ItemDetail, "item"> & { item: ItemView };

export interface Backend {
  listBacklog(scope: BacklogScope, query: Record<string, string>): Promise<BacklogPage>;
  getItem(ref: string): Promise<ItemDetailView>;
  createItem(input: Record<string, unknown>): Promise<ItemView>;
  moveItem(ref: string, input: Record<string, unknown>): Promise<ItemView>;
  checkTrain(): Promise<CheckReport>;
}

/** The use cases on an open database, acting as `actor` (the operator). */
export function localBackend(rt: Runtime, actor: Actor): Backend {
  return {
    listBacklog: (scope, query) => listBacklog(rt.deps, actor, scope, query),
    getItem: async (ref) => {
      const detail = await getItem(rt.deps, ref, actor);
      return { ...detail, item: presentItem(detail.item) };
    },
    createItem: async (input) => presentItem(await createItem(rt.deps, input, actor)),
    moveItem: async (ref, input) => presentItem(await moveItem(rt.deps, ref, input, actor)),
    checkTrain: () => checkTrain(rt.deps, actor),
  };
}
