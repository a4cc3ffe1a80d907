// What the CLI prints: one text form per kind of answer, the same whether it came from the database or a server,
// and with --json the answer itself.
import { ECONOMIC_FIELD_LABELS, type EconomicsView, URGENCY_LABELS } from "../core/economics.js";
import type { EstimationCell, EstimationSessionSummary, EstimationSessionView } from "../core/estimation.js";
import type { RoleGrant } from "../core/permissions.js";
import type { Art } from "../core/train.js";
import type { WsjfInput } from "../core/wsjf.js";
import type { TeamAlignment } from "../use-cases/align-team-backlog.js";
import type { ApiToken } from "../use-cases/api-tokens.js";
import type { WsjfOrderPreview } from "../use-cases/apply-wsjf-order.js";
import type { AuditPage } from "../use-cases/audit-trail.js";
import type { CheckReport } from "../use-cases/check-train.js";
import type { BacklogPage } from "../use-cases/list-backlog.js";
import type { FeedbackEntry } from "../use-cases/list-feedback.js";
import type { WsjfGrid } from "../use-cases/list-wsjf.js";
import type { Account } from "../use-cases/manage-accounts.js";
import type { FeedbackReviewRow } from "../use-cases/review-feedback.js";
import type { ItemDetailView, ItemView, RecordedFeedback } from "./backend.js";

export const print = (json: boolean, value: unknown, text: () => string): void => {
  process.stdout.write(`${json ? JSON.stringify(value, null, 2) : text()}\n`);
};

export const backlogText = (page: BacklogPage): string =>
  [
    ...page.items.map((i) => {
      const size = i.level === "story" ? `${i.points ?? "-"} pts` : `${i.childCount} stories, ${i.childPoints} pts`;
      return `${i.key.padEnd(10)} ${i.state.padEnd(12)} ${size.padEnd(22)} ${i.title}`;
    }),
    ...(page.nextCursor ? [`(more: --cursor ${page.nextCursor})`] : []),
  ].join("\n");

/** An item's heading: key and title, its level, type, state, points and version, and what blocks it. */
export const itemText = (i: ItemView): string =>
  [
    `${i.key}  ${i.title}`,
    `${i.level} · ${i.type} · ${i.state} · ${i.points ?? "-"} points · version ${i.version}`,
    ...(i.blockedReason !== null ? [`Blocked: ${i.blockedReason}`] : []),
  ].join("\n");

export const itemDetailText = (d: ItemDetailView): string =>
  [
    itemText(d.item),
    ...(d.ancestors.length ? [`in: ${d.ancestors.map((a) => `${a.key} ${a.title}`).join(" › ")}`] : []),
    ...(d.item.description ? ["", d.item.description] : []),
    ...(d.item.acceptanceCriteria.length
      ? [
          "",
          "Acceptance criteria:",
          ...d.item.acceptanceCriteria.map((c, i) => `  ${i + 1}. ${c.met ? "[met] " : ""}${c.text}`),
        ]
      : []),
    ...(d.children.length
      ? [
          "",
          `Children (${d.childCount}, ${d.childPoints} points):`,
          ...d.children.map((c) => `  ${c.key} ${c.state} ${c.title}`),
        ]
      : []),
    ...(d.relations.length
      ? ["", "Relations:", ...d.relations.map((r) => `  ${r.label} ${r.item.key} ${r.item.title}`)]
      : []),
  ].join("\n");

export const checkText = (report: CheckReport): string =>
  report.ok
    ? `OK: ${report.items} items in ${report.backlogs} backlogs, no problems.`
    : [
        `${report.problems.length} problems in ${report.items} items:`,
        ...report.problems.map((p) => `  ${p.key}: ${p.problem}`),
      ].join("\n");

/** Where a role is held: `PAY`, or `PAY/core` for one team (ids when the ART is not among `arts`). */
export function roleText(grant: RoleGrant, arts: Art[]): string {
  const art = arts.find((a) => a.id === grant.artId);
  const team = grant.teamId ? (art?.teams.find((t) => t.id === grant.teamId)?.key ?? grant.teamId) : null;
  return `${grant.role} on ${art?.key ?? grant.artId}${team ? `/${team}` : ""}`;
}

const standing = (a: Account) =>
  [a.admin ? "administrator" : null, !a.active ? "deactivated" : !a.hasPassword ? "invited" : null]
    .filter(Boolean)
    .join(", ");

