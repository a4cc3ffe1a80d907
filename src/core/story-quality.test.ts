// The story quality rules on real sentences: the user stories AQUSA was demonstrated on (../shared/data/user-stories,
// g09/g14 line numbers in the names) and Jira titles and descriptions of the story-point data set (issue keys).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Criterion } from "./acceptance-criteria.js";
import {
  checkStories,
  checkStoryText,
  DEFAULT_QUALITY_SETTINGS,
  type Finding,
  type Highlight,
  QUALITY_RULES,
  type QualityRule,
  type QualitySettings,
  qualitySettingsProblems,
  RULE_INFO,
  type StoryForCheck,
  type TeamContext,
} from "./story-quality.js";

const criteria = (...texts: string[]): Criterion[] => texts.map((text) => ({ text, met: false }));
/** A criterion every rule accepts, so tests of other rules are not about testability. */
const TESTABLE = criteria("Given a data package, when I download it, then I get one zip file with every resource");

let nextId = 0;
function story(title: string, over: Partial<StoryForCheck> = {}): StoryForCheck {
  nextId++;
  return {
    id: `s${nextId}`,
    key: `TY-${nextId}`,
    teamId: "team",
    type: "business",
    title,
    description: "",
    acceptanceCriteria: TESTABLE,
    points: 3,
    parentId: "feature",
    iterationOrder: null,
    dependsOn: [],
    ...over,
  };
}

function check(
  title: string,
  over: Partial<StoryForCheck> = {},
  settings: QualitySettings = DEFAULT_QUALITY_SETTINGS,
): Finding[] {
  return checkStoryText(story(title, over), settings);
}

const rulesOf = (findings: Finding[]): QualityRule[] => findings.map((f) => f.rule);
const ofRule = (findings: Finding[], rule: QualityRule): Finding[] => findings.filter((f) => f.rule === rule);

/** The words a highlight points at. */
function highlighted(s: Pick<StoryForCheck, "title" | "description" | "acceptanceCriteria">, h: Highlight): string {
  const text =
    h.field === "title"
      ? s.title
      : h.field === "description"
        ? s.description
        : (s.acceptanceCriteria[h.index ?? -1]?.text ?? "");
  return text.slice(h.start, h.end);
}

const context =
  (settings: Partial<QualitySettings> = {}, averageVelocity: number | null = null) =>
  (): TeamContext => ({
    settings: { ...DEFAULT_QUALITY_SETTINGS, ...settings },
    averageVelocity,
  });

describe("well-formed", () => {
  it.each([
    "As a RuleAuthor, I want to capture a business rule, So that I can describe the desired behavior of DUO in a specific case.", // g09-1
    "As a Data Analyst I want to download a data package, so that I can study it and wrangle with it to infer new data or generate new insights.", // g14-34
    "as a developer I'd like to track build events in IDEA12 external build", // CLOV
    "as an administrator I need to monitor Clover usage on machines", // CLOV
    "As a GH user I would like to be able to view the cumulative flow diagram using story points", // GHS
    "As a user I would like the ability to edit the remaining estimate without using the JIRA Log Work dialog", // GHS
    "As Patrick, I want to choose a colour for a version so I can identify it easier in the backlog", // GHS-7164
    "In order to be better aware of the sprint markers migration, as an administrator I want to see a banner when GH 6.3 is installed", // JSW-9349
  ])("accepts %j", (title) => {
    expect(rulesOf(check(title))).not.toContain("well_formed");
  });

  it("flags a business story written as free text, highlighting the whole title", () => {
    const s = story("Report executor terminations to framework schedulers."); // MESOS-313
    const [f] = ofRule(checkStoryText(s, DEFAULT_QUALITY_SETTINGS), "well_formed");
    expect(f?.severity).toBe("error");
    expect(f?.message).toContain("No role and no goal");
    expect(f?.fix).toContain("As a <role>, I want to report executor terminations to framework schedulers");
    expect(highlighted(s, f?.highlights[0] as Highlight)).toBe("Report executor terminations to framework schedulers.");
  });

  it("flags a role without a goal", () => {
    const findings = check("As a use GH should create OD compliant projects."); // JSW-5843
    expect(ofRule(findings, "well_formed")[0]?.message).toContain("No goal");
  });

  it("flags a goal without a role", () => {
    const findings = check("I want to use Clover with SBT"); // CLOV, role removed
    expect(ofRule(findings, "well_formed")[0]?.message).toContain("No role");
  });

  it("exempts enablers, defects and debt", () => {
    for (const type of ["enabler", "defect", "debt"] as const) {
      expect(rulesOf(check("Report executor terminations to framework schedulers.", { type }))).not.toContain(
        "well_formed",
      );
    }
  });

  it("reads the story from the description's first line when the title is short", () => {
    const findings = check("Changelog", {
      description: "As a release manager, I want a changelog per release, so that I can tell customers what changed.",
    });
    expect(rulesOf(findings)).not.toContain("well_formed");
  });
});

