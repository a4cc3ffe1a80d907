// Customer feedback for the screens: its shapes as the API sends them, the calls, and the query hooks (under the
// item's and the ART's cache keys, so live changes and edits refresh them).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Feedback } from "../../core/feedback";
import { request } from "./api";

export {
  FEEDBACK_BODY_MAX,
  FEEDBACK_LABEL_MAX,
  FEEDBACK_WEIGHT_MAX,
  FEEDBACK_WEIGHT_MIN,
  type Feedback,
} from "../../core/feedback";

export interface FeedbackEntry extends Feedback {
  items: { id: string; key: string; title: string; level: string }[];
}

export interface ItemFeedback {
  item: { id: string; key: string };
  items: (Feedback & { linkedAt: string })[];
  totalWeight: number;
}

export interface FeedbackReviewRow {
  item: { id: string; key: string; title: string; level: string; state: string; businessValue: number | null };
  lastEstimatedAt: string | null;
  newFeedback: number;
  newWeight: number;
  totalFeedback: number;
  totalWeight: number;
}

export interface FeedbackInput {
  source: string;
  customer: string;
  body: string;
  weight: number;
  receivedOn?: string;
  items?: string[];
}

const enc = encodeURIComponent;

export const feedbackApi = {
  list: (art: string, q: string, signal?: AbortSignal) =>
    request<{ items: FeedbackEntry[] }>(
      `/arts/${enc(art)}/feedback${q.trim() ? `?${new URLSearchParams({ q: q.trim() })}` : ""}`,
      signal ? { signal } : {},
    ),
  record: (art: string, input: FeedbackInput) =>
    request<Feedback & { items: string[] }>(`/arts/${enc(art)}/feedback`, { method: "POST", body: input }),
  review: (art: string, signal?: AbortSignal) =>
    request<{ items: FeedbackReviewRow[] }>(`/arts/${enc(art)}/feedback/review`, signal ? { signal } : {}),
  ofItem: (key: string, signal?: AbortSignal) =>
    request<ItemFeedback>(`/items/${enc(key)}/feedback`, signal ? { signal } : {}),
  link: (key: string, feedbackId: string) =>
    request<{ feedbackId: string; key: string }>(`/items/${enc(key)}/feedback`, {
      method: "POST",
      body: { feedbackId },
    }),
  unlink: (key: string, feedbackId: string) =>
    request<void>(`/items/${enc(key)}/feedback/${enc(feedbackId)}`, { method: "DELETE" }),
};

export const feedbackKeys = {
  /** Everything about an ART's feedback (under its backlogs, so live changes refresh it). */
  art: (art: string) => ["backlog", art, "feedback"] as const,
  list: (art: string, q: string) => ["backlog", art, "feedback", "list", q.trim()] as const,
  review: (art: string) => ["backlog", art, "feedback", "review"] as const,
  /** Under the item's key, so refreshing the item refreshes its feedback too. */
  item: (key: string) => ["item", key, "feedback"] as const,
};

export function useArtFeedback(art: string, q = "", enabled = true) {
  return useQuery({
    queryKey: feedbackKeys.list(art, q),
    queryFn: ({ signal }) => feedbackApi.list(art, q, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useFeedbackReview(art: string) {
  return useQuery({ queryKey: feedbackKeys.review(art), queryFn: ({ signal }) => feedbackApi.review(art, signal) });
}

export function useItemFeedback(key: string) {
  return useQuery({ queryKey: feedbackKeys.item(key), queryFn: ({ signal }) => feedbackApi.ofItem(key, signal) });
}

/** Today as yyyy-mm-dd in the person's own time zone. */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}
