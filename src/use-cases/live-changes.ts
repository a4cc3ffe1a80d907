// Live changes: each server reads the change log onwards for every ART someone watches on it, and sends each change
// to those subscribers once and in order. It reads when a transaction of its own commits, when another server's
// notification arrives (PostgreSQL's LISTEN/NOTIFY), and every few seconds in case one was missed (a change made by
// the CLI on the same SQLite file, a dropped connection). A client that reconnects names the last change it saw and
// first gets everything after it from the log.
import { randomUUID } from "node:crypto";
import { type ChangeEvent, changeLogOf, changesAfter, forgetChanges } from "../store/changes.store.js";
import type { Db } from "../store/schema.js";
import { type ChangeFeed, type Deps, type Subscription, withinTransaction } from "./deps.js";

/** How long the change log keeps a change: a client away longer reads afresh. */
const KEEP_CHANGES_MS = 24 * 3_600_000;
/** How often an ART watched on this server is read anyway. */
const POLL_MS = 2_000;
/** Read this many changes at a time. */
const PAGE = 1_000;
/** A client that missed more than this many changes refreshes instead. */
const MAX_CATCH_UP = 10_000;

/** Where the feed hears of other servers' commits: `heard(artId)`, or `heard(null)` when it may have missed some. */
export type Notifications = (heard: (artId: string | null, origin: string) => void) => Promise<() => Promise<void>>;

interface Subscriber {
  listener: (event: ChangeEvent) => void;
}

/** One ART watched on this server: the last change sent, its subscribers, and one read at a time. */
interface Watched {
  sent: number;
  subscribers: Set<Subscriber>;
  /** Every read and every joining subscriber's catch-up, one after the other. */
  queue: Promise<void>;
  /** A read is queued and has not begun: another wake-up needs none of its own. */
  readPending: boolean;
}

export function createLiveChanges(
  db: Db,
  options: { notifications?: Notifications; pollMs?: number } = {},
): ChangeFeed {
  const origin = randomUUID();
  const watched = new Map<string, Watched>();
  let stopListening: Promise<(() => Promise<void>) | null> = Promise.resolve(null);
  let timer: ReturnType<typeof setInterval> | null = null;

  const enqueue = (w: Watched, task: () => Promise<void>) => {
    w.queue = w.queue.then(task).catch(() => {
      // A failed read is retried by the next wake-up or poll: nothing was marked sent.
    });
  };

  const read = (artId: string) => {
    const w = watched.get(artId);
    if (!w || w.readPending) return;
    w.readPending = true;
    enqueue(w, async () => {
      w.readPending = false;
      for (;;) {
        const events = await changesAfter(db, artId, w.sent, PAGE);
        for (const event of events) for (const s of w.subscribers) s.listener(event);
        if (events.length > 0) w.sent = events[events.length - 1]?.id ?? w.sent;
        if (events.length < PAGE) return;
      }
    });
  };

  const startWatching = () => {
    if (timer) return;
    timer = setInterval(() => {
      for (const artId of watched.keys()) read(artId);
    }, options.pollMs ?? POLL_MS);
    timer.unref();
    if (options.notifications) {
      stopListening = options
        .notifications((artId, from) => {
          if (artId === null) for (const id of watched.keys()) read(id);
          else if (from !== origin) read(artId);
        })
        .catch(() => null);
    }
  };

  return {
    origin,
    committed(artIds) {
      for (const artId of artIds) read(artId);
    },
    async subscribe(artId, after, listener): Promise<Subscription> {
      startWatching();
      let w = watched.get(artId);
      if (!w) {
        const log = await changeLogOf(db, artId);
        // Another subscriber may have started watching meanwhile.
        w = watched.get(artId) ?? {
          sent: log.latest,
          subscribers: new Set(),
          queue: Promise.resolve(),
          readPending: false,
        };
        watched.set(artId, w);
      }
      const art = w;
      const subscriber: Subscriber = { listener };
      // Joining is queued behind the reads before it: the catch-up ends where the last read ended, and the next read
      // goes on from there for everyone.
      const joined = new Promise<Subscription>((resolve, reject) => {
        enqueue(art, async () => {
          try {
            let caughtUp = after === null;
            if (after !== null) {
              const log = await changeLogOf(db, artId);
              caughtUp = after >= log.forgottenThrough && after <= art.sent;
              if (caughtUp) caughtUp = await catchUp(db, artId, after, art.sent, listener);
            }
            art.subscribers.add(subscriber);
            resolve({
              from: caughtUp && after !== null ? after : art.sent,
              caughtUp,
              close: () => {
                art.subscribers.delete(subscriber);
                if (art.subscribers.size === 0 && watched.get(artId) === art) watched.delete(artId);
              },
            });
          } catch (e) {
            if (art.subscribers.size === 0 && watched.get(artId) === art) watched.delete(artId);
            reject(e);
          }
        });
      });
      return joined;
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = null;
      watched.clear();
      const stop = await stopListening;
      await stop?.();
    },
  };
}

/** Sends a reconnecting subscriber the changes after `after` through `through`; false if there are too many. */
async function catchUp(
  db: Db,
  artId: string,
  after: number,
  through: number,
  listener: (event: ChangeEvent) => void,
): Promise<boolean> {
  const missed: ChangeEvent[] = [];
  let from = after;
  while (from < through) {
    const events = (await changesAfter(db, artId, from, PAGE)).filter((e) => e.id <= through);
    missed.push(...events);
    if (missed.length > MAX_CATCH_UP) return false;
    if (events.length < PAGE) break;
    from = events[events.length - 1]?.id ?? through;
  }
  for (const event of missed) listener(event);
  return true;
}

/** Forgets the changes logged more than a day ago; returns how many. */
export function forgetOldChanges(deps: Deps): Promise<number> {
  const before = new Date(deps.clock().getTime() - KEEP_CHANGES_MS).toISOString();
  return withinTransaction(deps, (db) => forgetChanges(db, before));
}
