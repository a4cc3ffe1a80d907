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
  /** JSON: the capacity allocation policy ({ business, enabler, maintenance } percents adding up to 100) or null. */
  allocation: Generated<string>;
  version: Generated<number>;
}
export interface IterationTable {
  id: string;
  pi_id: string;
  name: string;
  number: number;
  start_date: string;
  end_date: string;
  /** "development" or "ip" (Innovation & Planning). */
  kind: Generated<string>;
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
  /** WSJF inputs: relative estimates on the modified Fibonacci scale, null until given. */
  business_value: number | null;
  time_criticality: number | null;
  risk_reduction: number | null;
  job_size: number | null;
  /** Economic view (program items only, optional): money per week, urgency profile, yyyy-mm-dd, weeks. */
  cost_of_delay_per_week: number | null;
  urgency: string | null;
  fixed_date: string | null;
  duration_weeks: number | null;
  /** JSON array of label strings, sorted. */
  labels: string;
  /** JSON array of team ids (features and other program items). */
  team_ids: string;
  /** JSON array of the ids of the team's manual Definition-of-Ready items ticked on this story. */
  ready_checks: string;
  /** What the item waits on outside the team's control; null when it is not blocked. */
  blocked_reason: string | null;
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

/** A change screens are told about (a `Change` as JSON), by ART, numbered in commit order per ART. */
export interface ChangeLogTable {
  id: Generated<number>;
  art_id: string;
  change: string;
  at: string;
}

/** Sign-in credentials and standing of a person; booleans are 0/1 on both databases. */
export interface AccountTable {
  person_id: string;
  password_hash: string | null;
  admin: number;
  active: number;
  failed_sign_ins: number;
  locked_until: string | null;
  created_at: string;
  password_changed_at: string | null;
}
export interface RoleGrantTable {
  id: string;
  person_id: string;
  role: string;
  art_id: string;
  team_id: string | null;
  scope_id: string;
  created_at: string;
  created_by: string | null;
}
/** A signed-in browser; the id is the keyed hash of the cookie's value, never the value itself. */
export interface SessionTable {
  id: string;
  person_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}
export interface ApiTokenTable {
  id: string;
  person_id: string;
  name: string;
  token_hash: string;
  hint: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
/** A one-time link to set a password (an invitation or a reset); the id is the keyed hash of the link's secret. */
export interface PasswordLinkTable {
  id: string;
  person_id: string;
  purpose: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  kind: string;
  actor_id: string | null;
  subject_id: string | null;
  art_id: string | null;
  ip: string | null;
  /** JSON object. */
  detail: string;
}
/** A whole backlog put in a new order at once, kept so it can be undone in one step. */
export interface ReorderTable {
  id: string;
  art_id: string;
  backlog: string;
  kind: string;
  before: string;
  after: string;
  at: string;
  actor_id: string | null;
  undone_at: string | null;
  undone_by: string | null;
}
/** Customer feedback recorded on an ART: its channel, who (a customer or a segment), what, and how much it weighs. */
export interface FeedbackTable {
  id: string;
  art_id: string;
  source: string;
  customer: string;
  /** Markdown. */
  body: string;
  /** 1..100: votes or weight. */
  weight: number;
  /** yyyy-mm-dd. */
  received_on: string;
  created_at: string;
  created_by: string | null;
}
export interface FeedbackLinkTable {
  feedback_id: string;
  item_id: string;
  created_at: string;
  created_by: string | null;
}
export interface SettingTable {
  key: string;
  value: string;
}

/** A team's refinement settings as JSON (see src/core/readiness.ts), versioned for concurrent edits. */
export interface TeamRefinementTable {
  team_id: string;
  settings: string;
  version: number;
  updated_at: string;
  updated_by: string | null;
}
/** A quality finding (item × rule) a person dismissed, with the reason. */
export interface FindingDismissalTable {
  id: string;
  art_id: string;
  item_id: string;
  rule: string;
  reason: string;
  created_at: string;
  created_by: string | null;
}
export interface EstimationSessionTable {
  id: string;
  art_id: string;
  title: string;
  level: "feature" | "capability" | "epic";
  /** JSON array of WSJF input names. */
  inputs: string;
  state: "scoring" | "revealed" | "closed";
  round: number;
  facilitator_id: string;
  created_at: string;
  revealed_at: string | null;
  closed_at: string | null;
  version: number;
}
export interface EstimationItemTable {
  session_id: string;
  item_id: string;
  position: number;
}
export interface EstimationParticipantTable {
  session_id: string;
  person_id: string;
  added_at: string;
}
export interface EstimationScoreTable {
  session_id: string;
  item_id: string;
  input: string;
  person_id: string;
  round: number;
  value: number;
  updated_at: string;
}
export interface EstimationConfirmationTable {
  session_id: string;
  item_id: string;
  input: string;
  value: number;
  confirmed_by: string;
  confirmed_at: string;
}

/** A team's capacity in one iteration: from its people (JSON CapacityMember[]) or set directly in points. */
export interface TeamCapacityTable {
  team_id: string;
  iteration_id: string;
  members: string;
  points: number | null;
  version: number;
  updated_at: string;
  updated_by: string | null;
}
/** The planning details of a "depends_on" relation (same id): consumer = relation's from item, provider = its to item. */
export interface DependencyTable {
  id: string;
  art_id: string;
  needed: string;
  needed_by_iteration_id: string | null;
  /** requested | committed | delivered | declined */
  state: string;
  planned_iteration_id: string | null;
  decline_reason: string | null;
  version: number;
  updated_at: string;
  updated_by: string | null;
}
export interface MilestoneTable {
  id: string;
  pi_id: string;
  name: string;
  /** yyyy-mm-dd */
  date: string;
  created_at: string;
  created_by: string | null;
}
/** A PI objective of a team (team_id) or of the train (null); business values 1..10 (actual 0..10). */
export interface PiObjectiveTable {
  id: string;
  pi_id: string;
  team_id: string | null;
  title: string;
  description: string;
  /** 1 committed, 0 uncommitted (stretch). */
  committed: number;
  planned_value: number | null;
  actual_value: number | null;
  /** JSON array of feature ids. */
  feature_ids: string;
  position: number;
  version: number;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}
export interface RiskTable {
  id: string;
  art_id: string;
  pi_id: string | null;
  team_id: string | null;
  title: string;
  description: string;
  /** unroamed | resolved | owned | accepted | mitigated */
  roam: string;
  owner_id: string | null;
  /** JSON array of item ids. */
  item_ids: string;
  version: number;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}
/** One person's fist-of-five vote for a team (scope_id = team id) or the train (scope_id = ART id) in a PI. */
export interface ConfidenceVoteTable {
  pi_id: string;
  scope_id: string;
  person_id: string;
  value: number;
  at: string;
}

/** A day's metrics record (JSON) for a scope: a team's id, or "*" for the whole train. */
export interface MetricDayTable {
  art_id: string;
  scope: string;
  day: string;
  record: string;
}
/** An iteration's stories as it began (JSON), and its result per scope once it is over (JSON). */
export interface MetricIterationTable {
  iteration_id: string;
  art_id: string;
  start: string;
  results: string | null;
}
/** The last day whose metrics records an ART keeps. */
export interface MetricSealTable {
  art_id: string;
  through: string;
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
  accounts: AccountTable;
  role_grants: RoleGrantTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  password_links: PasswordLinkTable;
  audit_log: AuditLogTable;
  settings: SettingTable;
  reorders: ReorderTable;
  feedback: FeedbackTable;
  feedback_links: FeedbackLinkTable;
  estimation_sessions: EstimationSessionTable;
  estimation_items: EstimationItemTable;
  estimation_participants: EstimationParticipantTable;
  estimation_scores: EstimationScoreTable;
  estimation_confirmations: EstimationConfirmationTable;
  team_refinement: TeamRefinementTable;
  finding_dismissals: FindingDismissalTable;
  team_capacity: TeamCapacityTable;
  dependencies: DependencyTable;
  milestones: MilestoneTable;
  pi_objectives: PiObjectiveTable;
  risks: RiskTable;
  confidence_votes: ConfidenceVoteTable;
  metric_days: MetricDayTable;
  metric_iterations: MetricIterationTable;
  metric_seals: MetricSealTable;
  change_log: ChangeLogTable;
}

export type Db = Kysely<Database> | Transaction<Database>;
