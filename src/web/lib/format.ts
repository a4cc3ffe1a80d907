// How values read on screen: states, types, dates, people, teams and PIs by name, and history values.
import {
  type EditableField,
  type ItemState,
  type Level,
  RELATION_LABELS,
  type RelationKind,
  STATE_LABELS,
} from "../../core/work-item";
import type { Art, Person } from "./types";

export const LEVEL_LABELS: Record<Level, string> = {
  epic: "Epic",
  capability: "Capability",
  feature: "Feature",
  story: "Story",
};

export const TYPE_LABELS: Record<string, string> = {
  business: "Business",
  enabler: "Enabler",
  defect: "Defect",
  debt: "Tech debt",
};

export const FIELD_LABELS: Record<EditableField | "relations" | "rank", string> = {
  type: "Type",
  enablerKind: "Enabler kind",
  title: "Title",
  description: "Description",
  benefitHypothesis: "Benefit hypothesis",
  acceptanceCriteria: "Acceptance criteria",
  state: "State",
  parentId: "Parent",
  teamId: "Team",
  teamIds: "Teams",
  piId: "PI",
  iterationId: "Iteration",
  points: "Points",
  labels: "Labels",
  ownerId: "Owner",
  businessValue: "User-business value",
  timeCriticality: "Time criticality",
  riskReduction: "Risk reduction | opportunity enablement",
  jobSize: "Job size",
  costOfDelayPerWeek: "Cost of Delay per week",
  urgency: "Urgency",
  fixedDate: "Fixed date",
  durationWeeks: "Duration (weeks)",
  readyChecks: "Ready checks",
  blockedReason: "Blocked",
  relations: "Relations",
  rank: "Rank",
};

export function stateLabel(state: string): string {
  return STATE_LABELS[state as ItemState] ?? state;
}

/** The colour family of a state: where it sits on its Kanban. */
export function stateTone(state: string): "todo" | "early" | "ready" | "active" | "late" | "done" {
  switch (state) {
    case "funnel":
    case "new":
      return "todo";
    case "analyzing":
    case "refining":
      return "early";
    case "backlog":
    case "ready":
      return "ready";
    case "implementing":
    case "in_progress":
      return "active";
    case "validating":
    case "deploying":
    case "releasing":
      return "late";
    default:
      return "done";
  }
}

export function relationLabel(kind: string, direction: "outgoing" | "incoming"): string {
  return RELATION_LABELS[kind as RelationKind]?.[direction] ?? kind.replace("_", " ");
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const shortDate = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

/** "3 min ago", "yesterday", or a date. */
export function formatRelative(iso: string, now = Date.now()): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const s = Math.round((now - t) / 1000);
  if (s < 45) return "just now";
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  if (s < 2 * 86_400) return "yesterday";
  if (s < 7 * 86_400) return `${Math.round(s / 86_400)} days ago`;
  return shortDate.format(new Date(t));
}

export function personName(people: Map<string, Person>, id: string | null | undefined): string {
  if (!id) return "Someone";
  return people.get(id)?.name ?? "Someone";
}

export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? "")
    .join("");
}

export interface Names {
  art: Art | undefined;
  people: Map<string, Person>;
  /** Item keys by id, for parents. */
  items: Map<string, string>;
}

export function teamKey(art: Art | undefined, id: string | null | undefined): string {
  if (!id) return "";
  return art?.teams.find((t) => t.id === id)?.key ?? "?";
}

export function piName(art: Art | undefined, id: string | null | undefined): string {
  if (!id) return "";
  return art?.pis.find((p) => p.id === id)?.name ?? "?";
}

export function iterationName(art: Art | undefined, id: string | null | undefined, short = false): string {
  if (!id) return "";
  for (const pi of art?.pis ?? []) {
    const it = pi.iterations.find((i) => i.id === id);
    if (it) return short ? `${it.name.startsWith("IP") ? "IP" : "I"}${it.number}` : `${pi.name} · ${it.name}`;
  }
  return "?";
}

/** A field's value as one line of text, for history and conflicts. */
export function formatValue(field: string, value: unknown, names: Names): string {
  if (value === null || value === undefined || value === "") return "—";
  switch (field) {
    case "state":
      return stateLabel(String(value));
    case "type":
      return TYPE_LABELS[String(value)] ?? String(value);
    case "teamId":
      return teamKey(names.art, String(value));
    case "teamIds":
      return Array.isArray(value) && value.length ? value.map((id) => teamKey(names.art, String(id))).join(", ") : "—";
    case "piId":
      return piName(names.art, String(value));
    case "iterationId":
      return iterationName(names.art, String(value));
    case "ownerId":
      return personName(names.people, String(value));
    case "parentId":
      return names.items.get(String(value)) ?? "another item";
    case "labels":
      return Array.isArray(value) && value.length ? value.join(", ") : "—";
    case "acceptanceCriteria":
      return Array.isArray(value) ? `${value.length} criteri${value.length === 1 ? "on" : "a"}` : String(value);
    default: {
      const text = typeof value === "string" ? value : JSON.stringify(value);
      return text.length > 120 ? `${text.slice(0, 117)}…` : text;
    }
  }
}
