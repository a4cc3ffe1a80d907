// What the screens and the API show of items: backlog rows, references, relations as seen from one end, comments,
// history events and an opened item. Shared by the use cases, the server's presenters and the web app.
import type { ItemState, ItemType, Level, RelationKind, WorkItem } from "./work-item.js";

/** One row of a backlog list: what a ranked list shows, without descriptions or criteria. */
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
  /** What the item waits on (blocked), or null. */
  blockedReason: string | null;
  rank: string;
  version: number;
  childCount: number;
  childPoints: number;
}

export interface ItemRef {
  id: string;
  key: string;
  title: string;
  level: Level;
  state: ItemState;
}

export const refOf = (i: WorkItem): ItemRef => ({
  id: i.id,
  key: i.key,
  title: i.title,
  level: i.level,
  state: i.state,
});

export interface RelatedItem {
  id: string;
  kind: RelationKind;
  direction: "outgoing" | "incoming";
  /** How the relation reads from this item, e.g. "depends on" or "blocks". */
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

export interface HistoryEvent {
  id: number;
  artId: string;
  itemId: string;
  teamId: string | null;
  /** created, updated, moved, commented, related, unrelated */
  kind: string;
  field: string | null;
  oldValue: unknown;
  newValue: unknown;
  actorId: string | null;
  at: string;
}

export interface ItemDetail {
  item: WorkItem;
  /** From the top of the hierarchy down to the parent. */
  ancestors: ItemRef[];
  children: (ItemRef & { points: number | null; teamId: string | null })[];
  childCount: number;
  childPoints: number;
  relations: RelatedItem[];
  comments: Comment[];
}

/** A change other people's screens should reflect; published after the transaction commits. */
export interface Change {
  kind:
    | "item.created"
    | "item.updated"
    | "item.moved"
    | "item.commented"
    | "item.related"
    | "train.changed"
    | "estimation.changed"
    /** A story's quality findings or readiness changed (a dismissal), or a team's refinement settings. */
    | "quality.changed"
    /** A PI's plan changed: its settings, milestones, a team's capacity, objectives, risks or confidence votes. */
    | "planning.changed";
  artId: string;
  itemId?: string;
  /** The estimation session of an `estimation.changed` (which carries no scores). */
  sessionId?: string;
  /** The PI of a `planning.changed` (absent for a risk of no PI). */
  piId?: string;
  key?: string;
  backlog?: string;
  version?: number;
  actorId: string | null;
}
