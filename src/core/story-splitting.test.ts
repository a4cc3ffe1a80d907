// Splitting suggestions and feature breakdown drafts, on real stories from ../shared/data (copied in as literals: the
// user-story sets of Dalpiaz as shipped with AQUSA, and issues of the story-point data set), and on properties that
// must hold for any text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Criterion } from "./acceptance-criteria.js";
import {
  distributeCriteria,
  draftBreakdown,
  MAX_SPLIT_STORIES,
  SPLIT_PATTERNS,
  type SplitSuggestion,
  type StoryText,
  suggestSplits,
} from "./story-splitting.js";
import { LIMITS } from "./work-item.js";

const criteria = (...texts: string[]): Criterion[] => texts.map((text) => ({ text, met: false }));
const story = (title: string, description = "", ...texts: string[]): StoryText => ({
  title,
  description,
  acceptanceCriteria: criteria(...texts),
});
const titles = (s: SplitSuggestion | undefined) => s?.stories.map((x) => x.title);
const criteriaOf = (s: SplitSuggestion | undefined) => s?.stories.map((x) => x.acceptanceCriteria.map((c) => c.text));
const first = (s: StoryText) => suggestSplits(s)[0];
const of = (s: StoryText, pattern: string) => suggestSplits(s).find((x) => x.pattern === pattern);

