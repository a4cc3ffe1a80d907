// Acceptance criteria: reading stored criteria of both shapes, and Given/When/Then parsed into its parts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatGherkin, parseGherkin, toCriteria } from "./acceptance-criteria.js";

describe("parseGherkin", () => {
  it("splits a one-line Given/When/Then into context, event and outcome", () => {
    expect(parseGherkin("Given a cart with two items, when I pay by card, then I get a receipt by email.")).toEqual({
      context: "a cart with two items",
      event: "I pay by card",
      outcome: "I get a receipt by email",
    });
  });

  it("reads the steps on separate lines, in any case, with And clauses kept in their step", () => {
    expect(
      parseGherkin("GIVEN a published dataset\nAnd a visitor\nWHEN they open its page\nTHEN they see the licence"),
    ).toEqual({
      context: "a published dataset And a visitor",
      event: "they open its page",
      outcome: "they see the licence",
    });
  });

  it("leaves plain criteria, and ones missing a step or in the wrong order, as plain text", () => {
    expect(parseGherkin("The export contains every column of the grid")).toBeNull();
    expect(parseGherkin("Given a user, then they see the page")).toBeNull();
    expect(parseGherkin("When I log in, given a user, then I see my dashboard")).toBeNull();
    expect(parseGherkin("Forgiven debts are shown when the period closes, then archived")).toBeNull();
    expect(parseGherkin("Given , when , then ")).toBeNull();
  });

  it("round-trips what formatGherkin writes", () => {
    const part = fc.stringMatching(/^[a-z][a-z ]{0,20}[a-z]$/).filter((s) => !/\b(given|when|then)\b/.test(s));
    fc.assert(
      fc.property(part, part, part, (context, event, outcome) => {
        const parts = { context, event, outcome };
        expect(parseGherkin(formatGherkin(parts))).toEqual(parts);
      }),
    );
  });
});

describe("toCriteria", () => {
  it("reads criteria stored as plain strings (before the met check) and as objects", () => {
    expect(toCriteria(["Shows the total", { text: "Sends a receipt", met: true }])).toEqual([
      { text: "Shows the total", met: false },
      { text: "Sends a receipt", met: true },
    ]);
  });
});
