// Accounts, roles, sessions, API tokens, password links, the audit log and server settings.
import type { RoleGrant } from "../core/permissions.js";
import type { Db } from "./schema.js";

export interface AccountRow {
  personId: string;
  name: string;
  email: string;
  passwordHash: string | null;
  admin: boolean;
  active: boolean;
  failedSignIns: number;
  lockedUntil: string | null;
  createdAt: string;
}

/** Who a session or a token belongs to, with the roles they hold: what every authenticated request needs. */
export interface Holder {
  personId: string;
  admin: boolean;
  active: boolean;
  grants: RoleGrant[];
}

// ---- settings

export async function readSetting(db: Db, key: string): Promise<string | undefined> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
}

/** Stores `value` under `key` unless some other server did first; returns the value that is stored. */
export async function settleSetting(db: Db, key: string, value: string): Promise<string> {
  await db
    .insertInto("settings")
    .values({ key, value })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  return (await readSetting(db, key)) as string;
}

// ---- accounts

const accountColumns = [
  "people.id as personId",
  "people.name",
  "people.email",
  "accounts.password_hash",
  "accounts.admin",
  "accounts.active",
  "accounts.failed_sign_ins",
  "accounts.locked_until",
  "accounts.created_at",
] as const;

function toAccount(r: {
  personId: string;
  name: string;
  email: string;
  password_hash: string | null;
  admin: number;
  active: number;
  failed_sign_ins: number;
  locked_until: string | null;
  created_at: string;
}): AccountRow {
  return {
    personId: r.personId,
    name: r.name,
    email: r.email,
    passwordHash: r.password_hash,
    admin: r.admin === 1,
    active: r.active === 1,
    failedSignIns: r.failed_sign_ins,
    lockedUntil: r.locked_until,
    createdAt: r.created_at,
  };
}

/** An account by its person's id or email (emails compare without case). */
export async function findAccount(db: Db, ref: string): Promise<AccountRow | undefined> {
  const row = await db
    .selectFrom("accounts")
    .innerJoin("people", "people.id", "accounts.person_id")
    .select(accountColumns)
    .where((eb) => eb.or([eb("people.id", "=", ref), eb(eb.fn("lower", ["people.email"]), "=", ref.toLowerCase())]))
    .executeTakeFirst();
  return row && toAccount(row);
}

export async function listAccounts(db: Db): Promise<AccountRow[]> {
  const rows = await db
    .selectFrom("accounts")
    .innerJoin("people", "people.id", "accounts.person_id")
    .select(accountColumns)
    .orderBy("people.name")
    .execute();
  return rows.map(toAccount);
}

export async function insertAccount(
  db: Db,
  a: { personId: string; passwordHash: string | null; admin: boolean; createdAt: string },
): Promise<void> {
  await db
    .insertInto("accounts")
    .values({
      person_id: a.personId,
      password_hash: a.passwordHash,
      admin: a.admin ? 1 : 0,
      active: 1,
      failed_sign_ins: 0,
      locked_until: null,
      created_at: a.createdAt,
      password_changed_at: a.passwordHash ? a.createdAt : null,
    })
    .execute();
}

export async function updateAccount(
  db: Db,
  personId: string,
  patch: Partial<{
    passwordHash: string;
    passwordChangedAt: string;
    admin: boolean;
    active: boolean;
    failedSignIns: number;
    lockedUntil: string | null;
  }>,
): Promise<void> {
  await db
    .updateTable("accounts")
    .set({
      ...(patch.passwordHash !== undefined && { password_hash: patch.passwordHash }),
      ...(patch.passwordChangedAt !== undefined && { password_changed_at: patch.passwordChangedAt }),
      ...(patch.admin !== undefined && { admin: patch.admin ? 1 : 0 }),
      ...(patch.active !== undefined && { active: patch.active ? 1 : 0 }),
      ...(patch.failedSignIns !== undefined && { failed_sign_ins: patch.failedSignIns }),
      ...(patch.lockedUntil !== undefined && { locked_until: patch.lockedUntil }),
    })
    .where("person_id", "=", personId)
    .execute();
}