describe("benefit", () => {
  it("warns when there is no “so that” clause, pointing at the goal", () => {
    const s = story("As a RuleAuthor, I want to capture that a rulebase part derivates a term."); // g09-12
    const [f] = ofRule(checkStoryText(s, DEFAULT_QUALITY_SETTINGS), "benefit");
    expect(f?.severity).toBe("warning");
    expect(highlighted(s, f?.highlights[0] as Highlight)).toBe(
      "I want to capture that a rulebase part derivates a term",
    );
  });

  it.each([
    "As a RuleAuthor, I want to define a term, So that everyone involved knows the definition of the term.", // g09-9
    "As Patrick, I want to see the version assigned to an issue in the list view so I can quickly identify which issues belong to which versions", // JSW-7166
    "In order to be better aware of the sprint markers migration, as an administrator I want to see a banner when GH 6.3 is installed", // JSW-9349
  ])("accepts the benefit of %j", (title) => {
    expect(rulesOf(check(title))).not.toContain("benefit");
  });
});

describe("atomic", () => {
  it("flags two verbs sharing an object and proposes the two stories", () => {
    const s = story(
      "As an administrator, I want to backup and restore the rulebase, So that DUO doesn't lose production knowledge.",
    ); // g09-76
    const [f] = ofRule(checkStoryText(s, DEFAULT_QUALITY_SETTINGS), "atomic");
    expect(f?.message).toBe("Two goals joined by “and”: “backup the rulebase” and “restore the rulebase”.");
    expect(f?.fix).toBe(
      "Split into “As an administrator, I want to backup the rulebase, So that DUO doesn't lose production knowledge.” and " +
        "“As an administrator, I want to restore the rulebase, So that DUO doesn't lose production knowledge.”.",
    );
    expect(f?.highlights.map((h) => highlighted(s, h))).toEqual(["and", "restore"]);
  });

  it("flags a second goal with its own object", () => {
    const s = story(
      "As a Publisher, I want to version my Data Package and keep multiple versions around including older versions, so that I do not break consumer systems when I change my datapackage.",
    ); // g14-43
    const [f] = ofRule(checkStoryText(s, DEFAULT_QUALITY_SETTINGS), "atomic");
    expect(f?.fix).toContain("“As a Publisher, I want to version my Data Package, so that I do not break");
    expect(f?.fix).toContain(
      "“As a Publisher, I want to keep multiple versions around including older versions, so that",
    );
  });

  it.each([
    [
      "As a RuleAuthor, I want to export or print a selection of parts from the rulebase, So that the people involved are quickly and properly informed.",
      "or",
    ], // g09-25
    [
      "As a Developer, I want to list all DataPackages requirements for my project in the file and pin the exact versions of any DataPackage that my project depends on, so that the project can be deterministically deployed locally.",
      "and",
    ], // g14-39
    [
      "As a Consumer, I want to browse and find publishers, so that I can find interesting publishers and their packages.",
      "and",
    ], // g14-51
    ["Document and consolidate qdisc handles", "and"], // MESOS-2821
    ["Install/deploy SUI web application at NCSA", "/"], // DM-3470
    ["Ensure Artifacts upgrade task gives decent errors and can be rerun", "and"], // BAM-7660
  ])("flags %j at “%s”", (title, conjunction) => {
    const s = story(title);
    const [f] = ofRule(checkStoryText(s, DEFAULT_QUALITY_SETTINGS), "atomic");
    expect(f && highlighted(s, f.highlights[0] as Highlight)).toBe(conjunction);
  });

  it.each([
    "As a user, I want to accept the terms and conditions, so that I can sign up.",
    "As a RuleAuthor, I want to have the patterns and syntax checked, So that my business rules comply with the standards.", // g09-5
    "As a RuleAuthor, I want to have a precise search and replace, So that I can fix unintentional changes.", // g09-38
    "As a terminator, I want to capture preferred terms and undesired terms.", // g09-41
    "As a RuleAnalyst, I want to relate decisions and business processes, So that I can monitor the coherence with the business architecture.", // g09-56
    "As an owner, I want to invite someone using their email to sign up and become a member of my Publisher, so that they are authorized to publish data packages under my Publisher.", // g14-57
    "As a Consumer, I want to know that the data I am downloading is good and can be relied on, so that I don't have to check it myself or run into annoying bugs later on.", // g14-14
    "As an owner, I want to view all the people in my organization and what roles they have, so that I can change these if I want.", // g14-59
    "As a Consumer, I want to view a Datapackage at a particular version online, so that I can present/discuss the particular data timeslice of interest with other people.", // g14-47: "/" in the benefit
    "As a terminator, I want to have a list per period, So that I can see which term in that period have been changed or added or removed.", // g09-43: "or" in the benefit
    "Drag and drop for moving SubPlan between stages",
    "Remove any redundant or unused datasets", // DM-5322
    "Restricted administrators cannot delete, move or create plans", // BAM-8976: a state, not goals
    "An administrator should be able to enable or disable Agent Authentication", // BAM-10095: one toggle
    "Launching simulator/emulator creates a new Node.js process without killing the previous one", // TISTUD-7780
    "Fix overload problems in SourceCatalog.append and .extend", // DM-1083: code
    "Use CollectionsUtil#newList/Map/Set where possible and/or set initialCapacity", // APSTUD-4455
  ])("does not flag %j", (title) => {
    expect(rulesOf(check(title))).not.toContain("atomic");
  });
});

