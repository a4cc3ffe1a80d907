// The Definition of Ready: team settings and their problems, manual item ids, average velocity, and a story's readiness.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  averageVelocity,
  DEFAULT_REFINEMENT_SETTINGS,
  manualItemId,
  READY_CONDITIONS,
  type ReadinessFacts,
  type RefinementSettings,
  readiness,
  refinementSettingsOf,
  refinementSettingsProblems,
  type StoryForReadiness,
} from "./readiness.js";
import type { Finding, QualityRule } from "./story-quality.js";

const settings = (change: (s: RefinementSettings) => void = () => {}): RefinementSettings => {
  const s = structuredClone(DEFAULT_REFINEMENT_SETTINGS);
  change(s);
  return s;
};

const finding = (rule: QualityRule, severity: "error" | "warning", message = `${rule} finding`): Finding => ({
  rule,
  severity,
  message,
  why: "",
  fix: "",
  highlights: [],
  relatedKeys: [],
});

/** A story that meets every built-in condition. */
const ready: StoryForReadiness = {
  acceptanceCriteria: [{ text: "Given a cart, when I pay by card, then I get a receipt", met: false }],
  points: 3,
  parentId: "feature-1",
  readyChecks: [],
};
const noFacts: ReadinessFacts = { findings: [], dependsOn: [] };
const checkOf = (r: ReturnType<typeof readiness>, id: string) => r.checks.find((c) => c.id === id);

describe("team refinement settings", () => {
  it("default to every built-in condition, no manual items, a warning, no set capacity and 60 days", () => {
    expect(DEFAULT_REFINEMENT_SETTINGS.definitionOfReady).toEqual({ conditions: [...READY_CONDITIONS], manual: [] });
    expect(DEFAULT_REFINEMENT_SETTINGS.readyPolicy).toBe("warn");
    expect(DEFAULT_REFINEMENT_SETTINGS.capacityPerIteration).toBeNull();
    expect(DEFAULT_REFINEMENT_SETTINGS.staleAfterDays).toBe(60);
    expect(refinementSettingsProblems(DEFAULT_REFINEMENT_SETTINGS)).toEqual([]);
  });

  it("name every field that is wrong by its path under settings", () => {
    const bad = settings((s) => {
      s.quality.smallMaxPoints = 0;
      s.definitionOfReady.conditions = ["estimated", "sunny" as never, "estimated"];
      s.definitionOfReady.manual = [
        { id: "ux", label: "UX reviewed" },
        { id: "ux", label: "ux reviewed" },
        { id: "Bad Id", label: " " },
        { id: "criteria", label: "Criteria read aloud" },
      ];
      s.readyPolicy = "maybe" as never;
      s.capacityPerIteration = -5;
      s.staleAfterDays = 1.5;
    });
    expect(refinementSettingsProblems(bad).map((p) => p.path)).toEqual([
      "settings.quality.smallMaxPoints",
      "settings.definitionOfReady.conditions.1",
      "settings.definitionOfReady.conditions.2",
      "settings.definitionOfReady.manual.1.label",
      "settings.definitionOfReady.manual.1.id",
      "settings.definitionOfReady.manual.2.label",
      "settings.definitionOfReady.manual.2.id",
      "settings.definitionOfReady.manual.3.id",
      "settings.readyPolicy",
      "settings.capacityPerIteration",
      "settings.staleAfterDays",
    ]);
  });

  it("accept fewer conditions, manual items and a set capacity", () => {
    const fine = settings((s) => {
      s.definitionOfReady.conditions = ["criteria", "estimated"];
      s.definitionOfReady.manual = [{ id: "ux-reviewed", label: "UX reviewed" }];
      s.readyPolicy = "refuse";
      s.capacityPerIteration = 30;
    });
    expect(refinementSettingsProblems(fine)).toEqual([]);
  });

  it("read stored settings whole, with defaults for whatever they lack", () => {
    expect(refinementSettingsOf(null)).toEqual(DEFAULT_REFINEMENT_SETTINGS);
    const partial = refinementSettingsOf({ readyPolicy: "refuse", quality: { smallMaxPoints: 5 } });
    expect(partial.readyPolicy).toBe("refuse");
    expect(partial.quality).toEqual({ ...DEFAULT_REFINEMENT_SETTINGS.quality, smallMaxPoints: 5 });
    expect(partial.definitionOfReady).toEqual(DEFAULT_REFINEMENT_SETTINGS.definitionOfReady);
    expect(refinementSettingsOf({ capacityPerIteration: null, staleAfterDays: 30 })).toMatchObject({
      capacityPerIteration: null,
      staleAfterDays: 30,
    });
  });
});

