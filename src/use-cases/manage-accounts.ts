// Accounts: the first administrator, invitations and password links, changing a password, and an administrator's
// hold over accounts (make or remove administrators, deactivate, reactivate). A deactivated account keeps its person,
// so everything they did stays attributed to them; it just cannot sign in, and its sessions and tokens end.
import { z } from "zod";
import { type Account, LINK_LIFETIME_MS, PASSWORD_MAX, passwordProblem } from "../core/account.js";
import { groupBy } from "../core/collections.js";
import { AppError, invalid, notFound } from "../core/errors.js";
import type { Actor, RoleGrant } from "../core/permissions.js";
import { hashPassword, keyedHash, newSecret, verifyPassword } from "../security/credentials.js";
import {
  type AccountRow,
  countActiveAdmins,
  deleteSessionsOf,
  findAccount,
  findPasswordLink,
  insertAccount,
  insertPasswordLink,
  listAccounts as listAccountRows,
  listGrants,
  recordAudit,
  revokeTokensOf,
  settleSetting,
  usePasswordLink,
  voidPasswordLinks,
  updateAccount as writeAccount,
} from "../store/accounts.store.js";
import type { Db } from "../store/schema.js";
import { findPerson, insertPeople } from "../store/train.store.js";
import { actorId, mustBeAdmin } from "./authorize.js";
import { type Deps, now, withinTransaction } from "./deps.js";
import { parseInput } from "./item-input.js";
import { type NewSession, type RequestOrigin, startSession } from "./sign-in.js";

const name = z.string().trim().min(1, "required").max(120);
const email = z
  .email("an email address")
  .max(200)
  .transform((e) => e.toLowerCase());
const password = z.string().max(PASSWORD_MAX);

export const FirstAdminInput = z.strictObject({ name, email, password });
export const NewAccountInput = z.strictObject({ name, email, admin: z.boolean().default(false), password });
export const InviteInput = z.strictObject({ name, email, admin: z.boolean().default(false) });
export const ChangePasswordInput = z.strictObject({ currentPassword: password, newPassword: password });
export const SetPasswordInput = z.strictObject({ link: z.string().min(1).max(200), password });
export type { Account };

export const AccountPatch = z
  .strictObject({ admin: z.boolean(), active: z.boolean() })
  .partial()
  .refine((p) => Object.keys(p).length > 0, "say what to change: admin or active");

/** A one-time link to set a password: its secret is shown once, to the administrator who made it. */
export interface PasswordLink {
  purpose: "invite" | "reset";
  secret: string;
  expiresAt: string;
}

function checkPassword(pw: string, mail?: string, path = "password"): void {
  const problem = passwordProblem(pw, mail);
  if (problem) throw invalid(path, problem);
}

async function present(db: Db, a: AccountRow): Promise<Account> {
  return presentWith(a, await listGrants(db, { personId: a.personId }));
}

function presentWith(a: AccountRow, roles: readonly (RoleGrant & { id: string })[]): Account {
  return {
    id: a.personId,
    name: a.name,
    email: a.email,
    admin: a.admin,
    active: a.active,
    hasPassword: a.passwordHash !== null,
    lockedUntil: a.lockedUntil,
    createdAt: a.createdAt,
    roles: roles.map(({ id, role, artId, teamId }) => ({ id, role, artId, teamId })),
  };
}

async function mustFindAccount(db: Db, ref: string): Promise<AccountRow> {
  const account = await findAccount(db, ref);
  if (!account) throw notFound("account", ref);
  return account;
}

/** Makes an account for a new or existing person (someone named on items before they had an account keeps their id). */
async function openAccount(
  deps: Deps,
  db: Db,
  input: { name: string; email: string; admin: boolean; passwordHash: string | null },
  at: string,
): Promise<string> {
  const existing = await findPerson(db, input.email);
  if (existing && (await findAccount(db, existing.id))) {
    throw new AppError("conflict", `${input.email} has an account already.`, {
      fields: [{ path: "email", message: "has an account already" }],
    });
  }
  const personId = existing?.id ?? deps.newId();
  if (!existing) await insertPeople(db, [{ id: personId, name: input.name, email: input.email }], at);
  await insertAccount(db, { personId, passwordHash: input.passwordHash, admin: input.admin, createdAt: at });
  return personId;
}

/** Whether the server still waits for its first administrator (the first-run page's first step). */
export async function needsFirstAdmin(deps: Deps): Promise<boolean> {
  return (await countActiveAdmins(deps.db)) === 0;
}

/**
 * The first-run step: creates the first administrator and signs them in. Only while there is no administrator;
 * after that, administrators invite everyone else.
 */