describe("minimal", () => {
  it("flags a second sentence in the title and highlights it", () => {
    const s = story("Android: libtiverify.so has text relocations. This is wasting memory and is a security risk"); // TIMOB-16385
    const [f] = ofRule(checkStoryText(s, DEFAULT_QUALITY_SETTINGS), "minimal");
    expect(highlighted(s, f?.highlights[0] as Highlight)).toBe("This is wasting memory and is a security risk");
  });

  it("flags brackets and notes, each pointing at its words", () => {
    const s = story("Importing an existing Alloy (non-Studio) project does not add Alloy nature"); // TISTUD-7552
    expect(
      ofRule(checkStoryText(s, DEFAULT_QUALITY_SETTINGS), "minimal").flatMap((f) =>
        f.highlights.map((h) => highlighted(s, h)),
      ),
    ).toEqual(["(non-Studio)"]);
    const n = story("Rename controllers to have pluralized named (e.g. JobsController)"); // XD-488
    const notes = ofRule(checkStoryText(n, DEFAULT_QUALITY_SETTINGS), "minimal").flatMap((f) =>
      f.highlights.map((h) => highlighted(n, h)),
    );
    expect(notes).toEqual(expect.arrayContaining(["(e.g. JobsController)", "e.g."]));
  });

  it.each([
    "Windows: Support animations of height, width and zIndex properties", // TIMOB-18752: a leading label
    "[New Containers] Remove input/process dotted line separation in flows", // STUDIO-5755
    "Typo in mod assign fullname() function", // MDL-44745: code
    "Segfault in inline Try<IP> getIP(const std::string& hostname, int family)", // MESOS-2636
    "Update {{pipe_flow}}", // DM-5360: markup
    "Report executor terminations to framework schedulers.", // MESOS-313
    "Update documentation and automatic install script w.r.t. Qserv 2014_09.0 release", // DM-1258
    "Can no longer use &amp; in app title to create &", // TISTUD-5969
  ])("does not flag %j", (title) => {
    expect(rulesOf(check(title))).not.toContain("minimal");
  });
});

