// The shapes the web app reads from the API (/api/v1, see its OpenAPI document), named as the domain names them.

import type { Criterion } from "../../core/acceptance-criteria";
import type { Account, AuditKind } from "../../core/account";
import type {
  BacklogRow,
  Change,
  Comment,
  ItemDetail as CoreItemDetail,
  HistoryEvent,
  ItemRef,
  RelatedItem,
} from "../../core/item-views";
import type { RoleGrant } from "../../core/permissions";
import type { Readiness, ReadinessCheck } from "../../core/readiness";
import type { Finding, QualityRule } from "../../core/story-quality";

export { type Account, AUDIT_KINDS, type AuditKind } from "../../core/account";
export type { TeamAlignment, WsjfGrid, WsjfOrderPreview, WsjfRow } from "../../core/wsjf-views";

import type { Art, Iteration, Person, ProgramIncrement, Team } from "../../core/train";
import type { EditableField, WorkItem } from "../../core/work-item";

export type {
  Art,
  BacklogRow,
  Change,
  Comment,
  HistoryEvent,
  ItemRef,
  Iteration,
  Person,
  ProgramIncrement,
  RoleGrant,
  Team,
};
export type Relation = RelatedItem;

/** An item as the API presents it. */
/** An item as the API presents it, with its Cost of Delay and WSJF computed (null until every input is given). */
export type Item = Omit<WorkItem, "number" | "backlog"> & { costOfDelay: number | null; wsjf: number | null };

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

/** Who is signed in (GET /session), with the CSRF token their changes must echo. */
export interface Session {
  signedIn: boolean;
  needsFirstAdmin: boolean;
  account?: Account;
  csrfToken?: string;
}

/** A one-time link that sets a password: an invitation or a reset. */
export interface PasswordLink {
  purpose: "invite" | "reset";
  url: string;
  expiresAt: string;
}

export interface ApiToken {
  id: string;
  name: string;
  /** The token's last four characters. */
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A token just made: the only time its secret is shown. */
export type NewApiToken = ApiToken & { token: string };

export interface RoleHolder extends RoleGrant {
  id: string;
  person: { id: string; name: string; email: string };
  createdAt: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  kind: AuditKind;
  actor: { id: string; name: string } | null;
  subject: { id: string; name: string } | null;
  artId: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: number | null;
}

/** Refinement (issue 5): the quality check's findings and a story's Definition of Ready, as the API answers them. */
export type { Finding, Highlight, QualityRule } from "../../core/story-quality";

export type { Readiness, ReadinessCheck };

/** What the live check is given: the story as it is being edited. */
export interface QualityDraft {
  title: string;
  description: string;
  acceptanceCriteria: Criterion[];
  points: number | null;
  type: Item["type"];
  teamId?: string;
  parentId?: string | null;
  /** The key of the story being edited: left out of duplicates, its dependencies used. */
  item?: string;
}

export interface QualityCheck {
  findings: Finding[];
  readiness: Readiness | null;
}

export interface FindingDismissal {
  rule: QualityRule;
  reason: string;
  /** Who dismissed it (a person id). */
  by: string | null;
  at: string;
  /** The finding as it would be now, or null when the rule no longer finds anything. */
  finding: Finding | null;
}

export interface ItemQuality {
  findings: Finding[];
  dismissed: FindingDismissal[];
  readiness: Readiness;
}

/** A team's refinement settings, as far as the item panel needs them. */
export interface TeamRefinement {
  teamId: string;
  settings: { readyPolicy: "warn" | "refuse"; definitionOfReady: { manual: { id: string; label: string }[] } };
  version: number;
}