export async function createFirstAdmin(deps: Deps, input: unknown, origin: RequestOrigin): Promise<NewSession> {
  const p = parseInput(FirstAdminInput, input);
  checkPassword(p.password, p.email);
  const passwordHash = await hashPassword(p.password, deps.auth.passwordCost);
  const at = now(deps);
  return withinTransaction(deps, async (db) => {
    // Two first-run pages submitted at once: the one whose id the settings row keeps wins, the other is refused.
    const claim = deps.newId();
    const winner = await settleSetting(db, "first_admin_claim", claim);
    if (winner !== claim || (await countActiveAdmins(db)) > 0) {
      throw new AppError("conflict", "Trainyard has an administrator already: sign in instead.");
    }
    const personId = await openAccount(deps, db, { ...p, admin: true, passwordHash }, at);
    await recordAudit(db, {
      at,
      kind: "account_created",
      actorId: personId,
      subjectId: personId,
      artId: null,
      ip: origin.ip,
      detail: { admin: true, firstAdmin: true },
    });
    return startSession(deps, db, personId, at);
  });
}

/** An account with a password set now (the CLI's `user create`, or an administrator who hands it over in person). */
export async function createAccount(deps: Deps, actor: Actor, input: unknown): Promise<Account> {
  mustBeAdmin(actor);
  const p = parseInput(NewAccountInput, input);
  checkPassword(p.password, p.email);
  const passwordHash = await hashPassword(p.password, deps.auth.passwordCost);
  const at = now(deps);
  return withinTransaction(deps, async (db) => {
    const personId = await openAccount(deps, db, { ...p, passwordHash }, at);
    if (p.admin) await settleSetting(db, "first_admin_claim", personId);
    await recordAudit(db, {
      at,
      kind: "account_created",
      actorId: actorId(actor),
      subjectId: personId,
      artId: null,
      ip: null,
      detail: { admin: p.admin },
    });
    return present(db, await mustFindAccount(db, personId));
  });
}

async function issueLink(
  deps: Deps,
  db: Db,
  personId: string,
  purpose: PasswordLink["purpose"],
  at: string,
): Promise<PasswordLink> {
  await voidPasswordLinks(db, personId, at);
  const secret = newSecret();
  const expiresAt = new Date(Date.parse(at) + LINK_LIFETIME_MS[purpose]).toISOString();
  await insertPasswordLink(db, { id: keyedHash(deps.auth.key, secret), personId, purpose, createdAt: at, expiresAt });
  return { purpose, secret, expiresAt };
}

/** Invites someone: an account without a password, and a link (valid a week) for them to set one. */
export async function inviteUser(
  deps: Deps,
  actor: Actor,
  input: unknown,
  origin: RequestOrigin,
): Promise<{ account: Account; link: PasswordLink }> {
  mustBeAdmin(actor);
  const p = parseInput(InviteInput, input);
  const at = now(deps);
  return withinTransaction(deps, async (db) => {
    const personId = await openAccount(deps, db, { ...p, passwordHash: null }, at);
    const link = await issueLink(deps, db, personId, "invite", at);
    await recordAudit(db, {
      at,
      kind: "account_invited",
      actorId: actorId(actor),
      subjectId: personId,
      artId: null,
      ip: origin.ip,
      detail: { admin: p.admin },
    });
    return { account: await present(db, await mustFindAccount(db, personId)), link };
  });
}

/** An administrator's password reset: a new one-time link (valid a day); the old password works until it is used. */
export async function resetPassword(
  deps: Deps,
  actor: Actor,
  ref: string,
  origin: RequestOrigin,
): Promise<PasswordLink> {
  mustBeAdmin(actor);
  const at = now(deps);
  return withinTransaction(deps, async (db) => {
    const account = await mustFindAccount(db, ref);
    if (!account.active) throw new AppError("conflict", `${account.email} is deactivated; reactivate it first.`);
    const link = await issueLink(deps, db, account.personId, account.passwordHash ? "reset" : "invite", at);
    await recordAudit(db, {
      at,
      kind: "password_reset_issued",
      actorId: actorId(actor),
      subjectId: account.personId,
      artId: null,
      ip: origin.ip,
      detail: {},
    });
    return link;
  });
}

