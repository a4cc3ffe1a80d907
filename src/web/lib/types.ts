// The shapes the web app reads from the API (/api/v1, see its OpenAPI document), named as the domain names them.

import type {
  BacklogRow,
  Change,
  Comment,
  ItemDetail as CoreItemDetail,
  HistoryEvent,
  ItemRef,
  RelatedItem,
} from "../../core/item-views";
import type { Art, Iteration, Person, ProgramIncrement, Team } from "../../core/train";
import type { EditableField, WorkItem } from "../../core/work-item";

export type { Art, BacklogRow, Change, Comment, HistoryEvent, ItemRef, Iteration, Person, ProgramIncrement, Team };
export type Relation = RelatedItem;

/** An item as the API presents it. */
export type Item = Omit<WorkItem, "number" | "backlog">;

export interface WholeBacklog {
  items: BacklogRow[];
  total: number;
}

/** An opened item, with the item as the API presents it. */
export type ItemDetail = Omit<CoreItemDetail, "item"> & { item: Item };

export interface HistoryPage {
  items: (HistoryEvent & { itemKey: string })[];
  nextCursor: number | null;
}

/** Where an item goes in its backlog. */
export type Placement = { position: "top" | "bottom" } | { before: string } | { after: string };

/** The editable fields of an item, as a form holds them. */
export type ItemFields = Pick<Item, EditableField>;
