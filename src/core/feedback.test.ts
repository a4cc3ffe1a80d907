// The feedback review (what to re-score) and the calendar-date rule of feedback.
import { describe, expect, it } from "vitest";
import { isCalendarDate, type ReviewLink, reviewFeedback } from "./feedback.js";

const link = (itemId: string, weight: number, linkedAt: string, feedbackCreatedAt = linkedAt): ReviewLink => ({
  itemId,
  feedbackId: `${itemId}-${linkedAt}`,
  weight,
  feedbackCreatedAt,
  linkedAt,
});

describe("the feedback review", () => {
  it("lists items never estimated, and those with feedback linked after their last estimate, heaviest new weight first", () => {
    const review = reviewFeedback(
      [link("a", 5, "t2"), link("b", 20, "t5"), link("b", 3, "t1"), link("c", 8, "t3"), link("d", 1, "t1")],
      new Map([
        ["b", "t4"],
        ["c", "t6"],
      ]),
    );
    expect(review).toEqual([
      { itemId: "b", lastEstimatedAt: "t4", newFeedback: 1, newWeight: 20, totalFeedback: 2, totalWeight: 23 },
      { itemId: "a", lastEstimatedAt: null, newFeedback: 1, newWeight: 5, totalFeedback: 1, totalWeight: 5 },
      { itemId: "d", lastEstimatedAt: null, newFeedback: 1, newWeight: 1, totalFeedback: 1, totalWeight: 1 },
    ]);
  });

  it("leaves out an item re-scored at the moment its feedback arrived", () => {
    expect(reviewFeedback([link("a", 5, "t2")], new Map([["a", "t2"]]))).toEqual([]);
  });
});

describe("calendar dates", () => {
  it("accepts real days written yyyy-mm-dd and nothing else", () => {
    expect(["2026-11-28", "2024-02-29"].map(isCalendarDate)).toEqual([true, true]);
    expect(["2026-02-29", "2026-13-01", "28.11.2026", "2026-1-2", ""].map(isCalendarDate)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