describe("manual item ids", () => {
  it("are the label's words in lowercase joined by dashes, without accents", () => {
    expect(manualItemId("UX design reviewed", new Set())).toBe("ux-design-reviewed");
    expect(manualItemId("  Données de test prêtes!  ", new Set())).toBe("donnees-de-test-pretes");
    expect(manualItemId("✓✓", new Set())).toBe("item");
  });

  it("never repeat one taken or a built-in condition's name", () => {
    expect(manualItemId("UX reviewed", new Set(["ux-reviewed"]))).toBe("ux-reviewed-2");
    expect(manualItemId("UX reviewed", new Set(["ux-reviewed", "ux-reviewed-2"]))).toBe("ux-reviewed-3");
    expect(manualItemId("Criteria", new Set())).toBe("criteria-2");
  });

  it("always make settings without id problems", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 150 }), { maxLength: 20 }), (labels) => {
        const taken = new Set<string>();
        const manual = labels.map((label, i) => {
          const id = manualItemId(label, taken);
          taken.add(id);
          return { id, label: `item ${i}` };
        });
        const s = settings((x) => {
          x.definitionOfReady.manual = manual;
        });
        expect(refinementSettingsProblems(s).filter((p) => p.path.endsWith(".id"))).toEqual([]);
      }),
    );
  });
});

describe("average velocity", () => {
  it("is the mean of the last three completed iterations with any points", () => {
    expect(averageVelocity([20, 0, 18, 22, 25])).toBeCloseTo((18 + 22 + 25) / 3);
    expect(averageVelocity([30, 12, 0, 0])).toBe(21);
    expect(averageVelocity([9])).toBe(9);
  });

  it("is null without any iteration that finished points", () => {
    expect(averageVelocity([])).toBeNull();
    expect(averageVelocity([0, 0])).toBeNull();
  });
});