/** One account, as `whoami` shows it. */
export const accountText = (a: Account, arts: Art[], where: string): string =>
  [
    `${a.name} <${a.email}>${standing(a) ? `, ${standing(a)}` : ""}`,
    `on ${where}`,
    ...(a.roles.length ? a.roles.map((r) => `  ${roleText(r, arts)}`) : ["  no roles"]),
  ].join("\n");

export const accountsText = (accounts: Account[], arts: Art[]): string =>
  accounts.length === 0
    ? "No accounts yet."
    : accounts
        .map((a) =>
          [
            a.email.padEnd(32),
            a.name.padEnd(24),
            (standing(a) || "active").padEnd(24),
            a.roles.map((r) => roleText(r, arts)).join(", "),
          ]
            .join(" ")
            .trimEnd(),
        )
        .join("\n");

export const tokensText = (tokens: ApiToken[]): string =>
  tokens.length === 0
    ? "No API tokens."
    : tokens
        .map((t) =>
          [
            t.id,
            `…${t.hint}`,
            t.name,
            `made ${t.createdAt}`,
            t.revokedAt ? `revoked ${t.revokedAt}` : t.lastUsedAt ? `last used ${t.lastUsedAt}` : "never used",
          ].join("  "),
        )
        .join("\n");

export const auditText = (page: AuditPage): string =>
  [
    ...(page.entries.length === 0 ? ["No entries."] : []),
    ...page.entries.map((e) => {
      const detail = Object.entries(e.detail)
        .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
        .join(" ");
      const subject = e.subject && e.subject.id !== e.actor?.id ? ` → ${e.subject.name}` : "";
      return [e.at, e.kind.padEnd(22), `${e.actor?.name ?? "-"}${subject}`, e.ip ?? "", detail]
        .filter(Boolean)
        .join("  ");
    }),
    ...(page.nextCursor ? [`(more: --cursor ${page.nextCursor})`] : []),
  ].join("\n");

/**
 * Rows as aligned columns: each padded to its widest cell (`right` ones to the right), the last one left as it is.
 * @example table(["#", "key"], [["1", "PAY-1"]], [true, false]) // ["#  key", "1  PAY-1"]
 */
function table(header: string[], rows: string[][], right: boolean[]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  return [header, ...rows].map((r) =>
    r
      .map((cell, c) =>
        c === r.length - 1 ? cell : right[c] ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0),
      )
      .join("  ")
      .trimEnd(),
  );
}

/** The short names of the WSJF inputs, as the grid's columns show them. */
export const WSJF_SHORT: Record<WsjfInput, string> = {
  businessValue: "BV",
  timeCriticality: "TC",
  riskReduction: "RR|OE",
  jobSize: "JS",
};
const WSJF_COLUMNS = Object.keys(WSJF_SHORT) as WsjfInput[];

const PLURAL: Record<string, string> = { epic: "epics", capability: "capabilities", feature: "features" };
const plural = (level: string) => PLURAL[level] ?? `${level}s`;
const orDash = (v: number | null) => (v === null ? "-" : String(v));
const missingText = (missing: readonly WsjfInput[]) => `— (missing: ${missing.map((m) => WSJF_SHORT[m]).join(", ")})`;
const share = (v: number) => `${Math.round(v * 1000) / 10}%`;

/** Where an item is ranked against where WSJF would put it. */
const placesText = (places: number | null) =>
  places === null ? "" : places === 0 ? "in place" : places > 0 ? `${places} above` : `${-places} below`;

