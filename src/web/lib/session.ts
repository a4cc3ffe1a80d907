// Who is signed in: the session query every screen hangs off (GET /session), and the moments it changes — signing in,
// out, or the server saying the session is over. A change of person drops everything cached for the one before.
import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api, setUnauthenticatedHandler } from "./api";
import type { Account, Session } from "./types";

export const sessionKey = ["session"] as const;

export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: api.session, staleTime: Number.POSITIVE_INFINITY, retry: 1 });
}

/** The signed-in person's account; only screens behind the sign-in gate call it. */
export function useMe(): Account {
  const { data } = useSession();
  if (!data?.account) throw new Error("useMe() needs a signed-in session");
  return data.account;
}

/** Starts a new session in the app: what the previous person loaded is forgotten, the new one's screens load. */
export function startSession(client: QueryClient, session: Session): void {
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
  client.setQueryData(sessionKey, session);
}

/** Signs out here: the server ends the session, the app forgets everything and shows the sign-in page. */
export async function signOut(client: QueryClient): Promise<void> {
  try {
    await api.signOut();
  } finally {
    startSession(client, { signedIn: false, needsFirstAdmin: false });
  }
}

/** Makes a 401 from any call re-read the session, which then shows the sign-in page. */
export function useSignInOnUnauthenticated(): void {
  const client = useQueryClient();
  useEffect(() => {
    setUnauthenticatedHandler(() => void client.invalidateQueries({ queryKey: sessionKey }));
    return () => setUnauthenticatedHandler(() => undefined);
  }, [client]);
}
