// What every use case is given: the database, a clock, an id source and the feed that tells listeners about changes.
import type { Kysely } from "kysely";
import type { Change } from "../core/item-views.js";
import type { Actor } from "../core/permissions.js";
import { type ChangeEvent, recordChanges } from "../store/changes.store.js";
import type { Database, Db } from "../store/schema.js";

export type { Actor, Change, ChangeEvent };

/**
 * How changes reach the screens watching an ART: each transaction logs its changes (`recordChanges`), then the feed of
 * every server reads the log onwards and sends each change to its subscribers, in order (see `live-changes.ts`).
 */
export interface ChangeFeed {
  /** This server's name in the notifications it sends: it is told of its own commits directly. */
  readonly origin: string;
  /** After a transaction that logged changes to these ARTs committed. */
  committed(artIds: readonly string[]): void;
  /**
   * Sends `listener` every change of the ART after `after` (what a reconnecting client last saw), or from now on.
   * `caughtUp` is false when changes after `after` can no longer be sent (forgotten, or an id this log never gave).
   */
  subscribe(artId: string, after: number | null, listener: (event: ChangeEvent) => void): Promise<Subscription>;
  close(): Promise<void>;
}

export interface Subscription {
  /** The id of the last change before this subscription's first: where a reconnect would start. */
  from: number;
  caughtUp: boolean;
  close(): void;
}

export interface Deps {
  db: Kysely<Database>;
  clock: () => Date;
  newId: () => string;
  changes: ChangeFeed;
  auth: AuthSettings;
  /** Inside a unit of work (`inOneTransaction`): the changes it has made so far, logged when it is about to commit. */
  held?: Change[];
}

/** What signing in needs from the running server. */
export interface AuthSettings {
  /** The server key (made on first start, kept in the database, shared by every server): keys the hashes of secrets. */
  key: string;
  /** scrypt's cost for new password hashes, as a power of two. */
  passwordCost: number;
}

/**
 * Runs `work` in one transaction, logging the changes it made in it, and tells this server's feed once it committed.
 * Inside a larger unit of work (deps from `inOneTransaction`) it joins that transaction instead, so several use cases
 * commit or fail together.
 */
export async function inTransaction<T>(
  deps: Deps,
  work: (db: Db) => Promise<{ result: T; changes: Change[] }>,
): Promise<T> {
  if (deps.held && deps.db.isTransaction) {
    const { result, changes } = await work(deps.db);
    deps.held.push(...changes);
    return result;
  }
  return inOneTransaction(deps, async (tx) => {
    const { result, changes } = await work(tx.db);
    publishOnCommit(tx, changes);
    return result;
  });
}

/**
 * Runs `work` in one transaction, or in the outer one it is part of; for changes no screen watches (accounts, roles,
 * the audit trail).
 */
export async function withinTransaction<T>(deps: Deps, work: (db: Db) => Promise<T>): Promise<T> {
  return deps.db.isTransaction ? work(deps.db) : deps.db.transaction().execute(work);
}

/**
 * Runs several use cases as one transaction: they get deps whose database is the transaction and whose changes are
 * held until it is about to commit, then logged in it (and dropped if it fails).
 */
export async function inOneTransaction<T>(deps: Deps, work: (deps: Deps) => Promise<T>): Promise<T> {
  const held: Change[] = [];
  const result = await deps.db.transaction().execute(async (db) => {
    const result = await work({ ...deps, db, held });
    await recordChanges(db, held, deps.changes.origin, now(deps));
    return result;
  });
  if (held.length > 0) deps.changes.committed([...new Set(held.map((c) => c.artId))]);
  return result;
}

/** Inside a unit of work: tells the screens about these changes once it commits. */
export function publishOnCommit(deps: Deps, changes: readonly Change[]): void {
  if (!deps.held)
    throw new Error("Changes are published from inside a unit of work (inTransaction, inOneTransaction).");
  deps.held.push(...changes);
}

export function now(deps: Deps): string {
  return deps.clock().toISOString();
}