/** The estimation grid in rank order, what is not anchored at 1, and how well the rank agrees with WSJF. */
export function wsjfGridText(art: string, grid: WsjfGrid): string {
  if (grid.items.length === 0) return `No ${plural(grid.level)} in ${art} yet.`;
  const rows = grid.items.map((i) => [
    String(i.position),
    i.key,
    ...WSJF_COLUMNS.map((k) => orDash(i.inputs[k])),
    orDash(i.costOfDelay),
    i.wsjf === null ? missingText(i.missing) : String(i.wsjf),
    placesText(i.placesFromWsjf),
    i.title,
  ]);
  const header = ["#", "key", ...WSJF_COLUMNS.map((k) => WSJF_SHORT[k]), "CoD", "WSJF", "vs WSJF", "title"];
  const unanchored = WSJF_COLUMNS.filter((k) => !grid.anchored[k]).map((k) => WSJF_SHORT[k]);
  return [
    `${art} ${plural(grid.level)} in rank order; WSJF = (BV + TC + RR|OE) ÷ JS:`,
    ...table(header, rows, [true, false, true, true, true, true, true, false, false, false]),
    ...(unanchored.length
      ? [`Not anchored at 1: ${unanchored.join(", ")} (SAFe gives the smallest item in each column a 1).`]
      : []),
    grid.agreement === null
      ? `Agreement with WSJF: needs two scored items (${grid.scored} of ${grid.items.length} scored).`
      : `Agreement with WSJF: ${grid.agreement} (Kendall tau: 1 same order, -1 reversed; ` +
        `${grid.scored} of ${grid.items.length} scored).`,
  ].join("\n");
}

/** `from → to` cells of one width, so the arrows line up. */
function moveCells(items: readonly { from: number; to: number }[]): string[] {
  const w = Math.max(0, ...items.map((i) => String(Math.max(i.from, i.to)).length));
  return items.map((i) => `${String(i.from).padStart(w)} → ${String(i.to).padStart(w)}`);
}

/**
 * The proposed (or applied) WSJF order: the items that move and the pinned ones, from → to, the agreement with WSJF
 * before and after, and how to apply or undo it.
 */
export function wsjfOrderText(art: string, level: string, p: WsjfOrderPreview): string {
  if (p.items.length === 0) return `No ${plural(level)} in ${art} yet.`;
  const what = `${art} ${plural(level)}`;
  const shown = p.items.filter((i) => i.from !== i.to || i.pinned);
  const moves = moveCells(shown);
  const anyPinned = shown.some((i) => i.pinned);
  const rows = shown.map((i, n) => [
    moves[n] ?? "",
    i.key,
    orDash(i.wsjf),
    orDash(i.costOfDelay),
    ...(anyPinned ? [i.pinned ? "pinned" : ""] : []),
    i.title,
  ]);
  const header = ["from → to", "key", "WSJF", "CoD", ...(anyPinned ? [""] : []), "title"];
  const heading = p.dryRun
    ? `WSJF order for ${what}, a preview (nothing changed):`
    : p.reorderId
      ? `Applied WSJF order to ${what} as one change:`
      : `WSJF order for ${what}:`;
  const after = p.dryRun
    ? ["Run it without --dry-run to apply it (pin items in place with --pin KEY)."]
    : p.reorderId
      ? [`Reorder ${p.reorderId}; undo it with: trainyard wsjf undo ${art} ${p.reorderId}`]
      : ["Nothing moved: the backlog is in WSJF order already."];
  return [
    heading,
    ...(rows.length ? table(header, rows, [true, false, true, true]) : []),
    `${p.moved} of ${p.items.length} ${plural(level)} move; agreement with WSJF ` +
      `${p.agreementBefore ?? "-"} → ${p.agreementAfter ?? "-"}.`,
    ...after,
  ].join("\n");
}

/** A team backlog ordered by its features' program rank: the moves and the drift before and after. */
export function alignmentText(art: string, team: string, a: TeamAlignment): string {
  if (a.items.length === 0) return `No stories in ${art}/${team} yet.`;
  const shown = a.items.filter((i) => i.from !== i.to);
  const moves = moveCells(shown);
  const rows = shown.map((i, n) => [moves[n] ?? "", i.key, i.featureKey ?? "-", i.title]);
  const heading = a.dryRun
    ? `${art}/${team} ordered by the program's feature rank, a preview (nothing changed):`
    : a.reorderId
      ? `Aligned ${art}/${team} to the program's feature rank as one change:`
      : `${art}/${team} follows the program's feature rank:`;
  const after = a.dryRun
    ? ["Run it without --dry-run to apply it."]
    : a.reorderId
      ? [`Reorder ${a.reorderId}; undo it with: trainyard wsjf undo ${art} ${a.reorderId}`]
      : ["Nothing moved: the team backlog is aligned already."];
  return [
    heading,
    ...(rows.length ? table(["from → to", "key", "feature", "title"], rows, [true]) : []),
    `Drift from program priorities: ${share(a.driftBefore)} → ${share(a.driftAfter)} of story pairs out of order; ` +
      `${a.moved} of ${a.items.length} move.`,
    ...after,
  ].join("\n");
}

