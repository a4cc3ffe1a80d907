// A Given/When/Then criterion is shown in its parts while it is typed, naming the parts not written yet.
import { describe, expect, it } from "vitest";
import { parseGherkin } from "../../core/acceptance-criteria";
import { gherkinSoFar } from "./criteria-editor";

describe("gherkinSoFar", () => {
  it("reads nothing from a criterion that does not start with Given", () => {
    expect(gherkinSoFar("The report lists every class")).toBeNull();
    expect(gherkinSoFar("Export, given a report")).toBeNull();
  });

  it("has only the context while the When is not typed yet", () => {
    expect(gherkinSoFar("Given a finished report")).toEqual({
      context: "a finished report",
      event: null,
      outcome: null,
    });
  });

  it("has the context and the event while the Then is not typed yet", () => {
    expect(gherkinSoFar("Given a finished report, when I choose Export,")).toEqual({
      context: "a finished report",
      event: "I choose Export",
      outcome: null,
    });
  });

  it("reads a Then typed on a new line", () => {
    expect(gherkinSoFar("Given a report\nwhen I export it\nthen a PDF downloads")?.outcome).toBe("a PDF downloads");
  });

  it("reads a finished criterion exactly as the server does", () => {
    const text = "Given a cart with two items, when I pay, then I get a receipt.";
    expect(gherkinSoFar(text)).toEqual(parseGherkin(text));
  });
});
