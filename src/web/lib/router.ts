// URL routing on the history API. Paths name the screen; the query string holds the open item and the filters, so
// every view is a deep link:
//   /arts/DPT                         program backlog (features)
//   /arts/DPT/backlog/epics           program backlog of epics (or capabilities, features)
//   /arts/DPT/teams/RUN?item=DPT-64   a team backlog with an item open
//   /arts/DPT/wsjf, /arts/DPT/wsjf/epics   prioritize: the WSJF estimation grid of features (or epics, capabilities)
//   /arts/DPT/feedback                customer feedback: the review (what to re-score) and all feedback
//   /arts/DPT/estimation              collaborative estimation sessions of the ART; /arts/DPT/estimation/<id> one session
//   /arts/DPT/refine?team=RUN         refine: backlog health, the quality list and a team's refinement settings
//   /arts/DPT/plan?pi=<id>&team=RUN   plan: each team's iterations of a PI, load against capacity, a proposed plan
//   /arts/DPT/metrics?team=RUN&pi=<id>&asOf=2026-03-01&view=flow   metrics: a team's (or the train's) dashboard,
//                                     flow, forecast (&trials=) or inspect & adapt, for a PI as of a date
//   /arts/DPT/board?pi=PI%202         the PI screens: program board (&team=, &dep=), /objectives, /risks, /confidence
//   /setup                            create a train (administrators)
//   /welcome#<secret>                 set a password with an invitation or reset link
//   /account/password, /account/tokens    one's own password and API tokens
//   /admin/people, /admin/audit       accounts and roles; the audit trail and backlog changes (?tab=changes)
import { type MouseEvent, useSyncExternalStore } from "react";
import { type MetricsQuery, metricsSearch } from "./metrics";

export type ProgramLevel = "epic" | "capability" | "feature";

export type Route =
  | { name: "home" }
  | { name: "setup" }
  | { name: "welcome" }
  | { name: "account"; section: AccountSection }
  | { name: "admin-people" }
  | { name: "admin-audit" }
  | { name: "program"; art: string; level: ProgramLevel }
  | { name: "team"; art: string; team: string }
  | { name: "wsjf"; art: string; level: ProgramLevel }
  | { name: "feedback"; art: string }
  | { name: "estimation"; art: string }
  | { name: "estimation-session"; art: string; session: string }
  | { name: "refine"; art: string }
  | { name: "plan"; art: string }
  | { name: "metrics"; art: string }
  | { name: "pi"; art: string; tab: PiTab }
  | { name: "not-found"; path: string };

export type AccountSection = "password" | "tokens";

/** The PI screens: the program board, PI objectives, the ROAM board of risks, the confidence vote. */
export const PI_TABS = ["board", "objectives", "risks", "confidence"] as const;
export type PiTab = (typeof PI_TABS)[number];

export const LEVEL_SEGMENTS: Record<ProgramLevel, string> = {
  epic: "epics",
  capability: "capabilities",
  feature: "features",
};

export function parseRoute(pathname: string): Route {
  const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: "home" };
  if (parts[0] === "setup" && parts.length === 1) return { name: "setup" };
  if (parts[0] === "welcome" && parts.length === 1) return { name: "welcome" };
  if (parts[0] === "account" && parts.length <= 2) {
    const section = parts[1] ?? "password";
    if (section === "password" || section === "tokens") return { name: "account", section };
  }
  if (parts[0] === "admin" && parts.length === 2) {
    if (parts[1] === "people") return { name: "admin-people" };
    if (parts[1] === "audit") return { name: "admin-audit" };
  }
  if (parts[0] === "arts" && parts[1]) {
    const art = parts[1];
    if (parts.length === 2) return { name: "program", art, level: "feature" };
    if (parts[2] === "backlog" && parts.length <= 4) {
      const level = (Object.keys(LEVEL_SEGMENTS) as ProgramLevel[]).find((l) => LEVEL_SEGMENTS[l] === parts[3]);
      if (parts.length === 3 || level) return { name: "program", art, level: level ?? "feature" };
    }
    if (parts[2] === "teams" && parts[3] && parts.length === 4) return { name: "team", art, team: parts[3] };
    if (parts[2] === "feedback" && parts.length === 3) return { name: "feedback", art };
    if (parts[2] === "estimation" && parts.length === 3) return { name: "estimation", art };
    if (parts[2] === "refine" && parts.length === 3) return { name: "refine", art };
    if (parts[2] === "plan" && parts.length === 3) return { name: "plan", art };
    if (parts[2] === "metrics" && parts.length === 3) return { name: "metrics", art };
    const tab = PI_TABS.find((t) => t === parts[2]);
    if (tab && parts.length === 3) return { name: "pi", art, tab };
    if (parts[2] === "estimation" && parts[3] && parts.length === 4) {
      return { name: "estimation-session", art, session: parts[3] };
    }
    if (parts[2] === "wsjf" && parts.length <= 4) {
      const level = (Object.keys(LEVEL_SEGMENTS) as ProgramLevel[]).find((l) => LEVEL_SEGMENTS[l] === parts[3]);
      if (parts.length === 3 || level) return { name: "wsjf", art, level: level ?? "feature" };
    }
  }
  return { name: "not-found", path: pathname };
}

