// A client of an ART's live changes (server-sent events over fetch), for the tests and the bench: it keeps every event
// with when it arrived, and can start from a Last-Event-ID like a reconnecting browser.
import { createParser, type EventSourceMessage } from "eventsource-parser";

export interface ReceivedEvent extends EventSourceMessage {
  /** performance.now() when it arrived. */
  at: number;
}

export interface EventStream {
  events: ReceivedEvent[];
  /** The `ready` event: where the stream starts and whether it caught up from the Last-Event-ID given. */
  ready: Promise<{ id: number; caughtUp: boolean }>;
  /** The id of the last event received (ready or change). */
  lastId(): number;
  /** Resolves once `count` change events have arrived (or rejects after `ms`). */
  changes(count: number, ms?: number): Promise<ReceivedEvent[]>;
  close(): void;
}

export async function openEventStream(
  url: string,
  options: { token: string; lastEventId?: number; onEvent?: (event: ReceivedEvent) => void },
): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: {
      Authorization: `Bearer ${options.token}`,
      Accept: "text/event-stream",
      ...(options.lastEventId === undefined ? {} : { "Last-Event-ID": String(options.lastEventId) }),
    },
    signal: abort.signal,
  });
  if (response.status !== 200 || !response.body) {
    throw new Error(`${url}: ${response.status} ${await response.text()}`);
  }
  const events: ReceivedEvent[] = [];
  let resolveReady: (ready: { id: number; caughtUp: boolean }) => void = () => {};
  const ready = new Promise<{ id: number; caughtUp: boolean }>((resolve) => {
    resolveReady = resolve;
  });
  let waiters: (() => void)[] = [];
  const parser = createParser({
    onEvent(message) {
      const event = { ...message, at: performance.now() };
      if (message.event === "ready") {
        resolveReady({ id: Number(message.id), caughtUp: JSON.parse(message.data).caughtUp === true });
      }
      if (message.event === "ping") return;
      events.push(event);
      options.onEvent?.(event);
      for (const w of waiters) w();
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        parser.feed(value);
      }
    } catch {
      // Closed.
    }
  })();
  const changes = () => events.filter((e) => e.event === "change");
  return {
    events,
    ready,
    lastId: () => Number(events.at(-1)?.id ?? options.lastEventId ?? 0),
    changes: (count, ms = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (changes().length < count) return false;
          waiters = waiters.filter((w) => w !== check);
          clearTimeout(timer);
          resolve(changes());
          return true;
        };
        const timer = setTimeout(
          () => reject(new Error(`${changes().length} of ${count} changes arrived in ${ms} ms`)),
          ms,
        );
        if (!check()) waiters.push(check);
      }),
    close: () => abort.abort(),
  };
}
