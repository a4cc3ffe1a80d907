import { describe, expect, it } from "vitest";
import { planMove, reorder } from "./reorder";

describe("planning a move in a visible list", () => {
  const keys = ["A", "B", "C", "D"];

  it("moving down one step places the row after its next neighbour", () => {
    expect(planMove(keys, "B", { by: 1 })).toEqual({ from: 1, to: 2, placement: { after: "C" } });
  });

  it("moving up one step places the row before its previous neighbour", () => {
    expect(planMove(keys, "C", { by: -1 })).toEqual({ from: 2, to: 1, placement: { before: "B" } });
  });

  it("dropping a row on another takes that row's place on the side it came from", () => {
    expect(planMove(keys, "A", { over: "C" })).toEqual({ from: 0, to: 2, placement: { after: "C" } });
    expect(planMove(keys, "D", { over: "B" })).toEqual({ from: 3, to: 1, placement: { before: "B" } });
  });

  it("top and bottom go to the ends of the whole backlog", () => {
    expect(planMove(keys, "C", { position: "top" })).toEqual({ from: 2, to: 0, placement: { position: "top" } });
    expect(planMove(keys, "A", { position: "bottom" })).toEqual({ from: 0, to: 3, placement: { position: "bottom" } });
  });

  it("a move past either end or onto itself does nothing", () => {
    expect(planMove(keys, "A", { by: -1 })).toBeNull();
    expect(planMove(keys, "D", { by: 1 })).toBeNull();
    expect(planMove(keys, "B", { over: "B" })).toBeNull();
    expect(planMove(keys, "A", { position: "top" })).toBeNull();
    expect(planMove(keys, "X", { by: 1 })).toBeNull();
  });

  it("reorder moves one element and keeps the rest in order", () => {
    expect(reorder(keys, 0, 2)).toEqual(["B", "C", "A", "D"]);
    expect(reorder(keys, 3, 0)).toEqual(["D", "A", "B", "C"]);
  });
});
