// The estimation grid's reading and sorting rules.
import { describe, expect, it } from "vitest";
import type { WsjfRow } from "./types";
import { agreementText, driftText, missingText, placesText, readScaleDigits, sortRows, stepScale } from "./wsjf-grid";

function row(key: string, position: number, wsjf: number | null, jobSize: number | null = null): WsjfRow {
  return {
    id: key,
    key,
    title: key,
    type: "business",
    state: "funnel",
    version: 1,
    position,
    inputs: { businessValue: null, timeCriticality: null, riskReduction: null, jobSize },
    costOfDelay: null,
    wsjf,
    missing: [],
    placesFromWsjf: null,
  };
}

describe("sorting the estimation grid", () => {
  const rows = [row("A", 1, 2), row("B", 2, null), row("C", 3, 5), row("D", 4, 2), row("E", 5, null)];

  it("sorts by WSJF highest first with equal values in rank order and unscored items last", () => {
    expect(sortRows(rows, { column: "wsjf", descending: true }).map((r) => r.key)).toEqual(["C", "A", "D", "B", "E"]);
  });

  it("keeps unscored items last when the sort is reversed", () => {
    expect(sortRows(rows, { column: "wsjf", descending: false }).map((r) => r.key)).toEqual(["A", "D", "C", "B", "E"]);
  });

  it("sorts by an input column with missing estimates last, and by rank back to the backlog's order", () => {
    const sized = [row("A", 1, null, 8), row("B", 2, null, null), row("C", 3, null, 1)];
    expect(sortRows(sized, { column: "jobSize", descending: false }).map((r) => r.key)).toEqual(["C", "A", "B"]);
    expect(sortRows(sized, { column: "position", descending: false }).map((r) => r.key)).toEqual(["A", "B", "C"]);
  });
});

describe("typing a value into a scale cell", () => {
  it("reads one digit as its value and two digits as 13 or 20", () => {
    expect(readScaleDigits("", "8")).toEqual({ buffer: "8", value: 8 });
    expect(readScaleDigits("", "1")).toEqual({ buffer: "1", value: 1 });
    expect(readScaleDigits("1", "3")).toEqual({ buffer: "13", value: 13 });
    expect(readScaleDigits("2", "0")).toEqual({ buffer: "20", value: 20 });
  });

  it("starts over on a digit that continues no value, and ignores digits off the scale", () => {
    expect(readScaleDigits("13", "5")).toEqual({ buffer: "5", value: 5 });
    expect(readScaleDigits("", "4")).toEqual({ buffer: "", value: null });
    expect(readScaleDigits("8", "0")).toEqual({ buffer: "", value: null });
  });

  it("steps along the scale and stops at its ends", () => {
    expect(stepScale(null, true)).toBe(1);
    expect(stepScale(null, false)).toBe(20);
    expect(stepScale(5, true)).toBe(8);
    expect(stepScale(5, false)).toBe(3);
    expect(stepScale(20, true)).toBe(20);
    expect(stepScale(1, false)).toBe(1);
  });
});

describe("the grid's words", () => {
  it("says how rank and WSJF agree, or that there is too little to compare", () => {
    expect(agreementText(0.62)).toBe("Rank and WSJF agree 0.62");
    expect(agreementText(-0.8)).toBe("Rank and WSJF disagree -0.80");
    expect(agreementText(null)).toBe("Score two or more items to compare rank with WSJF");
  });

  it("says where an item is ranked against its WSJF and what keeps WSJF empty", () => {
    expect(placesText(3)).toBe("3 places above its WSJF");
    expect(placesText(-1)).toBe("1 place below its WSJF");
    expect(placesText(0)).toBe("At its WSJF place");
    expect(placesText(null)).toBe("—");
    expect(missingText(["jobSize"])).toBe("missing: job size");
    expect(missingText(["businessValue", "jobSize"])).toBe("missing: user-business value, job size");
  });

  it("says how far a team backlog drifted from program order, in whole percent", () => {
    expect(driftText(0)).toBe("In program order");
    expect(driftText(0.123)).toBe("12% out of program order");
    expect(driftText(0.001)).toBe("1% out of program order");
  });
});