describe("ambiguous", () => {
  it.each([
    [
      "As an administrator, I want to have extensive logging, So that I can easily and quickly reproduce errors.",
      "Vague term",
      "extensive",
    ], // g09-72
    ["Make user friendly alert for cancelling SDK installation process", "Subjective language", "user friendly"], // TISTUD-4886
    ["Remove org.talend.rcp.branding.top plugin if possible", "Loophole", "if possible"], // TDQ-9622
    ["Update Bridge dependencies to rely on latest duracloud,spring, etc.", "Open-ended term", "etc."], // DURACLOUD-1028
    ["Spike: Determine best way to centrally configure the job repository for batch jobs.", "Superlative", "best"], // XD-3300
    ["Update JSCA top-level metadata for better version tracking", "Comparative", "better"], // TISTUD-232
  ])("flags %j as %s, highlighting “%s”", (title, label, words) => {
    const s = story(title);
    const findings = ofRule(checkStoryText(s, DEFAULT_QUALITY_SETTINGS), "ambiguous");
    expect(findings.map((f) => f.message.split(":")[0])).toEqual([label]);
    expect(findings[0]?.highlights.map((h) => highlighted(s, h))).toEqual([words]);
  });

  it("does not read the benefit, which is not tested", () => {
    expect(
      rulesOf(
        check("As a RuleAuthor, I want to make diagrams, So that I can quickly show involved people the connection."),
      ),
    ).not.toContain("ambiguous"); // g09-14
  });

  it.each([
    "Apply multiple quick fixes together from Problems view", // TISTUD-6296: a product term
    "Change AppID validation to only allow upper and lower case letters", // TISTUD-1953
    "TI.NFC is not supported any more", // TIMOB-20142
    "Show at most 5 recent packages and at least one more than 3 results",
  ])("does not flag the set phrase in %j", (title) => {
    expect(rulesOf(check(title, { type: "defect" }))).not.toContain("ambiguous");
  });

  it("checks criteria: smells are errors, a negative or a leading pronoun a warning", () => {
    const s = story(
      "As a Publisher, I want to preview a datapackage I have prepared, so that I can check it works and share the results.",
      {
        acceptanceCriteria: criteria(
          "Replicate experience from TiDev 1, creating a launch configuration as appropriate.", // TISTUD-22
          "It should invoke the login button.", // TISTUD-130
          "Variable names should not be cut off.", // TISTUD-1003
        ),
      },
    );
    const findings = ofRule(checkStoryText(s, DEFAULT_QUALITY_SETTINGS), "ambiguous");
    expect(findings.map((f) => [f.message, f.severity])).toEqual([
      ["Loophole: “as appropriate” (criterion 1).", "error"],
      ["Negative statement: “not” (criterion 3).", "warning"],
      ["Vague pronoun: “It” (criterion 2).", "warning"],
    ]);
    expect(findings.flatMap((f) => f.highlights.map((h) => [h.index, highlighted(s, h)]))).toEqual([
      [0, "as appropriate"],
      [2, "not"],
      [1, "It"],
    ]);
  });
});

describe("testable", () => {
  it("is an error without acceptance criteria", () => {
    expect(
      ofRule(
        check("As a Consumer, I want to search data packages, so that I can find the ones I want.", {
          acceptanceCriteria: [],
        }),
        "testable",
      )[0]?.message,
    ).toBe("No acceptance criteria.");
  });

  it("is an error when every criterion is untestable, and fine when one can be tested", () => {
    const untestable = criteria(
      "Replicate experience from TiDev 1, creating a launch configuration as appropriate.", // TISTUD-22
      "The reader will require the schema to be modified to support event handlers as types, properties, etc.", // TISTUD-71
    );
    const title = "As a Consumer, I want to search data packages, so that I can find the ones I want."; // g14-29
    expect(ofRule(check(title, { acceptanceCriteria: untestable }), "testable")[0]?.message).toBe(
      "None of the 2 acceptance criteria can be tested: “as appropriate” and “etc.”.",
    );
    expect(rulesOf(check(title, { acceptanceCriteria: [...untestable, ...TESTABLE] }))).not.toContain("testable");
    expect(
      rulesOf(check(title, { acceptanceCriteria: criteria("Variable names should not be cut off.") })),
    ).not.toContain("testable");
  });
});

