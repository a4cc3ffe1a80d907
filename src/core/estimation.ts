// Collaborative WSJF estimation sessions (planning poker): the shapes the API sends, the median proposal, the spread
// and the wide-disagreement flag of a cell, the state rules of a session, and the one function that builds what a
// given person may see of a session — so the privacy rule (nobody sees another person's score before reveal) lives here.
import { AppError } from "./errors.js";
import { nearestOnScale, WSJF_SCALE, type WsjfInput, type WsjfInputs } from "./wsjf.js";
import type { ProgramLevel } from "./wsjf-views.js";

export type EstimationState = "scoring" | "revealed" | "closed";

/** What a person may do to a session; each is allowed in some states only. */
export type EstimationAction = "score" | "reveal" | "revote" | "confirm" | "close" | "invite";

export interface PersonRef {
  id: string;
  name: string;
}

export interface EstimationSessionSummary {
  id: string;
  artId: string;
  title: string;
  level: ProgramLevel;
  state: EstimationState;
  round: number;
  inputs: WsjfInput[];
  facilitator: PersonRef;
  itemCount: number;
  participantCount: number;
  createdAt: string;
  revealedAt: string | null;
  closedAt: string | null;
}

export interface EstimationSpread {
  min: number;
  max: number;
  steps: number;
}

export interface EstimationCell {
  /** The caller's own score this round. */
  yours: number | null;
  /** How many participants scored this cell this round. */
  votes: number;
  /** Every score with its person; null until revealed (and always for non-members). */
  scores: (PersonRef & { value: number })[] | null;
  /** After reveal, when there are scores. */
  spread: EstimationSpread | null;
  wideDisagreement: boolean;
  /** The median, after reveal. */
  proposal: number | null;
  confirmed: { value: number; by: PersonRef; at: string } | null;
}

export interface EstimationItem {
  id: string;
  key: string;
  title: string;
  type: string;
  version: number;
  /** The item's values now. */
  current: WsjfInputs;
  /** One per session input. */
  cells: Partial<Record<WsjfInput, EstimationCell>>;
}

export interface EstimationSessionView extends EstimationSessionSummary {
  you: { personId: string | null; facilitator: boolean; participant: boolean };
  /** scored = cells scored this round; done = all of them. */
  participants: (PersonRef & { scored: number; done: boolean })[];
  /** In the order the facilitator picked. */
  items: EstimationItem[];
}

/** Limits shared by the API, the CLI and the web app. */
export const ESTIMATION_LIMITS = {
  title: 200,
  items: 200,
  participants: 50,
  cellsPerRequest: 800,
} as const;

/** A spread of this many scale steps or more (e.g. 2 vs 8, 3 vs 13) is a wide disagreement worth discussing. */
export const WIDE_DISAGREEMENT_STEPS = 3;

const scaleIndex = (v: number): number => {
  const i = (WSJF_SCALE as readonly number[]).indexOf(v);
  if (i < 0) throw new RangeError(`${v} is not on the WSJF scale`);
  return i;
};

/**
 * The value a cell proposes: the median of the scores; with an even count the mean of the two middle ones snapped to
 * the scale (ties to the higher value); null without scores. E.g. `medianProposal([3, 5])` is 5, `[2, 3, 13]` is 3.
 */
export function medianProposal(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] as number;
  return nearestOnScale(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2, "higher");
}

/** The lowest and highest score and how many scale steps lie between them; null without scores. */
export function spread(values: readonly number[]): EstimationSpread | null {
  if (values.length === 0) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { min, max, steps: scaleIndex(max) - scaleIndex(min) };
}

/** Whether the scores are at least WIDE_DISAGREEMENT_STEPS scale steps apart. */
export function isWideDisagreement(values: readonly number[]): boolean {
  const s = spread(values);
  return s !== null && s.steps >= WIDE_DISAGREEMENT_STEPS;
}

const ALLOWED: Record<EstimationAction, readonly EstimationState[]> = {
  score: ["scoring"],
  reveal: ["scoring"],
  revote: ["revealed"],
  confirm: ["revealed"],
  close: ["scoring", "revealed"],
  invite: ["scoring", "revealed"],
};

const ACTION_WORDS: Record<EstimationAction, string> = {
  score: "scored",
  reveal: "revealed",
  revote: "revoted",
  confirm: "confirmed",
  close: "closed",
  invite: "changed",
};

/** Throws a conflict naming the state when the action is not allowed in it. */
export function assertEstimationState(state: EstimationState, action: EstimationAction): void {
  if (!ALLOWED[action].includes(state)) {
    throw new AppError("conflict", `The session is ${state}; it cannot be ${ACTION_WORDS[action]} now.`, {
      data: { state },
    });
  }
}

