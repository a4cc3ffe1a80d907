// The shapes the web app reads from the API (/api/v1, see its OpenAPI document), named as the domain names them.
import type { Art, Iteration, Person, ProgramIncrement, Team } from "../../core/train";
import type { EditableField, ItemState, ItemType, Level, RelationKind, WorkItem } from "../../core/work-item";

export type { Art, Iteration, Person, ProgramIncrement, Team };

/** An item as the API presents it. */
export type Item = Omit<WorkItem, "number" | "backlog">;

/** One row of a backlog list: the slim fields a list shows. */
export interface BacklogRow {
  id: string;
  key: string;
  title: string;
  level: Level;
  type: ItemType;
  enablerKind: string | null;
  state: ItemState;
  points: number | null;
  teamId: string | null;
  teamIds: string[];
  parentId: string | null;
  parentKey: string | null;
  parentTitle: string | null;
  piId: string | null;
  iterationId: string | null;
  ownerId: string | null;
  labels: string[];
  criteriaCount: number;
  rank: string;
  version: number;
  childCount: number;
  childPoints: number;
}

export interface WholeBacklog {
  items: BacklogRow[];
  total: number;
}

export interface ItemRef {
  id: string;
  key: string;
  title: string;
  level: Level;
  state: ItemState;
}

export interface Relation {
  id: string;
  kind: RelationKind;
  direction: "outgoing" | "incoming";
  label: string;
  item: ItemRef;
}

export interface Comment {
  id: string;
  itemId: string;
  authorId: string | null;
  body: string;
  createdAt: string;
}

export interface ItemDetail {
  item: Item;
  ancestors: ItemRef[];
  children: (ItemRef & { points: number | null; teamId: string | null })[];
  childCount: number;
  childPoints: number;
  relations: Relation[];
  comments: Comment[];
}

export interface HistoryEvent {
  id: number;
  itemId: string;
  itemKey: string;
  kind: "created" | "updated" | "moved" | "commented" | "related" | "unrelated" | string;
  field: string | null;
  oldValue: unknown;
  newValue: unknown;
  actorId: string | null;
  at: string;
}

export interface HistoryPage {
  items: HistoryEvent[];
  nextCursor: number | null;
}

/** A change pushed by the server on /arts/{art}/events. */
export interface Change {
  kind: string;
  artId: string;
  itemId?: string;
  key?: string;
  backlog?: string;
  version?: number;
  actorId: string | null;
}

/** Where an item goes in its backlog. */
export type Placement = { position: "top" | "bottom" } | { before: string } | { after: string };

/** The editable fields of an item, as a form holds them. */
export type ItemFields = Pick<Item, EditableField>;