describe("estimable", () => {
  it("is an error without an estimate", () => {
    expect(
      ofRule(
        check("As a Consumer, I want to search data packages, so that I can find the ones I want.", { points: null }),
        "estimable",
      )[0]?.message,
    ).toBe("No estimate.");
  });

  it("points at open questions in the title, the description and the criteria", () => {
    const s = story("Option to link an existing Xcode project?", {
      type: "enabler",
      description: "Update Mesos containerizer to understand revocable cpu resources. Details TBD.",
      acceptanceCriteria: criteria("Unclear whether the agent must restart"),
    }); // TISTUD-7920, MESOS-2652
    const [f] = ofRule(checkStoryText(s, DEFAULT_QUALITY_SETTINGS), "estimable");
    expect(f?.highlights.map((h) => [h.field, highlighted(s, h)])).toEqual([
      ["title", "?"],
      ["description", "TBD"],
      ["acceptanceCriteria", "Unclear"],
    ]);
  });
});

describe("small", () => {
  it("flags points above the team's limit or above its share of the average velocity", () => {
    const s = story("As a Consumer, I want to search data packages, so that I can find the ones I want.", {
      points: 13,
    });
    expect(ofRule(checkStories([s], [], context()).get(s.id) ?? [], "small")[0]?.message).toBe(
      "13 points is above the team's limit of 8.",
    );
    const byVelocity = checkStories([{ ...s, points: 8 }], [], context({}, 12)).get(s.id) ?? [];
    expect(ofRule(byVelocity, "small")[0]?.message).toBe("8 points is above 50% of the average velocity (6 of 12).");
    expect(rulesOf(checkStories([s], [], context({ smallMaxPoints: 20 })).get(s.id) ?? [])).not.toContain("small");
  });
});

describe("independent", () => {
  it("flags a dependency planned for the same or a later iteration, or not planned, unless it is finished", () => {
    const dependsOn = [
      { key: "TY-90", iterationOrder: 2, finished: false },
      { key: "TY-91", iterationOrder: 3, finished: false },
      { key: "TY-92", iterationOrder: null, finished: false },
      { key: "TY-93", iterationOrder: 1, finished: false },
      { key: "TY-94", iterationOrder: 3, finished: true },
    ];
    const s = story("As a Consumer, I want to search data packages, so that I can find the ones I want.", {
      iterationOrder: 2,
      dependsOn,
    });
    const [f] = ofRule(checkStories([s], [], context()).get(s.id) ?? [], "independent");
    expect(f?.relatedKeys).toEqual(["TY-90", "TY-91", "TY-92"]);
    expect(f?.message).toBe(
      "Depends on TY-90 (same iteration), TY-91 (a later iteration), TY-92 (not planned), not finished before this story's iteration.",
    );
    const unplanned = { ...s, iterationOrder: null };
    expect(rulesOf(checkStories([unplanned], [], context()).get(s.id) ?? [])).not.toContain("independent");
  });
});

describe("valuable", () => {
  it("warns when a story has neither a benefit nor a parent feature", () => {
    const title = "As a RuleAuthor, I want to capture that a rulebase part derivates a term."; // g09-12
    const orphan = story(title, { parentId: null });
    expect(rulesOf(checkStories([orphan], [], context()).get(orphan.id) ?? [])).toContain("valuable");
    const linked = story(title);
    expect(rulesOf(checkStories([linked], [], context()).get(linked.id) ?? [])).not.toContain("valuable");
    const withBenefit = story(
      "As a RuleAuthor, I want to define a term, So that everyone involved knows the definition of the term.",
      { parentId: null },
    );
    expect(rulesOf(checkStories([withBenefit], [], context()).get(withBenefit.id) ?? [])).not.toContain("valuable");
  });
});

