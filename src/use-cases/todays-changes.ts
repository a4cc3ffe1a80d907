// The stories an ART changed since its records were last kept (today's, mostly), which every dashboard and forecast
// of the day replays on top of the kept records (see metrics.ts). Each server keeps its last read per ART and then
// reads only what the events since add, instead of every story the day changed at every request: the day's first
// dashboard reads them all, the next ones a few rows. A read that cannot be proven whole is done again from scratch.
import type { FieldChange, MetricStory, ReworkNote } from "../core/metrics.js";
import { type ChangedStories, changedStories, type EventsRead } from "../store/metrics.store.js";
import type { Db } from "../store/schema.js";

interface Kept extends EventsRead {
  since: string;
  stories: Map<string, MetricStory>;
  changes: FieldChange[];
  notes: ReworkNote[];
  reachedBack: Set<string>;
}

/** Per database (one per server, or per test), per ART: the last read. */
const kept = new WeakMap<Db, Map<string, Kept>>();

/** The ART's stories created or changed since an instant, with their changes since then (see `changedStories`). */
export async function storiesChangedSince(db: Db, artId: string, since: string): Promise<ChangedStories> {
  const byArt = kept.get(db) ?? new Map<string, Kept>();
  kept.set(db, byArt);
  const before = byArt.get(artId);
  const usable = before?.since === since ? before : undefined;
  let read = await changedStories(db, artId, since, usable);
  if (!read.whole) read = await changedStories(db, artId, since);

  let next: Kept;
  if (usable && read.from > 0) {
    const stories = new Map(usable.stories);
    const changed = new Set(read.changed);
    for (const story of read.stories) if (stories.has(story.id) || changed.has(story.id)) stories.set(story.id, story);
    next = {
      ...read.read,
      since,
      stories,
      changes: [...usable.changes, ...read.changes],
      notes: [...usable.notes, ...read.notes],
      reachedBack: new Set([...usable.reachedBack, ...read.reachedBack]),
    };
  } else {
    next = {
      ...read.read,
      since,
      stories: new Map(read.stories.map((s) => [s.id, s])),
      changes: read.changes,
      notes: read.notes,
      reachedBack: new Set(read.reachedBack),
    };
  }
  // Two requests may read at once: keep the later read.
  const latest = byArt.get(artId);
  if (!latest || latest.since !== since || latest.last <= next.last) byArt.set(artId, next);
  return {
    stories: [...next.stories.values()],
    changes: next.changes,
    notes: next.notes,
    reachedBack: [...next.reachedBack],
  };
}