describe("suggestions from the cues of real stories", () => {
  it("splits 'sign up via github or google' into one story per data source, in the story's own template", () => {
    const s = first(
      story(
        "As a Visitor, I want to sign up via github or google, so that I don't have to enter lots of information and remember my password for yet another website.",
      ),
    );
    expect(s?.pattern).toBe("data_variations");
    expect(s?.rationale).toContain("'or' between two");
    expect(s?.rationale).toContain("'github' and 'google'");
    expect(titles(s)).toEqual([
      "As a Visitor, I want to sign up via github, so that I don't have to enter lots of information and remember my password for yet another website.",
      "As a Visitor, I want to sign up via google, so that I don't have to enter lots of information and remember my password for yet another website.",
    ]);
    expect(s?.stories.every((x) => x.points === null)).toBe(true);
  });

  it("splits coordinated operations over one object, and moves each criterion to the operation it names", () => {
    const s = first(
      story(
        "As an administrator, I want to change or remove the check-out of a user, So that there are no delays when the author of the rule is absent.",
        "",
        "Removing a check-out tells its author",
        "A changed check-out keeps the original author",
        "Only administrators see the check-outs",
      ),
    );
    expect(s?.pattern).toBe("operations");
    expect(s?.rationale).toBe("'change or remove' are CRUD operations: one story per operation, the first one first.");
    expect(titles(s)).toEqual([
      "As an administrator, I want to change the check-out of a user, So that there are no delays when the author of the rule is absent.",
      "As an administrator, I want to remove the check-out of a user, So that there are no delays when the author of the rule is absent.",
    ]);
    expect(criteriaOf(s)).toEqual([
      ["A changed check-out keeps the original author", "Only administrators see the check-outs"],
      ["Removing a check-out tells its author"],
    ]);
  });

  it("reads 'export or print' and 'browse and find' as operations on what follows them", () => {
    const exportOrPrint = first(
      story(
        "As a RuleAuthor, I want to export or print a selection of parts from the rulebase, So that the people involved are quickly and properly informed.",
      ),
    );
    expect(exportOrPrint?.pattern).toBe("operations");
    expect(exportOrPrint?.rationale).toContain("on 'a selection of parts from the rulebase'");
    expect(titles(exportOrPrint)).toEqual([
      "As a RuleAuthor, I want to export a selection of parts from the rulebase, So that the people involved are quickly and properly informed.",
      "As a RuleAuthor, I want to print a selection of parts from the rulebase, So that the people involved are quickly and properly informed.",
    ]);
    const browse = first(
      story(
        "As a Consumer, I want to browse and find publishers, so that I can find interesting publishers and their packages.",
      ),
    );
    expect(titles(browse)).toEqual([
      "As a Consumer, I want to browse publishers, so that I can find interesting publishers and their packages.",
      "As a Consumer, I want to find publishers, so that I can find interesting publishers and their packages.",
    ]);
  });

  it("offers add, view, edit and remove for 'manage'", () => {
    const s = of(
      story(
        "As a RuleAnalyst, I want to manage the meta-model, So that coherence between rulebase parts is preserved.",
      ),
      "operations",
    );
    expect(s?.rationale).toContain("'manage' hides several operations");
    expect(titles(s)?.map((t) => t.split(", So")[0])).toEqual([
      "As a RuleAnalyst, I want to add the meta-model",
      "As a RuleAnalyst, I want to view the meta-model",
      "As a RuleAnalyst, I want to edit the meta-model",
      "As a RuleAnalyst, I want to remove the meta-model",
    ]);
  });

  it("splits a list of nouns, letting adjectives share their noun, and keeps a title's closing full stop", () => {
    expect(titles(first(story("As a terminator, I want to capture preferred terms and undesired terms.")))).toEqual([
      "As a terminator, I want to capture preferred terms.",
      "As a terminator, I want to capture undesired terms.",
    ]);
    const shared = first(
      story(
        "As a terminator, I want to monitor the use of undesired and preferred terms, So that everyone involved follows the preferred terms.",
      ),
    );
    expect(titles(shared)?.map((t) => t.split(",")[1]?.trim())).toEqual([
      "I want to monitor the use of undesired terms",
      "I want to monitor the use of preferred terms",
    ]);
    const filter = first(
      story(
        "As a RuleAuthor, I want to filter the list per rulebase with a new or existing filter, So that I can quickly find what I am looking for.",
      ),
    );
    expect(titles(filter)?.map((t) => t.split(",")[1]?.trim())).toEqual([
      "I want to filter the list per rulebase with a new filter",
      "I want to filter the list per rulebase with existing filter",
    ]);
  });

  it("does not split what is one thing: a relation between two things, or a fixed pair", () => {
    const between = suggestSplits(
      story(
        "As a terminator, I want to show the connection between terms and the object model, So that the project can avoid misunderstandings.",
      ),
    );
    expect(between.map((s) => s.pattern)).not.toContain("data_variations");
    const terms = suggestSplits(
      story("As a Visitor, I want to read the terms and conditions, so that I know what I agree to."),
    );
    expect(terms.map((s) => s.pattern)).not.toContain("data_variations");
    const roles = suggestSplits(
      story(
        "As an owner, I want to view all the people in my organization and what roles they have, so that I can change these if I want.",
      ),
    );
    expect(roles.map((s) => s.pattern)).not.toContain("data_variations");
  });

  it("splits two goals joined by 'and' into one story each", () => {
    const s = first(
      story(
        "As a Publisher, I want to version my Data Package and keep multiple versions around including older versions, so that I do not break consumer systems when I change my datapackage.",
      ),
    );
    expect(s?.pattern).toBe("workflow_steps");
    expect(s?.rationale).toContain("'and' joins two goals");
    expect(titles(s)).toEqual([
      "As a Publisher, I want to version my Data Package, so that I do not break consumer systems when I change my datapackage.",
      "As a Publisher, I want to keep multiple versions around including older versions, so that I do not break consumer systems when I change my datapackage.",
    ]);
  });

  it("carries a shared 'to' into the second goal", () => {
    const s = first(
      story(
        "As an owner, I want to invite someone using their email to sign up and become a member of my Publisher, so that they are authorized to publish data packages under my Publisher.",
      ),
    );
    expect(titles(s)?.map((t) => t.split(", so that")[0])).toEqual([
      "As an owner, I want to invite someone using their email to sign up",
      "As an owner, I want to invite someone using their email to become a member of my Publisher",
    ]);
  });

  it("defers a quality: the story without 'quickly' first, then with it", () => {
    const s = first(
      story(
        "As a Consumer, I want to see some example data packages quickly, so that I get a sense of what is on this site and if it is useful to look further.",
      ),
    );
    expect(s?.pattern).toBe("defer_performance");
    expect(s?.rationale).toBe("'quickly' is a quality: make it work first, then make it fast.");
    expect(titles(s)).toEqual([
      "As a Consumer, I want to see some example data packages, so that I get a sense of what is on this site and if it is useful to look further.",
      "As a Consumer, I want to see some example data packages quickly, so that I get a sense of what is on this site and if it is useful to look further.",
    ]);
  });

  it("does not defer performance in a story about performance", () => {
    const s = suggestSplits(
      story(
        "Improve performance when the Snippets view is initially loaded",
        "I profiled the performance issue. The root cause is creation of all the snippets when the view is loaded.",
      ),
    );
    expect(s.map((x) => x.pattern)).not.toContain("defer_performance");
  });

  it("separates a business rule from the basic case", () => {
    const s = of(
      story(
        "As a RuleAuthor, I want to have a signal if I don't use a preferred term, So that I can comply with the standards.",
      ),
      "business_rules",
    );
    expect(s?.rationale).toBe(
      "'if' brings a business-rule variation: the basic rule first, then one story per variation.",
    );
    expect(titles(s)).toEqual([
      "As a RuleAuthor, I want to have a signal, So that I can comply with the standards.",
      "As a RuleAuthor, I want to have a signal if I don't use a preferred term, So that I can comply with the standards.",
    ]);
  });

  it("names the platforms of a story about one of them, and puts a generic 'mobile' per platform", () => {
    const run = first(
      story('"Run on Device" for Android', 'Add a "Run on Device" entry for Android as we have for iOS.'),
    );
    expect(run?.pattern).toBe("interfaces");
    expect(run?.rationale).toContain("two interfaces: iOS and Android");
    expect(titles(run)).toEqual(['"Run on Device" for iOS', '"Run on Device" for Android']);
    const clean = of(
      story(
        "Clean doesn't actually clean a mobile project",
        'We need to make "Clean" actually remove the contents of both the build/iphone and build/android directories (but not the directory itself).',
      ),
      "interfaces",
    );
    expect(titles(clean)).toEqual([
      "Clean doesn't actually clean an iOS project",
      "Clean doesn't actually clean an Android project",
    ]);
  });

  it("proposes a spike first for an unknown, leaving the criteria that are not questions to the story itself", () => {
    const s = of(
      story(
        "Create Project References Property Page",
        "Create property page for project which allows manipulation of embedded references. There may well be an established metaphor or existing page in PHP, PDT, JSDT or elsewhere. Investigate reusing this page is possible or appropriate.",
        "Which existing page could we reuse?",
        "References can point to the filesystem",
      ),
      "spike_first",
    );
    expect(s?.rationale).toContain("'Investigate'");
    expect(s?.rationale).toContain("a question mark");
    expect(titles(s)).toEqual([
      "Spike: investigate how to create Project References Property Page",
      "Create Project References Property Page",
    ]);
    expect(criteriaOf(s)).toEqual([
      ["Which existing page could we reuse?"],
      ["References can point to the filesystem"],
    ]);
    expect(s?.stories[1]?.description).toContain("Create property page");
  });

  it("finds the steps of a numbered list in the description, one story per step", () => {
    const s = first(
      story(
        "As a Publisher, I want to sign up for an account, so that I can publish my data package to the registry and to have a publisher account to publish my data package under.",
        "Signing up:\n1. Enter an email address and a password\n2. Confirm the email address\n3. Choose a publisher name",
        "The publisher name must be unique",
        "A confirmation email arrives within a minute",
      ),
    );
    expect(s?.pattern).toBe("workflow_steps");
    expect(s?.rationale).toContain("lists three steps");
    expect(titles(s)?.map((t) => t.split(", so that")[0])).toEqual([
      "As a Publisher, I want to enter an email address and a password",
      "As a Publisher, I want to confirm the email address",
      "As a Publisher, I want to choose a publisher name",
    ]);
    expect(criteriaOf(s)).toEqual([
      ["A confirmation email arrives within a minute"],
      [],
      ["The publisher name must be unique"],
    ]);
    expect(s?.stories[0]?.description).toBe("Signing up:");
  });

  it("reads the user's actions in Given/When/Then criteria as workflow steps and the failing ones as unhappy paths", () => {
    const s = story(
      "As a Publisher, I want to publish a data package in the UI, so that it is available and published.",
      "",
      "Given a valid data package, when I upload it, then its resources are listed",
      "Given an uploaded data package, when I publish it, then it is visible to everyone",
      "Given an invalid data package, when I upload it, then I see each validation error",
    );
    const steps = of(s, "workflow_steps");
    expect(steps?.rationale).toContain("The criteria name two steps: 'I upload it' and 'I publish it'");
    expect(titles(steps)?.map((t) => t.split(", so that")[0])).toEqual([
      "As a Publisher, I want to upload it",
      "As a Publisher, I want to publish it",
    ]);
    expect(criteriaOf(steps)?.map((c) => c.length)).toEqual([2, 1]);
    const unhappy = of(s, "happy_unhappy");
    expect(unhappy?.rationale).toContain("'invalid'");
    expect(titles(unhappy)?.map((t) => t.split(", so that")[0])).toEqual([
      "As a Publisher, I want to publish a data package in the UI when all goes well",
      "As a Publisher, I want to publish a data package in the UI, handling invalid input and errors",
    ]);
    expect(criteriaOf(unhappy)?.[1]).toEqual([
      "Given an invalid data package, when I upload it, then I see each validation error",
    ]);
  });

  it("offers honest generic splits when no cue fires", () => {
    const s = suggestSplits(
      story("As a Publisher, I want to publish a dataset, so that I can view just the dataset with a few people."),
    );
    expect(s.map((x) => x.pattern)).toEqual(["simple_complex", "happy_unhappy"]);
    expect(s.every((x) => x.rationale.startsWith("No splitting cue in the text: a generic split."))).toBe(true);
    expect(titles(s[0])).toEqual([
      "As a Publisher, I want to publish a dataset in its simplest form, so that I can view just the dataset with a few people.",
      "As a Publisher, I want to publish a dataset in full, so that I can view just the dataset with a few people.",
    ]);
  });

  it("ranks the suggestions by cue strength, one per pattern", () => {
    const s = suggestSplits(
      story(
        "As a clerk, I want to create, edit and delete invoices",
        "",
        "Given an invoice, when I delete it, then it is gone",
        "Deleting a paid invoice fails with an error",
      ),
    );
    expect(s[0]?.pattern).toBe("operations");
    expect(new Set(s.map((x) => x.pattern)).size).toBe(s.length);
    expect(s.map((x) => x.pattern)).toContain("happy_unhappy");
  });

  it("keeps a long title within the limit, dropping the benefit before the goal", () => {
    const long = `As a Developer, I want to list all DataPackages requirements for my project in the file and pin the exact versions of any DataPackage that my project depends on, so that the project can be deterministically deployed locally and won't break because of the DataPackage schema changes.`;
    for (const s of suggestSplits(story(long))) {
      for (const t of titles(s) ?? []) expect(t.length).toBeLessThanOrEqual(LIMITS.title);
    }
    expect(titles(first(story(long)))?.[0]).toContain("list all DataPackages requirements");
  });
});