/** Records a failed sign-in in one statement, so concurrent failures all count; returns the new count. */
export async function countFailedSignIn(db: Db, personId: string): Promise<number> {
  await db
    .updateTable("accounts")
    .set((eb) => ({ failed_sign_ins: eb("failed_sign_ins", "+", 1) }))
    .where("person_id", "=", personId)
    .execute();
  const row = await db
    .selectFrom("accounts")
    .select("failed_sign_ins")
    .where("person_id", "=", personId)
    .executeTakeFirstOrThrow();
  return row.failed_sign_ins;
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom("accounts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("admin", "=", 1)
    .where("active", "=", 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---- roles

export interface GrantRow extends RoleGrant {
  id: string;
  personId: string;
  createdAt: string;
}

export async function listGrants(db: Db, filter: { personId?: string; artId?: string }): Promise<GrantRow[]> {
  let q = db
    .selectFrom("role_grants")
    .select(["id", "person_id", "role", "art_id", "team_id", "created_at"])
    .orderBy("created_at")
    .orderBy("id");
  if (filter.personId) q = q.where("person_id", "=", filter.personId);
  if (filter.artId) q = q.where("art_id", "=", filter.artId);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    role: r.role as RoleGrant["role"],
    artId: r.art_id,
    teamId: r.team_id,
    createdAt: r.created_at,
  }));
}

export async function findGrant(db: Db, id: string): Promise<GrantRow | undefined> {
  const row = await db
    .selectFrom("role_grants")
    .select(["id", "person_id", "role", "art_id", "team_id", "created_at"])
    .where("id", "=", id)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      personId: row.person_id,
      role: row.role as RoleGrant["role"],
      artId: row.art_id,
      teamId: row.team_id,
      createdAt: row.created_at,
    }
  );
}