/** An item's WSJF inputs and results after scoring it. */
export function scoreText(item: ItemView): string {
  const inputs = WSJF_COLUMNS.map((k) => `${WSJF_SHORT[k]} ${orDash(item[k])}`).join(", ");
  const missing = WSJF_COLUMNS.filter((k) => item[k] === null);
  const result = item.wsjf === null ? `WSJF ${missingText(missing)}` : `CoD ${item.costOfDelay}, WSJF ${item.wsjf}`;
  return `${item.key} (version ${item.version}): ${inputs} → ${result}${economicText(item)}`;
}

/** An item's economic fields after its WSJF, when it has any: Cost of Delay per week, urgency, date, duration, CD3. */
function economicText(item: ItemView): string {
  const { costOfDelayPerWeek: cod, urgency, fixedDate, durationWeeks } = item;
  if (cod === null && urgency === null && fixedDate === null && durationWeeks === null) return "";
  const parts = [
    `CoD/week ${orDash(cod)}`,
    urgency === null ? "no urgency profile" : URGENCY_LABELS[urgency].label.toLowerCase(),
    ...(fixedDate === null ? [] : [`date ${fixedDate}`]),
    `duration ${durationWeeks === null ? "-" : `${durationWeeks} wk`}`,
  ];
  return `; ${parts.join(", ")} → CD3 ${item.cd3 ?? "—"}`;
}

/** The first line of a markdown text, cut to `width` characters. */
const firstLine = (text: string, width = 60) => {
  const line = text.split("\n").find((l) => l.trim()) ?? "";
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
};

export const recordedFeedbackText = (f: RecordedFeedback): string =>
  `Recorded feedback ${f.id} from ${f.customer} (${f.source}, weight ${f.weight}, ${f.receivedOn})` +
  (f.items.length ? `, linked to ${f.items.join(", ")}.` : ".");

/** An ART's feedback, newest first: id, date, weight, customer, source, linked items and the start of the text. */
export function feedbackListText(art: string, items: readonly FeedbackEntry[]): string {
  if (items.length === 0) return `No feedback on ${art} yet.`;
  const rows = items.map((f) => [
    f.id,
    f.receivedOn,
    String(f.weight),
    f.customer,
    f.source,
    f.items.map((i) => i.key).join(", ") || "-",
    firstLine(f.body),
  ]);
  return table(["id", "received", "weight", "customer", "source", "items", "text"], rows, [
    false,
    false,
    true,
    false,
    false,
    false,
    false,
  ]).join("\n");
}

/** The items to re-score: feedback that arrived after their value was last estimated, heaviest first. */
export function feedbackReviewText(art: string, rows: readonly FeedbackReviewRow[]): string {
  if (rows.length === 0) return `Nothing to re-score on ${art}: no feedback arrived after the last estimates.`;
  return [
    `${art}: items with feedback since their value was last estimated (heaviest first):`,
    ...table(
      ["key", "new", "new weight", "all weight", "BV", "last estimated", "title"],
      rows.map((r) => [
        r.item.key,
        String(r.newFeedback),
        String(r.newWeight),
        String(r.totalWeight),
        orDash(r.item.businessValue),
        r.lastEstimatedAt ? r.lastEstimatedAt.slice(0, 10) : "never",
        r.item.title,
      ]),
      [false, true, true, true, true, false, false],
    ),
  ].join("\n");
}

/**
 * The economic view: the WSJF order and the CD3 order side by side (each CD3 row with its urgency, Cost of Delay per
 * week and how many places it moves against WSJF), fixed-date items' latest starts, what CD3 waits for, and how far
 * the two orders agree.
 */
