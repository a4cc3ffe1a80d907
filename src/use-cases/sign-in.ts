// Signing in with email and password, and out again. A sign-in always starts a new session (nothing a browser
// brought along is reused), and every failure looks the same whether or not the account exists, is locked or is
// deactivated. Failures slow the guesser down twice: the account locks with back-off, and the address is throttled.
import { z } from "zod";
import {
  ADDRESS_FAILURE_LIMIT,
  ADDRESS_WINDOW_MS,
  lockoutAfter,
  PASSWORD_MAX,
  SESSION_IDLE_MS,
} from "../core/account.js";
import { AppError } from "../core/errors.js";
import { keyedHash, newSecret, verifyPassword } from "../security/credentials.js";
import {
  countFailedSignIn,
  countFailuresFrom,
  deleteExpiredSessions,
  deleteSession,
  findAccount,
  insertSession,
  recordAudit,
  updateAccount,
} from "../store/accounts.store.js";
import type { Db } from "../store/schema.js";
import { type Deps, now, withinTransaction } from "./deps.js";
import { parseInput } from "./item-input.js";

export const SignInInput = z.strictObject({
  email: z.string().trim().min(1, "required").max(200),
  password: z.string().min(1, "required").max(PASSWORD_MAX),
});

/** Where a request came from, for the audit log and the per-address limit. */
export interface RequestOrigin {
  ip: string | null;
}

/** A new session: the cookie's value (shown to the browser only) and the token its writes must echo. */
export interface NewSession {
  sessionToken: string;
  csrfToken: string;
  personId: string;
  expiresAt: string;
}

export const SIGN_IN_FAILED =
  "Sign-in failed: the email or password is wrong, or the account is locked for a while after repeated failures.";

export async function signIn(deps: Deps, input: unknown, origin: RequestOrigin): Promise<NewSession> {
  const { email, password } = parseInput(SignInInput, input);
  const at = now(deps);
  if (origin.ip) {
    const since = new Date(Date.parse(at) - ADDRESS_WINDOW_MS).toISOString();
    if ((await countFailuresFrom(deps.db, origin.ip, since)) >= ADDRESS_FAILURE_LIMIT) {
      throw new AppError("rate_limited", "Too many failed sign-ins from this address; try again in a few minutes.", {
        data: { retryAfter: Math.ceil(ADDRESS_WINDOW_MS / 1000) },
      });
    }
  }
  const account = await findAccount(deps.db, email);
  const locked = account?.lockedUntil != null && account.lockedUntil > at;
  const usable = account?.active === true && !locked;
  // The hash is checked even when the answer is already no, so a failure takes as long either way.
  const matches = await verifyPassword(password, usable ? account.passwordHash : null, deps.auth.passwordCost);

  if (!account || !usable || !matches) {
    const reason = !account ? "unknown email" : !account.active ? "deactivated" : locked ? "locked" : "wrong password";
    await withinTransaction(deps, async (db) => {
      if (account?.active && !locked) {
        const failures = await countFailedSignIn(db, account.personId);
        const lockMs = lockoutAfter(failures);
        if (lockMs > 0)
          await updateAccount(db, account.personId, {
            lockedUntil: new Date(Date.parse(at) + lockMs).toISOString(),
          });
      }
      await recordAudit(db, {
        at,
        kind: "sign_in_failed",
        actorId: null,
        subjectId: account?.personId ?? null,
        artId: null,
        ip: origin.ip,
        detail: { email, reason },
      });
    });
    throw new AppError("unauthenticated", SIGN_IN_FAILED);
  }

  return withinTransaction(deps, async (db) => {
    await updateAccount(db, account.personId, { failedSignIns: 0, lockedUntil: null });
    await deleteExpiredSessions(db, at);
    const session = await startSession(deps, db, account.personId, at);
    await recordAudit(db, {
      at,
      kind: "sign_in",
      actorId: account.personId,
      subjectId: account.personId,
      artId: null,
      ip: origin.ip,
      detail: {},
    });
    return session;
  });
}

/** Opens a new session for a person who has just proved who they are. */
export async function startSession(deps: Deps, db: Db, personId: string, at: string): Promise<NewSession> {
  const sessionToken = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(Date.parse(at) + SESSION_IDLE_MS).toISOString();
  await insertSession(db, {
    id: keyedHash(deps.auth.key, sessionToken),
    personId,
    csrfToken,
    createdAt: at,
    expiresAt,
  });
  return { sessionToken, csrfToken, personId, expiresAt };
}

export async function signOut(deps: Deps, sessionToken: string, personId: string, origin: RequestOrigin) {
  const at = now(deps);
  await withinTransaction(deps, async (db) => {
    await deleteSession(db, keyedHash(deps.auth.key, sessionToken));
    await recordAudit(db, {
      at,
      kind: "sign_out",
      actorId: personId,
      subjectId: personId,
      artId: null,
      ip: origin.ip,
      detail: {},
    });
  });
}
