// Reading role, goal and benefit out of real story text (user-stories/*.txt and story-points/*.csv titles).
import { describe, expect, it } from "vitest";
import { contentTerms, readLine, readStatement, type Span, sentenceBreaks, stem } from "./quality-text.js";

const slice = (text: string, span: Span | null): string | null => (span ? text.slice(span.start, span.end) : null);

function parts(text: string) {
  const s = readLine(text);
  return {
    template: s.template,
    role: slice(text, s.role),
    means: slice(text, s.means),
    goal: slice(text, s.goal),
    ends: slice(text, s.ends),
    benefit: slice(text, s.benefit),
  };
}

describe("reading a story's parts", () => {
  it("finds role, goal and benefit in the full template", () => {
    expect(
      parts(
        "As a RuleAuthor, I want to capture a business rule, So that I can describe the desired behavior of DUO in a specific case.",
      ),
    ).toEqual({
      template: "as_want_so",
      role: "RuleAuthor",
      means: "I want to",
      goal: "capture a business rule",
      ends: "So that",
      benefit: "I can describe the desired behavior of DUO in a specific case",
    });
  });

  it("needs no commas", () => {
    const s = parts(
      "As a Data Analyst I want to download a data package, so that I can study it and wrangle with it to infer new data or generate new insights.",
    );
    expect([s.role, s.goal]).toEqual(["Data Analyst", "download a data package"]);
  });

  it.each([
    [
      "as a developer I'd like to track build events in IDEA12 external build",
      "I'd like to",
      "track build events in IDEA12 external build",
    ],
    ["as an administrator I need to monitor Clover usage on machines", "I need to", "monitor Clover usage on machines"],
    [
      "As a GH user I would like to be able to view the cumulative flow diagram using story points",
      "I would like to be able to",
      "view the cumulative flow diagram using story points",
    ],
    [
      "As a user I would like the ability to edit the remaining estimate without using the JIRA Log Work dialog",
      "I would like",
      "the ability to edit the remaining estimate without using the JIRA Log Work dialog",
    ],
    [
      "As Patrick, I want to choose a colour for a version so I can identify it easier in the backlog",
      "I want to",
      "choose a colour for a version",
    ],
  ])("recognises the goal indicator of %j", (title, means, goal) => {
    const s = parts(title);
    expect([s.means, s.goal]).toEqual([means, goal]);
  });

  it("reads the benefit-first form", () => {
    const s = parts(
      "In order to be better aware of the sprint markers migration, as an administrator I want to see a banner when GH 6.3 is installed",
    );
    expect(s).toMatchObject({
      template: "as_want_so",
      role: "administrator",
      goal: "see a banner when GH 6.3 is installed",
      benefit: "be better aware of the sprint markers migration",
    });
  });

  it("reads a title without the template as free text whose goal is its first sentence", () => {
    const s = parts("Android: libtiverify.so has text relocations. This is wasting memory and is a security risk");
    expect(s).toMatchObject({
      template: "other",
      role: null,
      means: null,
      goal: "Android: libtiverify.so has text relocations",
    });
  });

  it("takes the statement from the description's first line when only that one is a story", () => {
    const s = readStatement(
      "Changelog",
      "As a release manager, I want a changelog, so that I can tell customers what changed.\nDetails follow.",
    );
    expect(s.field).toBe("description");
    expect(slice(s.text, s.goal)).toBe("a changelog");
  });
});

describe("sentences and words", () => {
  it("splits sentences at a full stop before a capital, not at abbreviations, versions or file names", () => {
    const title =
      "Develop expanded Information Security Program, using existing documents (e.g. LSE-99) as starting point. Then review.";
    expect(sentenceBreaks(title)).toEqual([title.indexOf(". Then")]);
    expect(sentenceBreaks("Update documentation and automatic install script w.r.t. Qserv 2014_09.0 release")).toEqual(
      [],
    );
    expect(sentenceBreaks("Add... Modal Error Modal does not announce modal opened")).toEqual([]);
  });

  it("stems and drops function words so rewordings compare equal", () => {
    expect(stem("packages")).toBe(stem("package"));
    expect(stem("deleted")).toBe(stem("delete"));
    expect(contentTerms("I want to undelete the deleted data packages")).toEqual(
      contentTerms("restore deleted data package"),
    );
  });
});
