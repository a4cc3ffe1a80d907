// What the CLI prints: one text form per kind of answer, the same whether it came from the database or a server,
// and with --json the answer itself.
import type { RoleGrant } from "../core/permissions.js";
import type { Art } from "../core/train.js";
import type { ApiToken } from "../use-cases/api-tokens.js";
import type { AuditPage } from "../use-cases/audit-trail.js";
import type { CheckReport } from "../use-cases/check-train.js";
import type { BacklogPage } from "../use-cases/list-backlog.js";
import type { Account } from "../use-cases/manage-accounts.js";
import type { ItemDetailView } from "./backend.js";

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

export const itemDetailText = (d: ItemDetailView): string =>
  [
    `${d.item.key}  ${d.item.title}`,
    `${d.item.level} · ${d.item.type} · ${d.item.state} · ${d.item.points ?? "-"} points · version ${d.item.version}`,
    ...(d.ancestors.length ? [`in: ${d.ancestors.map((a) => `${a.key} ${a.title}`).join(" › ")}`] : []),
    ...(d.item.description ? ["", d.item.description] : []),
    ...(d.item.acceptanceCriteria.length
      ? ["", "Acceptance criteria:", ...d.item.acceptanceCriteria.map((c, i) => `  ${i + 1}. ${c}`)]
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