describe("distributing criteria over titles given by hand", () => {
  it("moves each criterion to the title whose own words it shares, the rest to the first", () => {
    const moved = distributeCriteria(
      criteria("Pays by card with 3-D Secure", "PayPal asks for a login", "A receipt is sent"),
      ["As a payer, I want to pay by card", "As a payer, I want to pay with PayPal"],
    );
    expect(moved.map((c) => c.map((x) => x.text))).toEqual([
      ["Pays by card with 3-D Secure", "A receipt is sent"],
      ["PayPal asks for a login"],
    ]);
  });
});

describe("drafting a feature's stories", () => {
  const teams = [
    { id: "t-core", key: "core", name: "Core" },
    { id: "t-web", key: "web", name: "Web" },
  ];

  it("drafts one story per criterion, a Given/When/Then one as 'I want <event>, so that <outcome>', for the first team", () => {
    const drafts = draftBreakdown(
      {
        title: "Refunds to card",
        description: "",
        benefitHypothesis: "We believe refunds take less support time if payers successfully request them online.",
        acceptanceCriteria: criteria(
          "Given a settled payment, when the payer requests a refund, then the money returns to the card within 5 days",
          "Given a refund, when I open my statement, then I see the refund on it",
          "Users can cancel a pending refund",
          "Refunds appear on the statement",
        ),
      },
      teams,
    );
    expect(drafts.map((d) => d.title)).toEqual([
      "As a payer, I want to request a refund, so that the money returns to the card within 5 days",
      "As a payer, I want to open my statement, so that I see the refund on it",
      "As a payer, I want to cancel a pending refund",
      "As a payer, I want to see that refunds appear on the statement",
    ]);
    expect(drafts.map((d) => d.acceptanceCriteria.map((c) => c.text))).toEqual([
      ["Given a settled payment, when the payer requests a refund, then the money returns to the card within 5 days"],
      ["Given a refund, when I open my statement, then I see the refund on it"],
      ["Users can cancel a pending refund"],
      ["Refunds appear on the statement"],
    ]);
    expect(drafts.every((d) => d.teamId === "t-core" && d.points === null)).toBe(true);
  });

  it("wants the outcome when the event is not the user's own action", () => {
    const [draft] = draftBreakdown(
      {
        title: "Card payments",
        description: "As a payer, I want to pay by card.",
        benefitHypothesis: "",
        acceptanceCriteria: criteria("Given a cart, when the card is declined, then I see why"),
      },
      teams,
    );
    expect(draft?.title).toBe("As a payer, I want to see why when the card is declined");
  });

  it("drafts one story per workflow step when the feature has no criteria, with the benefit it states", () => {
    const drafts = draftBreakdown(
      {
        title: "Publish a data package",
        description:
          "As a Publisher, I want to publish a data package so that it is available.\n1. Validate the package\n2. Upload the resources\n3. Publish it",
        benefitHypothesis: "",
        acceptanceCriteria: [],
      },
      teams,
    );
    expect(drafts.map((d) => d.title)).toEqual([
      "As a Publisher, I want to validate the package, so that it is available",
      "As a Publisher, I want to upload the resources, so that it is available",
      "As a Publisher, I want to publish it, so that it is available",
    ]);
    const sequence = draftBreakdown(
      {
        title: "Delivery slots",
        description: "First pick a delivery slot, then pay, then get a confirmation by email.",
        benefitHypothesis: "We believe fewer deliveries are missed if shoppers successfully book a slot.",
        acceptanceCriteria: [],
      },
      [],
    );
    expect(sequence.map((d) => d.title)).toEqual([
      "As a shopper, I want to pick a delivery slot",
      "As a shopper, I want to pay",
      "As a shopper, I want to get a confirmation by email",
    ]);
    expect(sequence.every((d) => d.teamId === null)).toBe(true);
  });

  it("falls back to one story from the feature's title", () => {
    expect(
      draftBreakdown(
        { title: "Export statements", description: "", benefitHypothesis: "", acceptanceCriteria: [] },
        teams,
      ),
    ).toEqual([
      {
        title: "As a user, I want to export statements",
        description: "",
        acceptanceCriteria: [],
        points: null,
        teamId: "t-core",
      },
    ]);
  });

  it("drafts at most thirty stories", () => {
    const many = Array.from({ length: 45 }, (_, i) => `Criterion number ${i + 1} holds`);
    const drafts = draftBreakdown(
      { title: "Big", description: "", benefitHypothesis: "", acceptanceCriteria: criteria(...many) },
      teams,
    );
    expect(drafts).toHaveLength(30);
  });
});

