// The database tables as Kysely sees them. Timestamps are ISO-8601 UTC strings on both databases.
import type { Generated, Kysely, Transaction } from "kysely";

export interface ArtTable {
  id: string;
  key: string;
  name: string;
  next_number: number;
  created_at: string;
}
export interface TeamTable {
  id: string;
  art_id: string;
  key: string;
  name: string;
  created_at: string;
}
export interface PersonTable {
  id: string;
  name: string;
  email: string;
  created_at: string;
}
export interface PiTable {
  id: string;
  art_id: string;
  name: string;
  start_date: string;
  end_date: string;
}
export interface IterationTable {
  id: string;
  pi_id: string;
  name: string;
  number: number;
  start_date: string;
  end_date: string;
}
export interface ItemTable {
  id: string;
  art_id: string;
  number: number;
  key: string;
  level: string;
  type: string;
  enabler_kind: string | null;
  title: string;
  description: string;
  benefit_hypothesis: string;
  /** JSON array of strings, in order. */
  acceptance_criteria: string;
  state: string;
  parent_id: string | null;
  team_id: string | null;
  pi_id: string | null;
  iteration_id: string | null;
  points: number | null;
  owner_id: string | null;
  /** JSON array of label strings, sorted. */
  labels: string;
  /** JSON array of team ids (features and other program items). */
  team_ids: string;
  backlog: string;
  rank: string;
  version: number;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}
export interface RelationTable {
  id: string;
  kind: string;
  from_id: string;
  to_id: string;
  created_at: string;
  created_by: string | null;
}
export interface CommentTable {
  id: string;
  item_id: string;
  author_id: string | null;
  body: string;
  created_at: string;
}
/** History: one row per changed field (or per created item, comment, relation), written with the change. */
export interface EventTable {
  id: Generated<number>;
  art_id: string;
  item_id: string;
  team_id: string | null;
  kind: string;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  actor_id: string | null;
  at: string;
}

export interface Database {
  arts: ArtTable;
  teams: TeamTable;
  people: PersonTable;
  pis: PiTable;
  iterations: IterationTable;
  items: ItemTable;
  relations: RelationTable;
  comments: CommentTable;
  events: EventTable;
}

export type Db = Kysely<Database> | Transaction<Database>;