export function programPath(art: string, level: ProgramLevel = "feature"): string {
  return level === "feature" ? `/arts/${art}` : `/arts/${art}/backlog/${LEVEL_SEGMENTS[level]}`;
}

/** The Prioritize screen: the WSJF estimation grid of one program level. */
export function wsjfPath(art: string, level: ProgramLevel = "feature"): string {
  return level === "feature" ? `/arts/${art}/wsjf` : `/arts/${art}/wsjf/${LEVEL_SEGMENTS[level]}`;
}

/** The Feedback screen of an ART. */
export function feedbackPath(art: string): string {
  return `/arts/${art}/feedback`;
}

/** The estimation sessions of an ART, or one of them. */
export function estimationPath(art: string, session?: string): string {
  return session ? `/arts/${art}/estimation/${encodeURIComponent(session)}` : `/arts/${art}/estimation`;
}

/** The Refine screen of an ART: the whole train's, or one team's (`?team=`). */
export function refinePath(art: string, team?: string | null): string {
  return team ? `/arts/${art}/refine?team=${encodeURIComponent(team)}` : `/arts/${art}/refine`;
}

/** A PI screen of an ART (`?pi=` names the PI; none: the current one). */
export function piPath(art: string, tab: PiTab = "board", pi?: string | null): string {
  return `/arts/${art}/${tab}${pi ? `?pi=${encodeURIComponent(pi)}` : ""}`;
}

/** The Plan screen of an ART: a PI's iterations per team (`?pi=` names the PI, `?team=` one team). */
export function planPath(art: string): string {
  return `/arts/${art}/plan`;
}

/** The Metrics screen of an ART, with what its address holds (team, PI, as-of date, view; none: the defaults). */
export function metricsPath(art: string, query: Partial<MetricsQuery> = {}): string {
  return `/arts/${art}/metrics${metricsSearch(query)}`;
}

export function teamPath(art: string, team: string): string {
  return `/arts/${art}/teams/${team}`;
}

export const ADMIN_PEOPLE_PATH = "/admin/people";
export const ADMIN_AUDIT_PATH = "/admin/audit";

export function accountPath(section: AccountSection): string {
  return `/account/${section}`;
}

const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};
if (typeof window !== "undefined") window.addEventListener("popstate", notify);

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

/** The current path and query string; re-renders on navigation. */
export function useLocation(): { pathname: string; search: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, window.location.origin);
  return { pathname: url.pathname, search: url.searchParams };
}

/** Asked before every in-app navigation while set; returns false to stay (e.g. to keep unsaved edits). */
type NavigationGuard = (to: URL) => boolean;
let guard: NavigationGuard | null = null;

/** Sets the guard (null removes it); returns a function that removes it again if it is still the one set. */
export function guardNavigation(next: NavigationGuard): () => void {
  guard = next;
  return () => {
    if (guard === next) guard = null;
  };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (guard && !guard(new URL(to, window.location.origin))) return;
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  notify();
}

/** Changes query parameters of the current URL (null removes one), keeping the path. */
export function setSearch(changes: Record<string, string | null>, options: { replace?: boolean } = {}): void {
  const params = new URLSearchParams(window.location.search);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === "") params.delete(k);
    else params.set(k, v);
  }
  const s = params.toString();
  navigate(`${window.location.pathname}${s ? `?${s}` : ""}`, options);
}

/** Click handler for links rendered as <a href>: navigates in-app unless the user asked for a new tab. */
export function onLinkClick(event: MouseEvent<HTMLAnchorElement>): void {
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  ) {
    return;
  }
  event.preventDefault();
  navigate(event.currentTarget.getAttribute("href") ?? "/");
}

/** The current URL with its `item` parameter set: the link that opens an item in the side panel. */
export function itemHref(key: string): string {
  const params = new URLSearchParams(window.location.search);
  params.set("item", key);
  return `${window.location.pathname}?${params.toString()}`;
}