describe("unique", () => {
  it("finds near-duplicates with different wording, names them, and never the story itself", () => {
    const published = story(
      "As a Publisher, I want to publish a data package in the UI, so that it is available and published.",
    ); // g14-17
    const created = story(
      "As a Publisher, I want to create a data package in the UI so that it is available and published.",
    ); // g14-18
    const restored = story(
      "As a Publisher, I want to be able to restore the deleted data package via cli, so that it is back visible and available to view, download.",
    ); // g14-19
    const undeleted = story(
      "As a Publisher, I want to undelete the deleted data packages, so that the deleted data packages is now visible again.",
    ); // g14-20
    const other = story("As a Consumer, I want to search data packages, so that I can find the ones I want."); // g14-29
    const all = [published, created, restored, undeleted, other];
    const result = checkStories(all, all, context());
    expect(ofRule(result.get(published.id) ?? [], "unique")[0]?.relatedKeys).toEqual([created.key]);
    expect(ofRule(result.get(created.id) ?? [], "unique")[0]?.message).toBe(
      `Nearly the same as ${published.key} “As a Publisher, I want to publish a data package in the UI,…” (83% alike).`,
    );
    expect(ofRule(result.get(undeleted.id) ?? [], "unique")[0]?.relatedKeys).toEqual([restored.key]);
    expect(rulesOf(result.get(other.id) ?? [])).not.toContain("unique");
  });

  it("does not take a series for duplicates", () => {
    const a = story("Create version 5.5.1 in Babili and populate it", { type: "enabler" }); // TDQ
    const b = story("Create version 5.5.2 in Babili and populate it", { type: "enabler" });
    const c = story("Refactor the modules table section of tiapp.xml to have Android plugin contribute its column", {
      type: "enabler",
    }); // TISTUD-4155
    const d = story("Refactor the modules table section of tiapp.xml to have mobileweb plugin contribute its column", {
      type: "enabler",
    }); // TISTUD-3067
    const result = checkStories([a, b, c, d], [a, b, c, d], context());
    expect([...result.values()].flat().filter((f) => f.rule === "unique")).toEqual([]);
  });

  it("uses the team's similarity threshold", () => {
    const a = story(
      "As a Publisher, I want to publish a data package in the UI, so that it is available and published.",
    );
    const b = story("As a Publisher, I want to create a data package in the UI so that it is available and published.");
    expect(rulesOf(checkStories([a], [a, b], context({ duplicateSimilarity: 0.9 })).get(a.id) ?? [])).not.toContain(
      "unique",
    );
    expect(rulesOf(checkStories([a], [a, b], context({ duplicateSimilarity: 0.8 })).get(a.id) ?? [])).toContain(
      "unique",
    );
  });
});

describe("uniform", () => {
  const g09 = [
    "As a RuleAuthor, I want to capture a business rule, So that I can describe the desired behavior of DUO in a specific case.",
    "As a RuleAuthor, I want to refer from within a business rule to another business rule, So that there is an overview of the logic of the business rules.",
    "As a RuleAuthor, I want to capture the sources from a business rule, So that it becomes clear where the business rule is based upon.",
    "As a RuleAuthor, I want to capture the validity period of the business rule, So that DUO uses up-to-date business rules.",
    "As a RuleAuthor, I want to have the semantics to be checked, So that I don't look like a fool.",
  ];
  const outlier = "As a RuleAuthor, I want to capture that a rulebase part derivates a term."; // g09-12

  it("flags a story outside the team's dominant template", () => {
    const stories = [...g09, outlier].map((t) => story(t, { teamId: "rules" }));
    const result = checkStories(stories, stories, context());
    const flagged = stories.filter((s) => rulesOf(result.get(s.id) ?? []).includes("uniform"));
    expect(flagged.map((s) => s.title)).toEqual([outlier]);
    expect(ofRule(result.get(flagged[0]?.id as string) ?? [], "uniform")[0]?.message).toBe(
      "Written as “As a …, I want …”; most of the team's stories use “As a …, I want …, so that …”.",
    );
  });

  it("says nothing for a team of fewer than 5 stories or without a template used by 60%", () => {
    const few = [...g09.slice(0, 3), outlier].map((t) => story(t, { teamId: "few" }));
    const mixed = [...g09.slice(0, 3), outlier, outlier, "Report executor terminations to framework schedulers."].map(
      (t) => story(t, { teamId: "mixed" }),
    );
    for (const team of [few, mixed]) {
      const result = checkStories(team, team, context());
      expect([...result.values()].flat().filter((f) => f.rule === "uniform")).toEqual([]);
    }
  });
});

