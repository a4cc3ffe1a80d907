// The Definition of Ready: a team's refinement settings (its quality rules and thresholds, the built-in conditions it
// holds stories to and its own manual items, what moving an unready story to Ready does), the team's average velocity,
// and whether one story is ready — each condition with a label a POPM reads, whether it is met and what is missing.
// Pure: the server, the CLI and the web app judge readiness the same way.
import type { FieldIssue } from "./errors.js";
import {
  DEFAULT_QUALITY_SETTINGS,
  type Finding,
  type QualityRule,
  type QualitySettings,
  qualitySettingsProblems,
  RULE_INFO,
} from "./story-quality.js";
import { type ItemState, STATE_LABELS, type WorkItem } from "./work-item.js";

export const READY_CONDITIONS = ["criteria", "estimated", "small", "parent", "dependencies", "quality"] as const;
export type ReadyCondition = (typeof READY_CONDITIONS)[number];

/** Each built-in condition as a POPM reads it on the checklist. */
export const READY_CONDITION_LABELS: Record<ReadyCondition, string> = {
  criteria: "Acceptance criteria present and testable",
  estimated: "Estimated",
  small: "Small enough",
  parent: "Parent feature set",
  dependencies: "No unresolved blocking dependency",
  quality: "No open quality errors",
};

export const READY_POLICIES = ["warn", "refuse"] as const;
export type ReadyPolicy = (typeof READY_POLICIES)[number];

export const REFINEMENT_LIMITS = {
  manualItems: 20,
  manualLabel: 120,
  manualId: 40,
  capacityPerIteration: 10_000,
  staleAfterDays: 3_650,
} as const;

/** A team's own Definition-of-Ready item, ticked per story (its id is what `WorkItem.readyChecks` holds). */
export interface ManualReadyItem {
  id: string;
  label: string;
}

export interface RefinementSettings {
  /** Quality rules switched off, thresholds. */
  quality: QualitySettings;
  definitionOfReady: { conditions: ReadyCondition[]; manual: ManualReadyItem[] };
  /** What moving a story to Ready does when it is not ready: allow it with a warning, or refuse it. */
  readyPolicy: ReadyPolicy;
  /** Points per iteration: the health check's capacity while the team has no velocity yet. */
  capacityPerIteration: number | null;
  /** Health check: items not updated for this many days are stale. */
  staleAfterDays: number;
}

/** Every built-in condition, no manual items, a warning when an unready story moves to Ready. */
export const DEFAULT_REFINEMENT_SETTINGS: RefinementSettings = {
  quality: DEFAULT_QUALITY_SETTINGS,
  definitionOfReady: { conditions: [...READY_CONDITIONS], manual: [] },
  readyPolicy: "warn",
  capacityPerIteration: null,
  staleAfterDays: 60,
};

/** One line of a story's readiness checklist. */
export interface ReadinessCheck {
  /** A built-in condition's name, or the id of the team's manual item. */
  id: string;
  label: string;
  met: boolean;
  /** What is there or what is missing, e.g. "no acceptance criteria", "depends on PAY-12 (in progress)". */
  detail: string;
  manual: boolean;
}

export interface Readiness {
  ready: boolean;
  checks: ReadinessCheck[];
  /** The labels of the checks not met. */
  missing: string[];
}

/** What readiness needs of a story. */
export type StoryForReadiness = Pick<WorkItem, "acceptanceCriteria" | "points" | "parentId" | "readyChecks">;

/** What readiness needs beyond the story's fields. */
export interface ReadinessFacts {
  /** The story's quality findings under its team's settings. */
  findings: readonly Finding[];
  /** Rules whose finding was dismissed on this story: those findings do not hold it back. */
  dismissed?: readonly QualityRule[];
  /** The items it depends on, with their state and whether they are finished. */
  dependsOn: readonly { key: string; state: ItemState; finished: boolean }[];
  /** The parent feature's key, for the detail line. */
  parentKey?: string | null;
}

/**
 * A team's stored settings with defaults for anything they lack (settings saved before a field existed), so every
 * reader sees whole settings.
 */
