// Who is acting on a request. Until accounts exist (a later issue), a client names a person with the
// X-Trainyard-Person header (id or email); without it, changes are recorded without an author.
import type { MiddlewareHandler } from "hono";
import { invalid } from "../core/errors.js";
import { findPerson } from "../store/train.store.js";
import type { Actor, Deps } from "../use-cases/deps.js";

export type AppEnv = { Variables: { actor: Actor } };

export const PERSON_HEADER = "X-Trainyard-Person";

export function actorMiddleware(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ref = c.req.header(PERSON_HEADER);
    if (ref) {
      const person = await findPerson(deps.db, ref);
      if (!person) throw invalid(PERSON_HEADER, `no person '${ref}'`);
      c.set("actor", person.id);
    } else c.set("actor", null);
    await next();
  };
}
