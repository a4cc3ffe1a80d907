// Server-sent events: every change to an ART's backlogs, as it happens, for the screens looking at them.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { type Actor, canSee } from "../../core/permissions.js";
import { teamOfBacklog } from "../../core/work-item.js";
import type { Change, ChangeEvent, Deps } from "../../use-cases/deps.js";
import { getTrain } from "../../use-cases/set-up-train.js";
import type { AppEnv } from "../auth.js";
import { errors } from "./common.js";

const HEARTBEAT_MS = 15_000;

export function eventRoutes(app: OpenAPIHono<AppEnv>, deps: Deps, heartbeatMs = HEARTBEAT_MS) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/events",
      tags: ["Backlogs"],
      summary: "Live changes to an ART's items (text/event-stream; each event is a `change` with a JSON body)",
      description:
        "Every change has an `id`, in the order the changes were made. A client that reconnects sends the last id it " +
        "saw as `Last-Event-ID` (EventSource does) and first gets every change after it. The first event, `ready`, " +
        "has the id to resume from and says whether the client is `caughtUp`: false when the changes after its " +
        "`Last-Event-ID` are no longer kept (a day) and it should read afresh.",
      request: {
        params: z.object({ art: z.string().min(1).max(100) }),
        headers: z.object({
          "last-event-id": z
            .string()
            .regex(/^\d{1,15}$/, "the id of a change this stream sent")
            .optional()
            .openapi({ description: "The id of the last change seen, to get every change after it" }),
        }),
      },
      responses: {
        200: {
          description:
            "An event stream: `ready` ({artId, caughtUp}), then `change` events (kind, itemId, key, backlog, version, " +
            "actorId), each with its id, and `ping` every 15 s",
          content: { "text/event-stream": { schema: z.string() } },
        },
        ...errors,
      },
    }),
    async (c) => {
      let actor: Actor = c.get("actor");
      const art = await getTrain(deps, c.req.valid("param").art, actor);
      const reauthenticate = c.get("reauthenticate");
      // A change to another team's backlog is not sent to someone who may not see that team.
      const visible = (change: Change) =>
        change.artId === art.id &&
        canSee(actor, { artId: art.id, teamId: change.backlog ? teamOfBacklog(change.backlog) : null });
      const lastSeen = c.req.valid("header")["last-event-id"];
      const queue: ChangeEvent[] = [];
      let wake: (() => void) | null = null;
      const subscription = await deps.changes.subscribe(
        art.id,
        lastSeen === undefined ? null : Number(lastSeen),
        (event) => {
          if (!visible(event.change)) return;
          queue.push(event);
          wake?.();
        },
      );
      return streamSSE(c, async (stream) => {
        let open = true;
        stream.onAbort(() => {
          open = false;
          subscription.close();
          wake?.();
        });
        await stream.writeSSE({
          event: "ready",
          id: String(subscription.from),
          data: JSON.stringify({ artId: art.id, caughtUp: subscription.caughtUp }),
        });
        while (open) {
          const event = queue.shift();
          if (event) {
            await stream.writeSSE({ event: "change", id: String(event.id), data: JSON.stringify(event.change) });
            continue;
          }
          const timedOut = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(true), heartbeatMs);
            wake = () => {
              clearTimeout(timer);
              resolve(false);
            };
          });
          wake = null;
          if (timedOut && open) {
            // Every heartbeat checks the credentials again: a signed-out session, a revoked token or a lost role
            // on the ART ends the stream.
            const member = await reauthenticate();
            if (!member || !canSee(member, { artId: art.id, teamId: null })) break;
            actor = member;
            await stream.writeSSE({ event: "ping", data: "" });
          }
        }
        subscription.close();
      }) as unknown as Response;
    },
  );
}
