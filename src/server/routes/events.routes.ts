// Server-sent events: every change to an ART's backlogs, as it happens, for the screens looking at them.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { type Actor, canSee } from "../../core/permissions.js";
import { teamOfBacklog } from "../../core/work-item.js";
import type { Change, Deps } from "../../use-cases/deps.js";
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
      request: { params: z.object({ art: z.string().min(1).max(100) }) },
      responses: {
        200: {
          description: "An event stream of changes: kind, itemId, key, backlog, version, actorId",
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
      return streamSSE(c, async (stream) => {
        const queue: Change[] = [];
        let wake: (() => void) | null = null;
        const unsubscribe = deps.changes.subscribe((change) => {
          if (!visible(change)) return;
          queue.push(change);
          wake?.();
        });
        let open = true;
        stream.onAbort(() => {
          open = false;
          unsubscribe();
          wake?.();
        });
        await stream.writeSSE({ event: "ready", data: JSON.stringify({ artId: art.id }) });
        while (open) {
          const change = queue.shift();
          if (change) {
            await stream.writeSSE({ event: "change", data: JSON.stringify(change) });
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
        unsubscribe();
      }) as unknown as Response;
    },
  );
}
