import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "./errors.js";
import {
  assertEstimationState,
  type EstimationSessionRows,
  type EstimationState,
  isWideDisagreement,
  medianProposal,
  nextEstimationState,
  sessionView,
  spread,
  WIDE_DISAGREEMENT_STEPS,
} from "./estimation.js";
import { WSJF_INPUTS, WSJF_SCALE, type WsjfInput } from "./wsjf.js";

const scale = fc.constantFrom(...WSJF_SCALE);
const none = { businessValue: null, timeCriticality: null, riskReduction: null, jobSize: null };

function rows(state: EstimationState, scores: EstimationSessionRows["scores"], revealedAt: string | null = null) {
  return {
    session: {
      id: "s1",
      artId: "a1",
      title: "PI 2 features",
      level: "feature",
      state,
      round: 1,
      inputs: ["businessValue", "jobSize"],
      facilitator: { id: "pm", name: "Pam" },
      createdAt: "2026-11-28T10:00:00.000Z",
      revealedAt: state === "revealed" ? "2026-11-28T10:30:00.000Z" : revealedAt,
      closedAt: state === "closed" ? "2026-11-28T11:00:00.000Z" : null,
    },
    items: [
      { id: "i1", key: "PAY-1", title: "Checkout", type: "business", version: 3, current: none },
      { id: "i2", key: "PAY-2", title: "Refunds", type: "business", version: 1, current: none },
    ],
    participants: [
      { id: "pm", name: "Pam" },
      { id: "bo", name: "Bob" },
      { id: "vi", name: "Vic" },
    ],
    scores,
    confirmations: [],
  } satisfies EstimationSessionRows;
}

const score = (personId: string, itemId: string, input: WsjfInput, value: number, round = 1) => ({
  personId,
  itemId,
  input,
  value,
  round,
});

describe("the median proposal", () => {
  it("takes the middle score of an odd count and snaps the mean of the two middles of an even count, ties up", () => {
    expect(medianProposal([])).toBeNull();
    expect(medianProposal([8])).toBe(8);
    expect(medianProposal([13, 2, 3])).toBe(3);
    expect(medianProposal([3, 5])).toBe(5); // 4 lies between 3 and 5: the higher wins
    expect(medianProposal([1, 2])).toBe(2); // 1.5 → tie → 2
    expect(medianProposal([5, 13])).toBe(8); // 9 is nearer 8 than 13
    expect(medianProposal([1, 20])).toBe(13); // 10.5 → tie between 8 and 13 → 13
    expect(medianProposal([2, 3, 8, 20])).toBe(5); // 5.5 → 5
  });

  it("is always a scale value between the lowest and the highest score", () => {
    fc.assert(
      fc.property(fc.array(scale, { minLength: 1, maxLength: 30 }), (values) => {
        const p = medianProposal(values) as number;
        expect(WSJF_SCALE).toContain(p);
        expect(p).toBeGreaterThanOrEqual(Math.min(...values));
        expect(p).toBeLessThanOrEqual(Math.max(...values));
      }),
    );
  });

  it("does not depend on the order of the scores", () => {
    fc.assert(
      fc.property(fc.array(scale, { minLength: 1, maxLength: 20 }), (values) => {
        expect(medianProposal([...values].reverse())).toBe(medianProposal(values));
      }),
    );
  });
});

describe("the spread", () => {
  it("counts the scale steps between the lowest and highest score", () => {
    expect(spread([])).toBeNull();
    expect(spread([5, 5])).toEqual({ min: 5, max: 5, steps: 0 });
    expect(spread([2, 8, 3])).toEqual({ min: 2, max: 8, steps: 3 });
    expect(spread([1, 20])).toEqual({ min: 1, max: 20, steps: 6 });
  });

  it("flags a wide disagreement from three steps on (2 vs 8, 3 vs 13) but not two (3 vs 8)", () => {
    expect(WIDE_DISAGREEMENT_STEPS).toBe(3);
    expect(isWideDisagreement([2, 8])).toBe(true);
    expect(isWideDisagreement([3, 13])).toBe(true);
    expect(isWideDisagreement([3, 8])).toBe(false);
    expect(isWideDisagreement([])).toBe(false);
  });
});

describe("the session states", () => {
  it("goes scoring → revealed → scoring on revote, and to closed from either", () => {
    expect(nextEstimationState("scoring", "reveal")).toBe("revealed");
    expect(nextEstimationState("revealed", "revote")).toBe("scoring");
    expect(nextEstimationState("revealed", "close")).toBe("closed");
    expect(nextEstimationState("scoring", "close")).toBe("closed");
    expect(nextEstimationState("revealed", "confirm")).toBe("revealed");
  });

  it("refuses an action in the wrong state with a conflict naming the state", () => {
    const wrong: [EstimationState, Parameters<typeof assertEstimationState>[1]][] = [
      ["revealed", "score"],
      ["scoring", "confirm"],
      ["scoring", "revote"],
      ["revealed", "reveal"],
      ["closed", "close"],
      ["closed", "score"],
      ["closed", "invite"],
    ];
    for (const [state, action] of wrong) {
      try {
        assertEstimationState(state, action);
        expect.unreachable(`${action} in ${state}`);
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).code).toBe("conflict");
        expect((e as AppError).message).toContain(state);
      }
    }
  });
});

