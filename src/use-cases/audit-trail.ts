// The audit trail: sign-ins and failed sign-ins, account and role changes, token use. Administrators read all of it;
// an RTE reads the role changes of their ART. (Every backlog change, with its author, is the ART's history.)
import { z } from "zod";
import { AUDIT_KINDS, type AuditKind } from "../core/account.js";
import { AppError } from "../core/errors.js";
import { type Actor, can } from "../core/permissions.js";
import { type AuditEntry, findAccount, listAudit } from "../store/accounts.store.js";
import { listArts } from "../store/train.store.js";
import type { Deps } from "./deps.js";
import { parseInput } from "./item-input.js";

export { AUDIT_KINDS, type AuditKind };

export const AuditQuery = z.strictObject({
  kind: z.enum(AUDIT_KINDS).optional(),
  person: z.string().max(200).optional().describe("Entries by or about this person (id or email)"),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.coerce.number().int().positive().optional().describe("From the previous page's nextCursor"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export interface AuditTrailEntry extends Omit<AuditEntry, "actorId" | "subjectId" | "kind"> {
  kind: AuditKind;
  actor: { id: string; name: string } | null;
  subject: { id: string; name: string } | null;
}

export interface AuditPage {
  entries: AuditTrailEntry[];
  nextCursor: number | null;
}

export async function listAuditTrail(deps: Deps, actor: Actor, query: unknown): Promise<AuditPage> {
  const q = parseInput(AuditQuery, query);
  let artIds: string[] | null = null;
  if (actor.kind === "person" && !actor.admin) {
    const arts = await listArts(deps.db);
    artIds = arts.filter((a) => can(actor, "audit", { artId: a.id, teamId: null })).map((a) => a.id);
    if (artIds.length === 0) throw new AppError("forbidden", "Only administrators and RTEs can read the audit trail.");
  }
  let personId: string | undefined;
  if (q.person) personId = (await findAccount(deps.db, q.person))?.personId ?? "(nobody)";
  const rows = await listAudit(deps.db, {
    artIds,
    ...(q.kind ? { kinds: [q.kind] } : {}),
    ...(personId ? { personId } : {}),
    ...(q.from ? { from: new Date(q.from).toISOString() } : {}),
    ...(q.to ? { to: new Date(q.to).toISOString() } : {}),
    ...(q.cursor ? { beforeId: q.cursor } : {}),
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const names = new Map<string, string>();
  for (const id of new Set(page.flatMap((r) => [r.actorId, r.subjectId]).filter((x): x is string => x !== null))) {
    const account = await findAccount(deps.db, id);
    names.set(id, account?.name ?? id);
  }
  const who = (id: string | null) => (id === null ? null : { id, name: names.get(id) ?? id });
  return {
    entries: page.map(({ actorId, subjectId, kind, ...e }) => ({
      ...e,
      kind: kind as AuditKind,
      actor: who(actorId),
      subject: who(subjectId),
    })),
    nextCursor: rows.length > q.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}
