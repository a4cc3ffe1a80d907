// How the session screen reads a session: which cells "Confirm all proposals" confirms, which items a revote of the
// flagged ones covers, and the words for the state and the spread.
import { describe, expect, it } from "vitest";
import { type EstimationSessionRows, type EstimationState, sessionView } from "../../core/estimation";
import { flaggedItems, proposalsToConfirm, spreadText, stateText } from "./estimation";

const ADA = { id: "p-ada", name: "Ada" };
const BEA = { id: "p-bea", name: "Bea" };
const current = { businessValue: null, timeCriticality: null, riskReduction: null, jobSize: null };

/** A session on two items × two inputs where Ada and Bea scored [A bv: 2 vs 8, A js: 3 vs 3, B bv: 5 vs 5]. */
function session(state: EstimationState, confirmedAbv = false) {
  const rows: EstimationSessionRows = {
    session: {
      id: "s1",
      artId: "art",
      title: "Value check",
      level: "feature",
      state,
      round: 1,
      inputs: ["businessValue", "jobSize"],
      facilitator: ADA,
      createdAt: "2026-11-28T00:00:00.000Z",
      revealedAt: state === "scoring" ? null : "2026-11-28T00:10:00.000Z",
      closedAt: null,
    },
    items: [
      { id: "i-a", key: "DPT-1", title: "A", type: "business", version: 4, current },
      { id: "i-b", key: "DPT-2", title: "B", type: "business", version: 7, current },
    ],
    participants: [ADA, BEA],
    scores: [
      { itemId: "i-a", input: "businessValue", personId: ADA.id, round: 1, value: 2 },
      { itemId: "i-a", input: "businessValue", personId: BEA.id, round: 1, value: 8 },
      { itemId: "i-a", input: "jobSize", personId: ADA.id, round: 1, value: 3 },
      { itemId: "i-a", input: "jobSize", personId: BEA.id, round: 1, value: 3 },
      { itemId: "i-b", input: "businessValue", personId: ADA.id, round: 1, value: 5 },
      { itemId: "i-b", input: "businessValue", personId: BEA.id, round: 1, value: 5 },
    ],
    confirmations: confirmedAbv
      ? [{ itemId: "i-a", input: "businessValue", value: 3, by: ADA, at: "2026-11-28T00:12:00.000Z" }]
      : [],
  };
  return sessionView(rows, { personId: ADA.id });
}

describe("reading an estimation session on the screen", () => {
  it("confirms every revealed, unconfirmed cell with a proposal, on the item version the facilitator saw", () => {
    expect(proposalsToConfirm(session("revealed"))).toEqual([
      { item: "i-a", input: "businessValue", value: 5, version: 4 },
      { item: "i-a", input: "jobSize", value: 3, version: 4 },
      { item: "i-b", input: "businessValue", value: 5, version: 7 },
    ]);
  });

  it("leaves out confirmed cells and cells without votes, and confirms nothing before reveal", () => {
    expect(proposalsToConfirm(session("revealed", true)).map((c) => `${c.item} ${c.input}`)).toEqual([
      "i-a jobSize",
      "i-b businessValue",
    ]);
    expect(proposalsToConfirm(session("scoring"))).toEqual([]);
  });

  it("flags for a revote the items with a wide disagreement not yet confirmed", () => {
    expect(flaggedItems(session("revealed")).map((i) => i.key)).toEqual(["DPT-1"]);
    expect(flaggedItems(session("revealed", true))).toEqual([]);
    expect(flaggedItems(session("scoring"))).toEqual([]);
  });

  it("says the state with its round, and the spread in scale steps", () => {
    expect(stateText({ state: "scoring", round: 1 })).toBe("Scoring");
    expect(stateText({ state: "scoring", round: 3 })).toBe("Scoring · round 3");
    expect(stateText({ state: "revealed", round: 2 })).toBe("Revealed");
    expect(stateText({ state: "closed", round: 2 })).toBe("Closed");
    expect(spreadText({ min: 2, max: 8, steps: 3 })).toBe("2–8 · 3 steps");
    expect(spreadText({ min: 3, max: 5, steps: 1 })).toBe("3–5 · 1 step");
    expect(spreadText({ min: 5, max: 5, steps: 0 })).toBe("all 5");
  });
});