describe("properties of every suggestion", () => {
  const WORDS = [
    "create",
    "edit",
    "delete",
    "view",
    "manage",
    "and",
    "or",
    "/",
    "then",
    "if",
    "unless",
    "only when",
    "except",
    "fast",
    "quickly",
    "within 2 seconds",
    "securely",
    "error",
    "invalid",
    "timeout",
    "retry",
    "TBD",
    "?",
    "spike",
    "web",
    "mobile",
    "iOS",
    "Android",
    "CSV",
    "JSON",
    "API",
    "email",
    "all",
    "multiple",
    "github",
    "google",
    "data",
    "package",
    "the",
    "a",
    "my",
    "invoice",
    "card",
    "PayPal",
    "publish",
    "search",
    "report",
    "to",
    "with",
    "via",
    ",",
    "terms",
    "conditions",
    "between",
    "etc",
    "1.",
    "-",
  ];
  const phrase = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 12 }).map((w) => w.join(" "));
  const title = fc.oneof(
    fc
      .tuple(fc.constantFrom("user", "Publisher", "RuleAuthor"), phrase, fc.option(phrase))
      .map(([role, goal, benefit]) => `As a ${role}, I want to ${goal}${benefit ? `, so that ${benefit}` : ""}`),
    phrase,
    fc.string({ minLength: 1, maxLength: 300 }),
  );
  const text = fc.oneof(
    phrase,
    fc.string({ maxLength: 80 }),
    phrase.map((p) => `Given a cart, when I ${p}, then ${p}`),
  );
  const anyStory = fc.record({
    title,
    description: fc.oneof(
      fc.constant(""),
      text,
      fc.array(phrase, { maxLength: 4 }).map((l) => l.map((x, i) => `${i + 1}. ${x}`).join("\n")),
    ),
    // Each criterion made unique by its number, so "exactly once" can be checked by text.
    acceptanceCriteria: fc
      .array(fc.tuple(text, fc.boolean()), { maxLength: 12 })
      .map((cs) => cs.map(([t, met], i) => ({ text: `${t} #${i}`, met }))),
  });

  it("always offers a suggestion, each of 2 to 10 stories with titles within the limit", () => {
    fc.assert(
      fc.property(anyStory, (s) => {
        const suggestions = suggestSplits(s);
        expect(suggestions.length).toBeGreaterThan(0);
        for (const x of suggestions) {
          expect(SPLIT_PATTERNS).toContain(x.pattern);
          expect(x.stories.length).toBeGreaterThanOrEqual(2);
          expect(x.stories.length).toBeLessThanOrEqual(MAX_SPLIT_STORIES);
          for (const p of x.stories) {
            expect(p.title.trim().length).toBeGreaterThan(0);
            expect(p.title.length).toBeLessThanOrEqual(LIMITS.title);
          }
          expect(new Set(x.stories.map((p) => p.title.toLowerCase())).size).toBe(x.stories.length);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("puts every original criterion in exactly one proposed story, as it was", () => {
    fc.assert(
      fc.property(anyStory, (s) => {
        for (const x of suggestSplits(s)) {
          const moved = x.stories.flatMap((p) => p.acceptanceCriteria);
          expect([...moved].sort((a, b) => a.text.localeCompare(b.text))).toEqual(
            [...s.acceptanceCriteria].sort((a, b) => a.text.localeCompare(b.text)),
          );
        }
      }),
      { numRuns: 400 },
    );
  });

  it("is deterministic: the same story gives the same suggestions", () => {
    fc.assert(
      fc.property(anyStory, (s) => {
        expect(suggestSplits(structuredClone(s))).toEqual(suggestSplits(s));
      }),
      { numRuns: 200 },
    );
  });

  it("keeps every criterion when distributing by hand, and every feature criterion in one draft", () => {
    fc.assert(
      fc.property(anyStory, fc.array(phrase, { minLength: 2, maxLength: 5 }), (s, ts) => {
        const moved = distributeCriteria(s.acceptanceCriteria, ts);
        expect(moved).toHaveLength(ts.length);
        expect(moved.flat()).toHaveLength(s.acceptanceCriteria.length);
        const drafts = draftBreakdown({ ...s, benefitHypothesis: s.description }, [{ id: "t", key: "t", name: "T" }]);
        expect(drafts.length).toBeGreaterThan(0);
        expect(drafts.length).toBeLessThanOrEqual(30);
        if (s.acceptanceCriteria.length > 0) {
          expect(drafts.flatMap((d) => d.acceptanceCriteria.map((c) => c.text))).toEqual(
            s.acceptanceCriteria.map((c) => c.text),
          );
        }
        for (const d of drafts) expect(d.title.length).toBeLessThanOrEqual(LIMITS.title);
      }),
      { numRuns: 200 },
    );
  });
});