export function refinementSettingsOf(stored: unknown): RefinementSettings {
  const s = (isObject(stored) ? stored : {}) as Partial<RefinementSettings>;
  const d = DEFAULT_REFINEMENT_SETTINGS;
  const dor: Partial<RefinementSettings["definitionOfReady"]> = isObject(s.definitionOfReady)
    ? s.definitionOfReady
    : {};
  return {
    quality: { ...d.quality, ...(isObject(s.quality) ? s.quality : {}) },
    definitionOfReady: {
      conditions: Array.isArray(dor.conditions) ? dor.conditions : [...d.definitionOfReady.conditions],
      manual: Array.isArray(dor.manual) ? dor.manual : [],
    },
    readyPolicy: s.readyPolicy ?? d.readyPolicy,
    capacityPerIteration: s.capacityPerIteration === undefined ? d.capacityPerIteration : s.capacityPerIteration,
    staleAfterDays: s.staleAfterDays ?? d.staleAfterDays,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const MANUAL_ID = /^[a-z0-9][a-z0-9-]*$/;

/**
 * What is wrong with a team's settings, each problem naming its field under `path`, e.g.
 * `settings.quality.smallMaxPoints` or `settings.definitionOfReady.manual.2.label`; empty when they are sound.
 */
export function refinementSettingsProblems(settings: RefinementSettings, path = "settings"): FieldIssue[] {
  const problems: FieldIssue[] = [];
  const at = (field: string, message: string) => problems.push({ path: `${path}.${field}`, message });

  for (const p of qualitySettingsProblems(settings.quality)) {
    problems.push({
      path: `${path}.quality${p.path ? `.${p.path.replace(/^quality\./, "")}` : ""}`,
      message: p.message,
    });
  }

  const conditions = settings.definitionOfReady.conditions;
  conditions.forEach((c, i) => {
    if (!(READY_CONDITIONS as readonly string[]).includes(c)) {
      at(`definitionOfReady.conditions.${i}`, `one of ${READY_CONDITIONS.join(", ")}`);
    } else if (conditions.indexOf(c) !== i) at(`definitionOfReady.conditions.${i}`, `'${c}' is listed twice`);
  });

  const manual = settings.definitionOfReady.manual;
  if (manual.length > REFINEMENT_LIMITS.manualItems) {
    at("definitionOfReady.manual", `at most ${REFINEMENT_LIMITS.manualItems} items`);
  }
  const labels = manual.map((m) => m.label.trim().toLowerCase());
  manual.forEach((m, i) => {
    const label = m.label.trim();
    if (label === "") at(`definitionOfReady.manual.${i}.label`, "a label is required");
    else if (label.length > REFINEMENT_LIMITS.manualLabel) {
      at(`definitionOfReady.manual.${i}.label`, `at most ${REFINEMENT_LIMITS.manualLabel} characters`);
    } else if (labels.indexOf(label.toLowerCase()) !== i) {
      at(`definitionOfReady.manual.${i}.label`, `'${label}' is on the list already`);
    }
    if (!MANUAL_ID.test(m.id) || m.id.length > REFINEMENT_LIMITS.manualId) {
      at(`definitionOfReady.manual.${i}.id`, "lowercase letters, digits and dashes, at most 40 characters");
    } else if ((READY_CONDITIONS as readonly string[]).includes(m.id)) {
      at(`definitionOfReady.manual.${i}.id`, `'${m.id}' is a built-in condition`);
    } else if (manual.findIndex((o) => o.id === m.id) !== i) {
      at(`definitionOfReady.manual.${i}.id`, `'${m.id}' is used twice`);
    }
  });

  if (!(READY_POLICIES as readonly string[]).includes(settings.readyPolicy)) {
    at("readyPolicy", `one of ${READY_POLICIES.join(", ")}`);
  }
  const capacity = settings.capacityPerIteration;
  if (capacity !== null && !(Number.isFinite(capacity) && capacity > 0)) {
    at("capacityPerIteration", "points per iteration, more than 0 (or null)");
  } else if (capacity !== null && capacity > REFINEMENT_LIMITS.capacityPerIteration) {
    at("capacityPerIteration", `at most ${REFINEMENT_LIMITS.capacityPerIteration} points`);
  }
  const stale = settings.staleAfterDays;
  if (!Number.isInteger(stale) || stale < 1 || stale > REFINEMENT_LIMITS.staleAfterDays) {
    at("staleAfterDays", `a whole number of days from 1 to ${REFINEMENT_LIMITS.staleAfterDays}`);
  }
  return problems;
}

/**
 * An id for a new manual item, from its label: lowercase words joined by dashes, not a built-in condition's name and
 * not one of `taken`.
 * @example manualItemId("UX design reviewed", new Set()) === "ux-design-reviewed"
 */
export function manualItemId(label: string, taken: ReadonlySet<string>): string {
  const base =
    label
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 32)
      .replace(/-+$/, "") || "item";
  const free = (id: string) => !taken.has(id) && !(READY_CONDITIONS as readonly string[]).includes(id);
  if (free(base)) return base;
  for (let n = 2; ; n++) if (free(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * A team's average velocity: the mean points of its last three completed iterations that have any points (oldest
 * first in the input), or null when none has.
 * @example averageVelocity([20, 0, 18, 22, 25]) === (18 + 22 + 25) / 3
 */
export function averageVelocity(pointsPerCompletedIteration: readonly number[]): number | null {
  const recent = pointsPerCompletedIteration.filter((p) => p > 0).slice(-3);
  if (recent.length === 0) return null;
  return recent.reduce((a, b) => a + b, 0) / recent.length;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const stateWord = (s: ItemState) => STATE_LABELS[s].toLowerCase();

/**
 * Whether `story` meets its team's Definition of Ready: the built-in conditions the team holds stories to (in
 * READY_CONDITIONS order), then the team's manual items (met when ticked on the story). A dismissed finding does not
 * hold a story back.
 */
export function readiness(story: StoryForReadiness, facts: ReadinessFacts, settings: RefinementSettings): Readiness {
  const dismissed = new Set(facts.dismissed ?? []);
  const open = facts.findings.filter((f) => !dismissed.has(f.rule));
  const finding = (rule: QualityRule) => open.find((f) => f.rule === rule);
  const built = (id: ReadyCondition, met: boolean, detail: string): ReadinessCheck => ({
    id,
    label: READY_CONDITION_LABELS[id],
    met,
    detail,
    manual: false,
  });

  const judge: Record<ReadyCondition, () => ReadinessCheck> = {
    criteria: () => {
      const n = story.acceptanceCriteria.length;
      if (n === 0) return built("criteria", false, "no acceptance criteria");
      const untestable = finding("testable");
      if (untestable) return built("criteria", false, untestable.message);
      return built("criteria", true, plural(n, "criterion", "criteria"));
    },
    estimated: () =>
      story.points === null
        ? built("estimated", false, "no estimate")
        : built("estimated", true, plural(story.points, "point", "points")),
    small: () => {
      const big = finding("small");
      if (big) return built("small", false, big.message);
      return built("small", true, story.points === null ? "no estimate to judge yet" : "within the team's threshold");
    },
    parent: () =>
      story.parentId === null
        ? built("parent", false, "no parent feature")
        : built("parent", true, facts.parentKey ? `feature ${facts.parentKey}` : "parent feature set"),
    dependencies: () => {
      const waiting = facts.dependsOn.filter((d) => !d.finished);
      if (waiting.length > 0) {
        const list = waiting.map((d) => `${d.key} (${stateWord(d.state)})`).join(", ");
        return built("dependencies", false, `depends on ${list}`);
      }
      const n = facts.dependsOn.length;
      return built(
        "dependencies",
        true,
        n === 0 ? "no dependencies" : `${plural(n, "dependency", "dependencies")} finished`,
      );
    },
    quality: () => {
      const errors = open.filter((f) => f.severity === "error");
      if (errors.length === 0) return built("quality", true, "no open quality errors");
      const rules = [...new Set(errors.map((f) => RULE_INFO[f.rule].label))].join(", ");
      return built("quality", false, `${plural(errors.length, "open error", "open errors")}: ${rules}`);
    },
  };

  const wanted = new Set(settings.definitionOfReady.conditions);
  const ticked = new Set(story.readyChecks);
  const checks: ReadinessCheck[] = [
    ...READY_CONDITIONS.filter((c) => wanted.has(c)).map((c) => judge[c]()),
    ...settings.definitionOfReady.manual.map((m) => ({
      id: m.id,
      label: m.label,
      met: ticked.has(m.id),
      detail: ticked.has(m.id) ? "ticked" : "not ticked yet",
      manual: true,
    })),
  ];
  const missing = checks.filter((c) => !c.met).map((c) => c.label);
  return { ready: missing.length === 0, checks, missing };
}
