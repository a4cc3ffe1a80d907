// Customer feedback: its limits, and the feedback review, which finds the program items whose feedback arrived after
// their value was last estimated (so the Product Manager knows what to re-score).
import { WSJF_INPUTS } from "./wsjf.js";

export const FEEDBACK_BODY_MAX = 10_000;
export const FEEDBACK_LABEL_MAX = 200;
export const FEEDBACK_WEIGHT_MIN = 1;
export const FEEDBACK_WEIGHT_MAX = 100;

/** The history fields whose change counts as estimating an item's value: the WSJF inputs. */
export const ESTIMATE_FIELDS: readonly string[] = WSJF_INPUTS;

export interface Feedback {
  id: string;
  artId: string;
  /** The channel it came through, e.g. "support ticket", "customer advisory board". */
  source: string;
  /** A customer or a segment. */
  customer: string;
  /** Markdown. */
  body: string;
  /** Votes or weight, 1..100. */
  weight: number;
  /** yyyy-mm-dd. */
  receivedOn: string;
  createdAt: string;
  createdBy: string | null;
}

/** Whether `s` is a real calendar date written yyyy-mm-dd. */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** One link of feedback to a program item, as the review needs it. */
export interface ReviewLink {
  itemId: string;
  feedbackId: string;
  weight: number;
  /** When the feedback was recorded, and when it was linked to the item. */
  feedbackCreatedAt: string;
  linkedAt: string;
}

export interface ReviewEntry {
  itemId: string;
  /** When a WSJF input of the item last changed; null if it never was estimated. */
  lastEstimatedAt: string | null;
  /** Feedback recorded or linked after that. */
  newFeedback: number;
  newWeight: number;
  /** All the item's feedback. */
  totalFeedback: number;
  totalWeight: number;
}

/**
 * The items with feedback newer than their last estimate (or never estimated), heaviest new weight first (then the
 * most new feedback, then the item id, for a stable order).
 *
 * @example reviewFeedback([{ itemId: "a", feedbackId: "f", weight: 5, feedbackCreatedAt: "t1", linkedAt: "t2" }], new Map())
 *   // → [{ itemId: "a", lastEstimatedAt: null, newFeedback: 1, newWeight: 5, totalFeedback: 1, totalWeight: 5 }]
 */
export function reviewFeedback(
  links: readonly ReviewLink[],
  lastEstimated: ReadonlyMap<string, string>,
): ReviewEntry[] {
  const entries = new Map<string, ReviewEntry>();
  for (const link of links) {
    const since = lastEstimated.get(link.itemId) ?? null;
    const entry = entries.get(link.itemId) ?? {
      itemId: link.itemId,
      lastEstimatedAt: since,
      newFeedback: 0,
      newWeight: 0,
      totalFeedback: 0,
      totalWeight: 0,
    };
    entry.totalFeedback += 1;
    entry.totalWeight += link.weight;
    if (since === null || link.linkedAt > since || link.feedbackCreatedAt > since) {
      entry.newFeedback += 1;
      entry.newWeight += link.weight;
    }
    entries.set(link.itemId, entry);
  }
  return [...entries.values()]
    .filter((e) => e.newFeedback > 0)
    .sort((a, b) => b.newWeight - a.newWeight || b.newFeedback - a.newFeedback || a.itemId.localeCompare(b.itemId));
}