describe("a story's readiness", () => {
  it("is ready when it meets every condition, each with what it found", () => {
    const r = readiness(ready, { ...noFacts, parentKey: "PAY-1" }, DEFAULT_REFINEMENT_SETTINGS);
    expect(r.ready).toBe(true);
    expect(r.missing).toEqual([]);
    expect(r.checks.map((c) => [c.id, c.met, c.detail])).toEqual([
      ["criteria", true, "1 criterion"],
      ["estimated", true, "3 points"],
      ["small", true, "within the team's threshold"],
      ["parent", true, "feature PAY-1"],
      ["dependencies", true, "no dependencies"],
      ["quality", true, "no open quality errors"],
    ]);
  });

  it("says what is missing for each condition not met", () => {
    const r = readiness(
      { acceptanceCriteria: [], points: null, parentId: null, readyChecks: [] },
      {
        findings: [finding("estimable", "error", "No estimate.")],
        dependsOn: [
          { key: "PAY-12", state: "in_progress", finished: false },
          { key: "PAY-13", state: "done", finished: true },
          { key: "PAY-2", state: "implementing", finished: false },
        ],
      },
      DEFAULT_REFINEMENT_SETTINGS,
    );
    expect(r.ready).toBe(false);
    expect(r.checks.filter((c) => !c.met).map((c) => [c.id, c.detail])).toEqual([
      ["criteria", "no acceptance criteria"],
      ["estimated", "no estimate"],
      ["parent", "no parent feature"],
      ["dependencies", "depends on PAY-12 (in progress), PAY-2 (implementing)"],
      ["quality", "1 open error: Estimable"],
    ]);
    expect(r.missing).toEqual([
      "Acceptance criteria present and testable",
      "Estimated",
      "Parent feature set",
      "No unresolved blocking dependency",
      "No open quality errors",
    ]);
    expect(checkOf(r, "small")).toMatchObject({ met: true, detail: "no estimate to judge yet" });
  });

  it("takes untestable criteria and oversized stories from the quality findings", () => {
    const r = readiness(
      { ...ready, points: 13 },
      {
        findings: [
          finding("testable", "error", "The only acceptance criterion cannot be tested."),
          finding("small", "error", "13 points is above the team's limit of 8."),
        ],
        dependsOn: [],
      },
      DEFAULT_REFINEMENT_SETTINGS,
    );
    expect(checkOf(r, "criteria")).toMatchObject({
      met: false,
      detail: "The only acceptance criterion cannot be tested.",
    });
    expect(checkOf(r, "small")).toMatchObject({ met: false, detail: "13 points is above the team's limit of 8." });
    expect(checkOf(r, "quality")?.detail).toBe("2 open errors: Testable, Small");
  });

  it("is not held back by warnings or by findings someone dismissed", () => {
    const findings = [finding("benefit", "warning"), finding("ambiguous", "error"), finding("testable", "error")];
    const held = readiness(ready, { findings, dependsOn: [] }, DEFAULT_REFINEMENT_SETTINGS);
    expect(held.missing).toEqual(["Acceptance criteria present and testable", "No open quality errors"]);
    const dismissed = readiness(
      ready,
      { findings, dependsOn: [], dismissed: ["ambiguous", "testable"] },
      DEFAULT_REFINEMENT_SETTINGS,
    );
    expect(dismissed.ready).toBe(true);
  });

  it("checks only the team's conditions, then its manual items, met when ticked on the story", () => {
    const team = settings((s) => {
      s.definitionOfReady.conditions = ["estimated"];
      s.definitionOfReady.manual = [
        { id: "ux-reviewed", label: "UX reviewed" },
        { id: "test-data", label: "Test data available" },
      ];
    });
    const r = readiness({ ...ready, parentId: null, readyChecks: ["test-data"] }, noFacts, team);
    expect(r.checks.map((c) => [c.id, c.met, c.manual])).toEqual([
      ["estimated", true, false],
      ["ux-reviewed", false, true],
      ["test-data", true, true],
    ]);
    expect(r.missing).toEqual(["UX reviewed"]);
  });

  it("is ready exactly when every check is met, and lists the labels of those that are not", () => {
    const story = fc.record({
      acceptanceCriteria: fc.array(fc.record({ text: fc.string(), met: fc.boolean() }), { maxLength: 3 }),
      points: fc.option(fc.integer({ min: 0, max: 40 })),
      parentId: fc.option(fc.constant("f")),
      readyChecks: fc.subarray(["a", "b", "c"]),
    });
    const facts = fc.record({
      findings: fc.array(
        fc.record({
          rule: fc.constantFrom<QualityRule>("testable", "small", "atomic", "estimable"),
          severity: fc.constantFrom<"error" | "warning">("error", "warning"),
        }),
        { maxLength: 4 },
      ),
      dependsOn: fc.array(
        fc.record({ key: fc.constant("PAY-9"), state: fc.constant("new" as const), finished: fc.boolean() }),
        {
          maxLength: 2,
        },
      ),
    });
    const team = fc.record({
      conditions: fc.subarray([...READY_CONDITIONS]),
      manual: fc.subarray([
        { id: "a", label: "A" },
        { id: "b", label: "B" },
      ]),
    });
    fc.assert(
      fc.property(story, facts, team, (s, f, dor) => {
        const r = readiness(
          s,
          { ...f, findings: f.findings.map((x) => finding(x.rule, x.severity)) },
          settings((x) => {
            x.definitionOfReady = dor;
          }),
        );
        expect(r.checks.length).toBe(dor.conditions.length + dor.manual.length);
        expect(r.ready).toBe(r.checks.every((c) => c.met));
        expect(r.missing).toEqual(r.checks.filter((c) => !c.met).map((c) => c.label));
      }),
    );
  });
});