describe("the session view", () => {
  const scores = [
    score("pm", "i1", "businessValue", 3),
    score("bo", "i1", "businessValue", 13),
    score("vi", "i1", "businessValue", 5),
    score("bo", "i1", "jobSize", 2),
    score("bo", "i2", "businessValue", 8, 0), // an earlier round, no longer counted
  ];

  it("shows a participant only their own scores and the vote counts before reveal", () => {
    const view = sessionView(rows("scoring", scores), { personId: "pm" });
    const cell = view.items[0]?.cells.businessValue;
    expect(cell).toMatchObject({ yours: 3, votes: 3, scores: null, spread: null, proposal: null });
    expect(view.items[0]?.cells.jobSize).toMatchObject({ yours: null, votes: 1, scores: null });
    expect(view.items[1]?.cells.businessValue?.votes).toBe(0);
    expect(view.you).toEqual({ personId: "pm", facilitator: true, participant: true });
    expect(view.participants.find((p) => p.id === "bo")).toMatchObject({ scored: 2, done: false });
  });

  it("shows every score with names, the spread and the proposal to members after reveal", () => {
    const view = sessionView(rows("revealed", scores), { personId: "vi" });
    const cell = view.items[0]?.cells.businessValue;
    expect(cell?.scores).toEqual([
      { id: "bo", name: "Bob", value: 13 },
      { id: "pm", name: "Pam", value: 3 },
      { id: "vi", name: "Vic", value: 5 },
    ]);
    expect(cell).toMatchObject({
      yours: 5,
      spread: { min: 3, max: 13, steps: 3 },
      wideDisagreement: true,
      proposal: 5,
    });
  });

  it("keeps scores hidden from a non-member even after reveal", () => {
    const view = sessionView(rows("revealed", scores), { personId: "admin" });
    const cell = view.items[0]?.cells.businessValue;
    expect(cell).toMatchObject({ yours: null, votes: 3, scores: null, spread: null, proposal: null });
    expect(view.you).toEqual({ personId: "admin", facilitator: false, participant: false });
  });

  it("keeps the scores of a session closed before any reveal hidden", () => {
    const view = sessionView(rows("closed", scores), { personId: "pm" });
    expect(view.items[0]?.cells.businessValue?.scores).toBeNull();
    const after = sessionView(rows("closed", scores, "2026-11-28T10:30:00.000Z"), { personId: "pm" });
    expect(after.items[0]?.cells.businessValue?.scores).toHaveLength(3);
  });

  it("never shows anybody another person's value before reveal, nor ever to a non-member", () => {
    const people = ["pm", "bo", "vi"];
    const anyScore = fc.record({
      personId: fc.constantFrom(...people),
      itemId: fc.constantFrom("i1", "i2"),
      input: fc.constantFrom<WsjfInput>("businessValue", "jobSize"),
      value: scale,
      round: fc.constant(1),
    });
    const unique = fc.uniqueArray(anyScore, {
      selector: (s) => `${s.personId}/${s.itemId}/${s.input}`,
      maxLength: 12,
    });
    const viewerAndState = fc.oneof(
      fc.record({ viewer: fc.constantFrom(...people), state: fc.constant<EstimationState>("scoring") }),
      fc.record({
        viewer: fc.constantFrom("admin", "outsider"),
        state: fc.constantFrom<EstimationState>("scoring", "revealed", "closed"),
      }),
    );
    fc.assert(
      fc.property(unique, viewerAndState, (list, { viewer, state }) => {
        const view = sessionView(rows(state, list, "2026-11-28T10:30:00.000Z"), { personId: viewer });
        // Mark every other person's value so it is recognisable, then look for it anywhere in the view.
        const marked = sessionView(
          rows(
            state,
            list.map((s) => (s.personId === viewer ? s : { ...s, value: 1000 + s.value })),
            "2026-11-28T10:30:00.000Z",
          ),
          { personId: viewer },
        );
        expect(JSON.stringify(marked)).not.toMatch(/10(01|02|03|05|08|13|20)/);
        for (const item of view.items) {
          for (const input of WSJF_INPUTS) {
            const cell = item.cells[input];
            if (!cell) continue;
            expect(cell.scores).toBeNull();
            const own = list.find((s) => s.personId === viewer && s.itemId === item.id && s.input === input);
            expect(cell.yours).toBe(own?.value ?? null);
          }
        }
      }),
    );
  });
});