/** Sets a password with a one-time link (an invitation or a reset), ends every other session, and signs in. */
export async function setPasswordWithLink(deps: Deps, input: unknown, origin: RequestOrigin): Promise<NewSession> {
  const p = parseInput(SetPasswordInput, input);
  const at = now(deps);
  const id = keyedHash(deps.auth.key, p.link);
  const link = await findPasswordLink(deps.db, id);
  const expired = () =>
    new AppError("invalid", "This link is not valid any more: ask an administrator for a new one.", {
      fields: [{ path: "link", message: "unknown, used or expired" }],
    });
  if (!link || link.usedAt !== null || link.expiresAt <= at) throw expired();
  const account = await mustFindAccount(deps.db, link.personId);
  if (!account.active) throw expired();
  checkPassword(p.password, account.email);
  const passwordHash = await hashPassword(p.password, deps.auth.passwordCost);
  return withinTransaction(deps, async (db) => {
    if (!(await usePasswordLink(db, id, at))) throw expired();
    await writeAccount(db, account.personId, {
      passwordHash,
      passwordChangedAt: at,
      failedSignIns: 0,
      lockedUntil: null,
    });
    await deleteSessionsOf(db, account.personId);
    await recordAudit(db, {
      at,
      kind: "password_set",
      actorId: account.personId,
      subjectId: account.personId,
      artId: null,
      ip: origin.ip,
      detail: { via: link.purpose },
    });
    return startSession(deps, db, account.personId, at);
  });
}

/** Changes one's own password (the current one must be given) and ends one's other sessions. */
export async function changePassword(
  deps: Deps,
  personId: string,
  input: unknown,
  keepSession: string | null,
  origin: RequestOrigin,
): Promise<void> {
  const p = parseInput(ChangePasswordInput, input);
  const account = await mustFindAccount(deps.db, personId);
  if (!(await verifyPassword(p.currentPassword, account.passwordHash, deps.auth.passwordCost))) {
    throw invalid("currentPassword", "is not your current password");
  }
  checkPassword(p.newPassword, account.email, "newPassword");
  const passwordHash = await hashPassword(p.newPassword, deps.auth.passwordCost);
  const at = now(deps);
  await withinTransaction(deps, async (db) => {
    await writeAccount(db, personId, { passwordHash, passwordChangedAt: at });
    await deleteSessionsOf(db, personId, keepSession ? keyedHash(deps.auth.key, keepSession) : undefined);
    await recordAudit(db, {
      at,
      kind: "password_changed",
      actorId: personId,
      subjectId: personId,
      artId: null,
      ip: origin.ip,
      detail: {},
    });
  });
}

/** Makes or removes an administrator, deactivates or reactivates an account. The last administrator stays. */
export async function updateAccount(
  deps: Deps,
  actor: Actor,
  ref: string,
  input: unknown,
  origin: RequestOrigin,
): Promise<Account> {
  mustBeAdmin(actor);
  const p = parseInput(AccountPatch, input);
  const at = now(deps);
  return withinTransaction(deps, async (db) => {
    const account = await mustFindAccount(db, ref);
    const losesAdmin = account.admin && account.active && (p.admin === false || p.active === false);
    if (losesAdmin && (await countActiveAdmins(db)) <= 1) {
      throw new AppError("conflict", "This is the last administrator: make someone else one first.");
    }
    await writeAccount(db, account.personId, p);
    if (p.active === false && account.active) {
      await deleteSessionsOf(db, account.personId);
      await revokeTokensOf(db, account.personId, at);
      await voidPasswordLinks(db, account.personId, at);
    }
    if (p.active === true && !account.active) {
      await writeAccount(db, account.personId, { failedSignIns: 0, lockedUntil: null });
    }
    const audits: [string, boolean | undefined, boolean][] = [
      [p.admin ? "admin_granted" : "admin_revoked", p.admin, account.admin],
      [p.active ? "account_reactivated" : "account_deactivated", p.active, account.active],
    ];
    for (const [kind, wanted, was] of audits) {
      if (wanted === undefined || wanted === was) continue;
      await recordAudit(db, {
        at,
        kind,
        actorId: actorId(actor),
        subjectId: account.personId,
        artId: null,
        ip: origin.ip,
        detail: {},
      });
    }
    return present(db, await mustFindAccount(db, account.personId));
  });
}

/** Every account, for administrators; others may list accounts to grant roles to (RTEs), without sign-in details. */
export async function listAccounts(deps: Deps, actor: Actor): Promise<Account[]> {
  const rows = await listAccountRows(deps.db);
  if (actor.kind === "person" && !actor.admin) {
    if (!actor.grants.some((g) => g.role === "rte"))
      throw new AppError("forbidden", "Only administrators and RTEs can list accounts.");
    return rows
      .filter((r) => r.active)
      .map((r) => ({
        id: r.personId,
        name: r.name,
        email: r.email,
        admin: r.admin,
        active: true,
        hasPassword: r.passwordHash !== null,
        lockedUntil: null,
        createdAt: r.createdAt,
        roles: [],
      }));
  }
  const grants = groupBy(await listGrants(deps.db, {}), (g) => g.personId);
  return rows.map((r) => presentWith(r, grants.get(r.personId) ?? []));
}

/** One's own account, with one's roles. */
export async function getOwnAccount(deps: Deps, personId: string): Promise<Account> {
  return present(deps.db, await mustFindAccount(deps.db, personId));
}