describe("settings", () => {
  it("switches rules off", () => {
    const title = "As an administrator, I want to backup and restore the rulebase"; // g09-76 without its benefit
    expect(rulesOf(check(title, { acceptanceCriteria: [], points: null }))).toEqual([
      "benefit",
      "atomic",
      "estimable",
      "testable",
    ]);
    const settings = { ...DEFAULT_QUALITY_SETTINGS, disabled: ["atomic", "testable"] as QualityRule[] };
    expect(rulesOf(check(title, { acceptanceCriteria: [], points: null }, settings))).toEqual(["benefit", "estimable"]);
  });

  it("takes every finding's severity and why from RULE_INFO, apart from the weaker smells", () => {
    const findings = check("As an administrator, I want to backup and restore the rulebase", {
      acceptanceCriteria: [],
      points: null,
    });
    for (const f of findings) expect([f.severity, f.why]).toEqual([RULE_INFO[f.rule].severity, RULE_INFO[f.rule].why]);
  });

  it("reports what is wrong with team settings", () => {
    expect(qualitySettingsProblems(DEFAULT_QUALITY_SETTINGS)).toEqual([]);
    expect(qualitySettingsProblems({ disabled: ["atomic"] })).toEqual([]);
    expect(
      qualitySettingsProblems({
        disabled: ["atomic", "invest", "atomic"],
        smallMaxPoints: 0,
        velocityShare: 2,
        duplicateSimilarity: "high",
        colour: 1,
      }),
    ).toEqual([
      { path: "colour", message: "Unknown setting 'colour'." },
      { path: "disabled.1", message: `Unknown rule 'invest'; rules are ${QUALITY_RULES.join(", ")}.` },
      { path: "disabled.2", message: "'atomic' is listed twice." },
      { path: "smallMaxPoints", message: "Must be a number from 1 to 100." },
      { path: "velocityShare", message: "Must be a number from 0.05 to 1." },
      { path: "duplicateSimilarity", message: "Must be a number from 0.5 to 1." },
    ]);
    expect(qualitySettingsProblems(null)).toEqual([{ path: "", message: "Settings must be an object." }]);
  });
});

describe("invariants", () => {
  const fragments = [
    "As a Publisher,",
    "as an owner",
    "I want to",
    "I'd like",
    "backup and restore",
    "the rulebase",
    "terms and conditions",
    "(non-Studio)",
    "e.g.",
    "so that",
    "it",
    "etc.",
    "user-friendly",
    "TBD?",
    "more than 5",
    "Windows:",
    "/",
    "and",
    ". This",
    "…",
  ];
  const text = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.array(fc.constantFrom(...fragments), { maxLength: 12 }).map((w) => w.join(" ")),
  );
  const storyArb = fc.record({
    title: text,
    description: text,
    acceptanceCriteria: fc.array(
      text.map((t) => ({ text: t, met: false })),
      { maxLength: 3 },
    ),
    type: fc.constantFrom("business", "enabler", "defect", "debt"),
    points: fc.option(fc.integer({ min: 0, max: 40 })),
  });

  it("puts every highlight inside the text it points at", () => {
    fc.assert(
      fc.property(storyArb, (s) => {
        for (const f of checkStoryText(s, DEFAULT_QUALITY_SETTINGS)) {
          for (const h of f.highlights) {
            const field =
              h.field === "title"
                ? s.title
                : h.field === "description"
                  ? s.description
                  : s.acceptanceCriteria[h.index ?? -1]?.text;
            expect(field).toBeDefined();
            expect(0 <= h.start && h.start < h.end && h.end <= (field as string).length).toBe(true);
          }
        }
      }),
    );
  });

  it("never reports a disabled rule", () => {
    fc.assert(
      fc.property(storyArb, fc.subarray([...QUALITY_RULES]), (s, disabled) => {
        const settings = { ...DEFAULT_QUALITY_SETTINGS, disabled };
        const stories = [story(s.title, s), story(s.title, s)];
        const found = [...checkStories(stories, stories, context(settings)).values()].flat();
        expect(found.filter((f) => disabled.includes(f.rule))).toEqual([]);
      }),
    );
  });

  it("never names a story as its own duplicate", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...fragments.slice(0, 8)), { minLength: 3, maxLength: 8 }),
        fc.integer({ min: 1, max: 4 }),
        (words, copies) => {
          const stories = Array.from({ length: copies }, () => story(words.join(" ")));
          const result = checkStories(stories, [...stories, ...stories], context());
          for (const s of stories) {
            for (const f of ofRule(result.get(s.id) ?? [], "unique")) {
              expect(f.relatedKeys).not.toContain(s.key);
              expect(f.relatedKeys).toHaveLength(copies - 1);
            }
          }
        },
      ),
    );
  });
});
