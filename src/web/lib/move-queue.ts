// Optimistic reordering. A move shows at once in the cached list; the server hears about moves one at a time, in
// the order they were made, each naming the version it was made on. A move that fails (409: someone changed the
// item) rolls the list back, refreshes it and says why. While moves are in flight, live refreshes wait, so the
// list does not jump back and forth.
import type { QueryClient, QueryKey } from "@tanstack/react-query";
import { ApiError, api } from "./api";
import { queryKeys } from "./queries";
import { type MoveTarget, planMove, reorder } from "./reorder";
import { showToast } from "./toasts";
import type { WholeBacklog } from "./types";

let pending = 0;
let staleArts = new Set<string>();
let chain: Promise<void> = Promise.resolve();

/** True while a move is on its way to the server. */
export function isMoving(): boolean {
  return pending > 0;
}

/** Live changes arriving during moves: refresh the ART's lists once the moves are done. */
export function refreshAfterMoves(art: string): void {
  staleArts.add(art);
}

/** Moves the row `key` of the cached list `queryKey` (a backlog of ART `art`). */
export function moveRow(client: QueryClient, art: string, queryKey: QueryKey, key: string, target: MoveTarget): void {
  pending++;
  chain = chain
    .then(async () => {
      // A refetch in flight would overwrite the optimistic order when it lands: cancel it first.
      await client.cancelQueries({ queryKey });
      const before = client.getQueryData<WholeBacklog>(queryKey);
      if (!before) return;
      const plan = planMove(
        before.items.map((r) => r.key),
        key,
        target,
      );
      const row = before.items[plan?.from ?? -1];
      if (!plan || !row) return;
      // The server adds one to the version on a move; the next queued move of this row names that version.
      const moved = reorder(before.items, plan.from, plan.to).map((r) =>
        r.key === key ? { ...r, version: r.version + 1 } : r,
      );
      client.setQueryData<WholeBacklog>(queryKey, { ...before, items: moved });
      try {
        const item = await api.moveItem(key, plan.placement, row.version);
        client.setQueryData<WholeBacklog>(queryKey, (now) =>
          now
            ? {
                ...now,
                items: now.items.map((r) => (r.key === key ? { ...r, rank: item.rank, version: item.version } : r)),
              }
            : now,
        );
      } catch (error) {
        if (pending === 1) client.setQueryData<WholeBacklog>(queryKey, before);
        staleArts.add(art);
        showToast(moveFailure(key, error), "error");
      }
    })
    .catch((error: unknown) => {
      staleArts.add(art);
      showToast(moveFailure(key, error), "error");
    })
    .finally(() => {
      pending--;
      if (pending === 0 && staleArts.size > 0) {
        const arts = staleArts;
        staleArts = new Set();
        for (const a of arts) void client.invalidateQueries({ queryKey: queryKeys.backlogs(a) });
      }
    });
}

function moveFailure(key: string, error: unknown): string {
  if (error instanceof ApiError && error.status === 409) return `${key} was changed by someone else — list refreshed`;
  if (error instanceof ApiError && error.status === 404) return `${key} no longer exists — list refreshed`;
  const reason = error instanceof Error ? error.message : String(error);
  return `Could not move ${key}: ${reason}`;
}
