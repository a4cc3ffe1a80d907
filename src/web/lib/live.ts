// Live updates: one EventSource per open ART. Each change the server pushes invalidates the lists and the open item
// it may affect, so a second browser sees moves and edits without reloading. Changes arrive in bursts (a move
// touches one item, an edit may move it to another backlog), so invalidations are batched for a moment. A change to an
// estimation session refetches that session (and the ART's list of sessions); it carries no scores.
import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { API } from "./api";
import { estimationKeys } from "./estimation";
import { isMoving, refreshAfterMoves } from "./move-queue";
import { queryKeys } from "./queries";
import { sessionKey } from "./session";
import type { Change } from "./types";

const BATCH_MS = 60;
const ANY_SESSION = "*";

/** Whether this screen hears about changes as they happen. */
export type LiveStatus = "connecting" | "live" | "offline";

export function useLiveUpdates(art: string | undefined): LiveStatus {
  const client = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  useEffect(() => {
    if (!art || typeof EventSource === "undefined") return;
    setStatus("connecting");
    const source = new EventSource(`${API}/arts/${encodeURIComponent(art)}/events`);
    // EventSource reconnects by itself; meanwhile the screen says it is not live. It gives up when the server refuses
    // (the session ended, or the role was revoked): the session is read again, which shows sign-in if need be.
    source.addEventListener("error", () => {
      const closed = source.readyState === EventSource.CLOSED;
      setStatus(closed ? "offline" : "connecting");
      if (closed) void client.invalidateQueries({ queryKey: sessionKey });
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let trains = false;
    let items = false;
    let sessions = new Set<string>();
    let connectedBefore = false;
    const flush = () => {
      timer = undefined;
      if (items || trains) refresh(client, art, trains);
      if (trains || sessions.size > 0) void client.invalidateQueries({ queryKey: estimationKeys.list(art) });
      // A change naming no session may concern any of them.
      if (sessions.has(ANY_SESSION)) void client.invalidateQueries({ queryKey: estimationKeys.all });
      else for (const id of sessions) void client.invalidateQueries({ queryKey: estimationKeys.session(id) });
      trains = false;
      items = false;
      sessions = new Set();
    };
    const schedule = () => {
      timer ??= setTimeout(flush, BATCH_MS);
    };
    source.addEventListener("ready", (event) => {
      setStatus("live");
      // After a reconnect the server first sends every change since the last one seen (EventSource sends its id);
      // only if it no longer can is everything of this ART read afresh.
      if (connectedBefore && !caughtUp(event as MessageEvent<string>)) {
        trains = true;
        void client.invalidateQueries({ queryKey: estimationKeys.all });
        schedule();
      }
      connectedBefore = true;
    });
    source.addEventListener("change", (event) => {
      let change: Change;
      try {
        change = JSON.parse((event as MessageEvent<string>).data) as Change;
      } catch {
        return;
      }
      if (change.kind === "train.changed") trains = true;
      else if (change.kind === "estimation.changed") sessions.add(change.sessionId ?? ANY_SESSION);
      // Item changes, and quality.changed (a finding dismissed or restored): the item's quality lives under its key
      // and the quality reports under the ART's backlogs, so both refresh.
      else items = true;
      schedule();
    });
    return () => {
      if (timer) clearTimeout(timer);
      source.close();
    };
  }, [art, client]);
  return status;
}

function caughtUp(event: MessageEvent<string>): boolean {
  try {
    return (JSON.parse(event.data) as { caughtUp?: boolean }).caughtUp === true;
  } catch {
    return false;
  }
}

function refresh(client: QueryClient, art: string, trains: boolean) {
  if (trains) void client.invalidateQueries({ queryKey: queryKeys.arts });
  if (isMoving()) refreshAfterMoves(art);
  else void client.invalidateQueries({ queryKey: queryKeys.backlogs(art) });
  // Only the open item's queries are active, so only they refetch; a change to a child, parent or related item
  // shows in it too.
  void client.invalidateQueries({ queryKey: queryKeys.items });
  void client.invalidateQueries({ queryKey: queryKeys.histories });
}