/** The state after an action (the action must be allowed; see assertEstimationState). */
export function nextEstimationState(state: EstimationState, action: EstimationAction): EstimationState {
  assertEstimationState(state, action);
  if (action === "reveal") return "revealed";
  if (action === "revote") return "scoring";
  if (action === "close") return "closed";
  return state;
}

/** Whether the scores of the current round are open to the members: revealed, or closed after a reveal. */
export const isRevealed = (s: { state: EstimationState; revealedAt: string | null }): boolean =>
  s.state === "revealed" || (s.state === "closed" && s.revealedAt !== null);

export interface EstimationScoreRow {
  itemId: string;
  input: WsjfInput;
  personId: string;
  round: number;
  value: number;
}

export interface EstimationConfirmationRow {
  itemId: string;
  input: WsjfInput;
  value: number;
  by: PersonRef;
  at: string;
}

export interface EstimationItemRow {
  id: string;
  key: string;
  title: string;
  type: string;
  version: number;
  current: WsjfInputs;
}

/** A session as stored, with its items (in order), participants (facilitator included), scores and confirmations. */
export interface EstimationSessionRows {
  session: Omit<EstimationSessionSummary, "itemCount" | "participantCount">;
  items: EstimationItemRow[];
  participants: PersonRef[];
  scores: EstimationScoreRow[];
  confirmations: EstimationConfirmationRow[];
}

/** Who is looking: a person, or null for the local operator (who is never a member). */
export interface EstimationViewer {
  personId: string | null;
}

export function summarizeSession(rows: EstimationSessionRows): EstimationSessionSummary {
  return { ...rows.session, itemCount: rows.items.length, participantCount: rows.participants.length };
}

/**
 * What `viewer` sees of a session. Everybody who may open it sees the items, who takes part, how many voted per cell
 * and who has finished. Their own scores are theirs alone until reveal; after reveal the members (facilitator and
 * participants) see every score with names, the spread and the proposal — nobody else ever does.
 */
export function sessionView(rows: EstimationSessionRows, viewer: EstimationViewer): EstimationSessionView {
  const { session } = rows;
  const names = new Map(rows.participants.map((p) => [p.id, p.name]));
  const participant = viewer.personId !== null && names.has(viewer.personId);
  const facilitator = viewer.personId !== null && viewer.personId === session.facilitator.id;
  const open = (participant || facilitator) && isRevealed(session);
  const current = rows.scores.filter((s) => s.round === session.round && names.has(s.personId));
  const cellKey = (itemId: string, input: string) => `${itemId}\u0000${input}`;
  const byCell = new Map<string, EstimationScoreRow[]>();
  for (const s of current) {
    const k = cellKey(s.itemId, s.input);
    const list = byCell.get(k);
    if (list) list.push(s);
    else byCell.set(k, [s]);
  }
  const confirmed = new Map(rows.confirmations.map((c) => [cellKey(c.itemId, c.input), c]));
  const itemIds = new Set(rows.items.map((i) => i.id));
  const inputs = new Set<string>(session.inputs);
  const cellCount = rows.items.length * session.inputs.length;

  const items = rows.items.map((item): EstimationItem => {
    const cells: Partial<Record<WsjfInput, EstimationCell>> = {};
    for (const input of session.inputs) {
      const scores = byCell.get(cellKey(item.id, input)) ?? [];
      const values = scores.map((s) => s.value);
      const c = confirmed.get(cellKey(item.id, input));
      cells[input] = {
        yours: scores.find((s) => s.personId === viewer.personId)?.value ?? null,
        votes: scores.length,
        scores: open
          ? scores
              .map((s) => ({ id: s.personId, name: names.get(s.personId) as string, value: s.value }))
              .sort((a, b) => a.name.localeCompare(b.name))
          : null,
        spread: open ? spread(values) : null,
        wideDisagreement: open && isWideDisagreement(values),
        proposal: open ? medianProposal(values) : null,
        confirmed: c ? { value: c.value, by: c.by, at: c.at } : null,
      };
    }
    return { ...item, cells };
  });

  const scoredBy = new Map<string, number>();
  for (const s of current) {
    if (itemIds.has(s.itemId) && inputs.has(s.input)) scoredBy.set(s.personId, (scoredBy.get(s.personId) ?? 0) + 1);
  }
  return {
    ...summarizeSession(rows),
    you: { personId: viewer.personId, facilitator, participant },
    participants: rows.participants.map((p) => {
      const scored = scoredBy.get(p.id) ?? 0;
      return { ...p, scored, done: cellCount > 0 && scored >= cellCount };
    }),
    items,
  };
}