export function economicsText(art: string, view: EconomicsView): string {
  if (view.items.length === 0) return `No ${plural(view.level)} in ${art} yet.`;
  const byId = new Map(view.items.map((i) => [i.id, i]));
  const at = (order: string[], n: number) => byId.get(order[n] as string) as EconomicsView["items"][number];
  const rows = view.items.map((_, n) => {
    const w = at(view.wsjfOrder, n);
    const c = at(view.cd3Order, n);
    const moved = c.wsjfPosition - c.cd3Position;
    return [
      String(n + 1),
      w.key,
      orDash(w.wsjf),
      "|",
      c.key,
      orDash(c.cd3),
      orDash(c.costOfDelayPerWeek),
      c.urgency === null ? "-" : URGENCY_LABELS[c.urgency].label.toLowerCase(),
      moved === 0 ? "=" : moved > 0 ? `▲${moved}` : `▼${-moved}`,
    ];
  });
  const dated = view.items.filter((i) => i.latestStart !== null);
  const waiting = view.items.filter((i) => i.cd3 === null);
  return [
    `${art} ${plural(view.level)} as of ${view.asOf}: WSJF order | CD3 order (CD3 = Cost of Delay per week ÷ duration):`,
    ...table(["#", "by WSJF", "WSJF", "|", "by CD3", "CD3", "CoD/week", "urgency", "vs WSJF"], rows, [
      true,
      false,
      true,
      false,
      false,
      true,
      true,
      false,
      false,
    ]),
    ...dated.map(
      (i) =>
        `${i.key} is due ${i.fixedDate}: start by ${i.latestStart} (${i.slackWeeks} weeks of slack` +
        `${(i.slackWeeks ?? 0) < 0 ? ": already late" : ""}).`,
    ),
    ...waiting.map(
      (i) => `${i.key} has no CD3 yet: missing ${i.missing.map((m) => ECONOMIC_FIELD_LABELS[m]).join(", ")}.`,
    ),
    view.agreement === null
      ? "Agreement between the orders: needs two items with both WSJF and CD3."
      : `Agreement between the orders: ${view.agreement} (Kendall tau: 1 same order, -1 reversed).`,
  ].join("\n");
}

/** An ART's estimation sessions, newest first: id, state, round, level, counts, facilitator and title. */
export function estimationSessionsText(art: string, items: readonly EstimationSessionSummary[]): string {
  if (items.length === 0) return `No estimation sessions on ${art} that you take part in.`;
  const rows = items.map((s) => [
    s.id,
    s.state,
    String(s.round),
    s.level,
    String(s.itemCount),
    String(s.participantCount),
    s.facilitator.name,
    s.title,
  ]);
  return table(["id", "state", "round", "level", "items", "people", "facilitator", "title"], rows, [
    false,
    false,
    true,
    false,
    true,
    true,
    false,
    false,
  ]).join("\n");
}

/**
 * One cell as the session table shows it: before reveal your score and the vote count (`5 (3 votes)`); after reveal the
 * proposal, the range and `!` for a wide disagreement (`5 [3-13]!`); a confirmed value as `=8 (confirmed)`.
 */
function estimationCellText(c: EstimationCell | undefined): string {
  if (!c) return "";
  if (c.confirmed) return `=${c.confirmed.value} (confirmed)`;
  if (c.scores !== null) {
    if (!c.spread) return "- (no votes)";
    return `${c.proposal} [${c.spread.min}-${c.spread.max}]${c.wideDisagreement ? "!" : ""}`;
  }
  return `${c.yours ?? "-"} (${c.votes} vote${c.votes === 1 ? "" : "s"})`;
}

/** A session as the caller sees it: its state, who takes part (and who is done), and one row per item. */
export function estimationSessionText(s: EstimationSessionView): string {
  const revealed = s.items.some((i) => Object.values(i.cells).some((c) => c?.scores));
  const people = s.participants.map(
    (p) => `${p.name}${p.id === s.facilitator.id ? " (facilitator)" : ""}${p.done ? " ✓" : ""}`,
  );
  const rows = s.items.map((i) => [i.key, ...s.inputs.map((k) => estimationCellText(i.cells[k])), i.title]);
  return [
    `${s.title} — ${s.state}, round ${s.round}, ${s.level}s (${s.id})`,
    `Participants: ${people.join(", ")}`,
    revealed ? "Cells: proposal [lowest-highest], ! = wide disagreement" : "Cells: your score (votes so far)",
    ...table(["key", ...s.inputs.map((k) => WSJF_SHORT[k]), "title"], rows, [false]),
  ].join("\n");
}

/** How many rows an export or import moved: the trains, items and history events, and all rows. */
export function rowsText(counts: Record<string, number>): string {
  const all = Object.values(counts).reduce((a, n) => a + n, 0);
  const n = (table: string) => (counts[table] ?? 0).toLocaleString("en-US");
  return `${n("arts")} trains, ${n("items")} items, ${n("events")} history events (${all.toLocaleString("en-US")} rows in all)`;
}
