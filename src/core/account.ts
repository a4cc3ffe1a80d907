// The rules of accounts: what a password must be, how long sessions and links last, and the back-off that slows
// guessing: an account locks for longer after each run of failed sign-ins, and an address is throttled too.
import type { RoleGrant } from "./permissions.js";

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;

/** What is wrong with a new password, or null. Long passphrases beat composition rules (NIST SP 800-63B). */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < PASSWORD_MIN) return `at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `at most ${PASSWORD_MAX} characters`;
  if (new Set(password).size < 4) return "too repetitive";
  if (email && password.toLowerCase().includes(email.toLowerCase().split("@")[0] as string))
    return "must not contain your email name";
  return null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A signed-in browser stays signed in this long after its last request, and never longer than SESSION_MAX. */
export const SESSION_IDLE_MS = 12 * HOUR;
export const SESSION_MAX_MS = 14 * 24 * HOUR;
/** How stale a session's last-seen time may get before a request renews it (one write per so many minutes). */
export const SESSION_RENEW_MS = 5 * MINUTE;
/** An invitation link is good for a week; a password reset link for a day. */
export const LINK_LIFETIME_MS = { invite: 7 * 24 * HOUR, reset: 24 * HOUR } as const;
/** Token use is recorded in the audit log at most once per token per hour. */
export const TOKEN_USE_AUDIT_MS = HOUR;

/** Failed sign-ins in a row an account may have before it locks. */
export const FREE_FAILURES = 5;
const FIRST_LOCK_MS = 30_000;
const LONGEST_LOCK_MS = 15 * MINUTE;

/**
 * How long an account stays locked after `failures` failed sign-ins in a row: not at all for the first five, then
 * 30 s, doubling with each further failure up to 15 minutes.
 */
export function lockoutAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(FIRST_LOCK_MS * 2 ** (failures - FREE_FAILURES), LONGEST_LOCK_MS);
}

/** Failed sign-ins one address may make in ADDRESS_WINDOW_MS, whichever accounts they name. */
export const ADDRESS_FAILURE_LIMIT = 20;
export const ADDRESS_WINDOW_MS = 15 * MINUTE;

/** A session's new expiry when used at `at`: idle time from now, capped by its maximum age. */
export function sessionExpiry(createdAt: string, at: string): string {
  return new Date(Math.min(Date.parse(at) + SESSION_IDLE_MS, Date.parse(createdAt) + SESSION_MAX_MS)).toISOString();
}

/** An account as people see it: never its password hash. */
export interface Account {
  id: string;
  name: string;
  email: string;
  admin: boolean;
  active: boolean;
  /** False while an invitation is not yet taken up. */
  hasPassword: boolean;
  lockedUntil: string | null;
  createdAt: string;
  roles: (RoleGrant & { id: string })[];
}

/** What the audit trail records. */
export const AUDIT_KINDS = [
  "sign_in",
  "sign_in_failed",
  "sign_out",
  "password_changed",
  "password_set",
  "password_reset_issued",
  "account_created",
  "account_invited",
  "account_deactivated",
  "account_reactivated",
  "admin_granted",
  "admin_revoked",
  "role_granted",
  "role_revoked",
  "token_created",
  "token_revoked",
  "token_used",
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];