/** Adds a grant unless the person holds it already; returns whether it was added. */
export async function insertGrant(db: Db, g: GrantRow, by: string | null): Promise<boolean> {
  const result = await db
    .insertInto("role_grants")
    .values({
      id: g.id,
      person_id: g.personId,
      role: g.role,
      art_id: g.artId,
      team_id: g.teamId,
      scope_id: g.teamId ?? g.artId,
      created_at: g.createdAt,
      created_by: by,
    })
    .onConflict((oc) => oc.columns(["person_id", "role", "scope_id"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteGrant(db: Db, id: string): Promise<void> {
  await db.deleteFrom("role_grants").where("id", "=", id).execute();
}

// ---- who holds a session or token

type HolderRow = {
  person_id: string;
  admin: number;
  active: number;
  role: string | null;
  art_id: string | null;
  team_id: string | null;
};

function toHolder(rows: HolderRow[]): Holder | undefined {
  const first = rows[0];
  if (!first) return undefined;
  return {
    personId: first.person_id,
    admin: first.admin === 1,
    active: first.active === 1,
    grants: rows.flatMap((r) =>
      r.role && r.art_id ? [{ role: r.role as RoleGrant["role"], artId: r.art_id, teamId: r.team_id }] : [],
    ),
  };
}

// ---- sessions

export async function insertSession(
  db: Db,
  s: { id: string; personId: string; csrfToken: string; createdAt: string; expiresAt: string },
): Promise<void> {
  await db
    .insertInto("sessions")
    .values({
      id: s.id,
      person_id: s.personId,
      csrf_token: s.csrfToken,
      created_at: s.createdAt,
      last_seen_at: s.createdAt,
      expires_at: s.expiresAt,
    })
    .execute();
}

export interface SessionHolder extends Holder {
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

/** The session with this id (a keyed hash), its holder and their roles, in one query. */
export async function findSession(db: Db, id: string): Promise<SessionHolder | undefined> {
  const rows = await db
    .selectFrom("sessions")
    .innerJoin("accounts", "accounts.person_id", "sessions.person_id")
    .leftJoin("role_grants", "role_grants.person_id", "sessions.person_id")
    .select([
      "sessions.person_id",
      "sessions.csrf_token",
      "sessions.created_at",
      "sessions.last_seen_at",
      "sessions.expires_at",
      "accounts.admin",
      "accounts.active",
      "role_grants.role",
      "role_grants.art_id",
      "role_grants.team_id",
    ])
    .where("sessions.id", "=", id)
    .execute();
  const holder = toHolder(rows);
  const first = rows[0];
  return (
    holder &&
    first && {
      ...holder,
      csrfToken: first.csrf_token,
      createdAt: first.created_at,
      lastSeenAt: first.last_seen_at,
      expiresAt: first.expires_at,
    }
  );
}

export async function touchSession(db: Db, id: string, at: string, expiresAt: string): Promise<void> {
  await db.updateTable("sessions").set({ last_seen_at: at, expires_at: expiresAt }).where("id", "=", id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", id).execute();
}

/** Ends a person's sessions, all of them or all but one. */
export async function deleteSessionsOf(db: Db, personId: string, except?: string): Promise<void> {
  let q = db.deleteFrom("sessions").where("person_id", "=", personId);
  if (except) q = q.where("id", "!=", except);
  await q.execute();
}

export async function deleteExpiredSessions(db: Db, now: string): Promise<void> {
  await db.deleteFrom("sessions").where("expires_at", "<", now).execute();
}

// ---- API tokens

export interface TokenRow {
  id: string;
  personId: string;
  name: string;
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export async function insertToken(db: Db, t: TokenRow & { tokenHash: string }): Promise<void> {
  await db
    .insertInto("api_tokens")
    .values({
      id: t.id,
      person_id: t.personId,
      name: t.name,
      token_hash: t.tokenHash,
      hint: t.hint,
      created_at: t.createdAt,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
}

const tokenColumns = ["id", "person_id", "name", "hint", "created_at", "last_used_at", "revoked_at"] as const;
const toToken = (r: {
  id: string;
  person_id: string;
  name: string;
  hint: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}): TokenRow => ({
  id: r.id,
  personId: r.person_id,
  name: r.name,
  hint: r.hint,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export async function listTokens(db: Db, personId: string): Promise<TokenRow[]> {
  const rows = await db
    .selectFrom("api_tokens")
    .select(tokenColumns)
    .where("person_id", "=", personId)
    .orderBy("created_at", "desc")
    .execute();
  return rows.map(toToken);
}

export async function findToken(db: Db, id: string): Promise<TokenRow | undefined> {
  const row = await db.selectFrom("api_tokens").select(tokenColumns).where("id", "=", id).executeTakeFirst();
  return row && toToken(row);
}

export interface TokenHolder extends Holder {
  tokenId: string;
  lastUsedAt: string | null;
}

/** The live (unrevoked) token with this hash, its holder and their roles, in one query. */
export async function findTokenHolder(db: Db, tokenHash: string): Promise<TokenHolder | undefined> {
  const rows = await db
    .selectFrom("api_tokens")
    .innerJoin("accounts", "accounts.person_id", "api_tokens.person_id")
    .leftJoin("role_grants", "role_grants.person_id", "api_tokens.person_id")
    .select([
      "api_tokens.id as token_id",
      "api_tokens.last_used_at",
      "api_tokens.person_id",
      "accounts.admin",
      "accounts.active",
      "role_grants.role",
      "role_grants.art_id",
      "role_grants.team_id",
    ])
    .where("api_tokens.token_hash", "=", tokenHash)
    .where("api_tokens.revoked_at", "is", null)
    .execute();
  const holder = toHolder(rows);
  const first = rows[0];
  return holder && first && { ...holder, tokenId: first.token_id, lastUsedAt: first.last_used_at };
}

export async function touchToken(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable("api_tokens").set({ last_used_at: at }).where("id", "=", id).execute();
}

export async function revokeToken(db: Db, id: string, at: string): Promise<void> {
  await db
    .updateTable("api_tokens")
    .set({ revoked_at: at })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .execute();
}

export async function revokeTokensOf(db: Db, personId: string, at: string): Promise<void> {
  await db
    .updateTable("api_tokens")
    .set({ revoked_at: at })
    .where("person_id", "=", personId)
    .where("revoked_at", "is", null)
    .execute();
}

// ---- password links

export async function insertPasswordLink(
  db: Db,
  l: { id: string; personId: string; purpose: string; createdAt: string; expiresAt: string },
): Promise<void> {
  await db
    .insertInto("password_links")
    .values({
      id: l.id,
      person_id: l.personId,
      purpose: l.purpose,
      created_at: l.createdAt,
      expires_at: l.expiresAt,
      used_at: null,
    })
    .execute();
}

export async function findPasswordLink(db: Db, id: string) {
  return db
    .selectFrom("password_links")
    .select(["id", "person_id as personId", "purpose", "expires_at as expiresAt", "used_at as usedAt"])
    .where("id", "=", id)
    .executeTakeFirst();
}

/** Marks a link used; false if it was used already (by a concurrent request). */
export async function usePasswordLink(db: Db, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable("password_links")
    .set({ used_at: at })
    .where("id", "=", id)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Voids a person's unused links (a new one replaces them; deactivation ends them). */
export async function voidPasswordLinks(db: Db, personId: string, at: string): Promise<void> {
  await db
    .updateTable("password_links")
    .set({ used_at: at })
    .where("person_id", "=", personId)
    .where("used_at", "is", null)
    .execute();
}

// ---- audit log

export interface AuditEntry {
  id: number;
  at: string;
  kind: string;
  actorId: string | null;
  subjectId: string | null;
  artId: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
}

export async function recordAudit(db: Db, e: Omit<AuditEntry, "id">): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      at: e.at,
      kind: e.kind,
      actor_id: e.actorId,
      subject_id: e.subjectId,
      art_id: e.artId,
      ip: e.ip,
      detail: JSON.stringify(e.detail),
    })
    .execute();
}

export interface AuditQuery {
  /** Only entries about these ARTs (null: every entry). */
  artIds: readonly string[] | null;
  kinds?: readonly string[];
  personId?: string;
  from?: string;
  to?: string;
  /** Entries older than this id (newest first; the cursor of the previous page). */
  beforeId?: number;
  limit: number;
}

/** Audit entries, newest first. */
export async function listAudit(db: Db, q: AuditQuery): Promise<AuditEntry[]> {
  let query = db.selectFrom("audit_log").selectAll().orderBy("id", "desc").limit(q.limit);
  if (q.artIds) query = q.artIds.length ? query.where("art_id", "in", q.artIds) : query.where(({ lit }) => lit(false));
  if (q.kinds?.length) query = query.where("kind", "in", q.kinds);
  if (q.personId) {
    const p = q.personId;
    query = query.where((eb) => eb.or([eb("actor_id", "=", p), eb("subject_id", "=", p)]));
  }
  if (q.from) query = query.where("at", ">=", q.from);
  if (q.to) query = query.where("at", "<", q.to);
  if (q.beforeId !== undefined) query = query.where("id", "<", q.beforeId);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    kind: r.kind,
    actorId: r.actor_id,
    subjectId: r.subject_id,
    artId: r.art_id,
    ip: r.ip,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  }));
}

/** How many failed sign-ins came from `ip` since `since`: the per-address rate limit, shared by every server. */
export async function countFailuresFrom(db: Db, ip: string, since: string): Promise<number> {
  const row = await db
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("kind", "=", "sign_in_failed")
    .where("ip", "=", ip)
    .where("at", ">=", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
