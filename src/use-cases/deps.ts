// What every use case is given: the database, a clock, an id source and the feed that tells listeners about changes.
import type { Kysely } from "kysely";
import type { Change } from "../core/item-views.js";
import type { Actor } from "../core/permissions.js";
import type { Database, Db } from "../store/schema.js";

export type { Actor, Change };

export interface ChangeFeed {
  publish(changes: readonly Change[]): void;
  subscribe(listener: (change: Change) => void): () => void;
}

export interface Deps {
  db: Kysely<Database>;
  clock: () => Date;
  newId: () => string;
  changes: ChangeFeed;
  auth: AuthSettings;
}

/** What signing in needs from the running server. */
export interface AuthSettings {
  /** The server key (made on first start, kept in the database, shared by every server): keys the hashes of secrets. */
  key: string;
  /** scrypt's cost for new password hashes, as a power of two. */
  passwordCost: number;
}

/**
 * Runs `work` in one transaction, then publishes what it changed. Inside a larger unit of work (deps from
 * `inOneTransaction`) it joins that transaction instead, so several use cases commit or fail together.
 */
export async function inTransaction<T>(
  deps: Deps,
  work: (db: Db) => Promise<{ result: T; changes: Change[] }>,
): Promise<T> {
  const { result, changes } = await withinTransaction(deps, work);
  if (changes.length > 0) deps.changes.publish(changes);
  return result;
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
 * held back until it commits (and dropped if it fails).
 */
export async function inOneTransaction<T>(deps: Deps, work: (deps: Deps) => Promise<T>): Promise<T> {
  const held: Change[] = [];
  const result = await deps.db
    .transaction()
    .execute((db) =>
      work({ ...deps, db, changes: { publish: (c) => held.push(...c), subscribe: deps.changes.subscribe } }),
    );
  if (held.length > 0) deps.changes.publish(held);
  return result;
}

/** An in-process change feed: enough for one server; a later issue fans changes out across instances. */
export function createLocalChangeFeed(): ChangeFeed {
  const listeners = new Set<(change: Change) => void>();
  return {
    publish(changes) {
      for (const change of changes) for (const l of listeners) l(change);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function now(deps: Deps): string {
  return deps.clock().toISOString();
}
