// Who is behind a request: the holder of a session cookie or of a personal API token, as a Member with their roles.
import { SESSION_RENEW_MS, sessionExpiry, TOKEN_USE_AUDIT_MS } from "../core/account.js";
import type { Member } from "../core/permissions.js";
import { keyedHash } from "../security/credentials.js";
import {
  findSession,
  findTokenHolder,
  type Holder,
  recordAudit,
  touchSession,
  touchToken,
} from "../store/accounts.store.js";
import { type Deps, now, withinTransaction } from "./deps.js";
import type { RequestOrigin } from "./sign-in.js";

export const TOKEN_PREFIX = "ty_";

const memberOf = (h: Holder): Member => ({ kind: "person", personId: h.personId, admin: h.admin, grants: h.grants });

export interface SessionMember {
  member: Member;
  csrfToken: string;
}

/** The member a session cookie belongs to, or null if it is unknown, expired, or its account is deactivated. */
export async function authenticateSession(deps: Deps, sessionToken: string): Promise<SessionMember | null> {
  const id = keyedHash(deps.auth.key, sessionToken);
  const session = await findSession(deps.db, id);
  const at = now(deps);
  if (!session?.active || session.expiresAt <= at) return null;
  if (Date.parse(at) - Date.parse(session.lastSeenAt) > SESSION_RENEW_MS) {
    await touchSession(deps.db, id, at, sessionExpiry(session.createdAt, at));
  }
  return { member: memberOf(session), csrfToken: session.csrfToken };
}

/** The member a personal API token belongs to, or null if it is unknown, revoked, or its account deactivated. */
export async function authenticateToken(deps: Deps, token: string, origin: RequestOrigin): Promise<Member | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const holder = await findTokenHolder(deps.db, keyedHash(deps.auth.key, token));
  if (!holder?.active) return null;
  const at = now(deps);
  if (holder.lastUsedAt === null || Date.parse(at) - Date.parse(holder.lastUsedAt) > TOKEN_USE_AUDIT_MS) {
    await withinTransaction(deps, async (db) => {
      await touchToken(db, holder.tokenId, at);
      await recordAudit(db, {
        at,
        kind: "token_used",
        actorId: holder.personId,
        subjectId: holder.personId,
        artId: null,
        ip: origin.ip,
        detail: { tokenId: holder.tokenId },
      });
    });
  }
  return memberOf(holder);
}
