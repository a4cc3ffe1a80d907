// Personal API tokens for the CLI and integrations: made, listed and revoked by their owner (or an administrator).
// A token is shown once, when it is made; the database keeps only its keyed hash and its last four characters.
import { z } from "zod";
import { notFound } from "../core/errors.js";
import type { Member } from "../core/permissions.js";
import { keyedHash, newSecret } from "../security/credentials.js";
import {
  findToken,
  insertToken,
  listTokens as listTokenRows,
  recordAudit,
  type TokenRow,
  revokeToken as writeRevoked,
} from "../store/accounts.store.js";
import { TOKEN_PREFIX } from "./authenticate.js";
import { type Deps, now, withinTransaction } from "./deps.js";
import { parseInput } from "./item-input.js";
import type { RequestOrigin } from "./sign-in.js";

export const TokenInput = z.strictObject({ name: z.string().trim().min(1, "required").max(100) });

export type ApiToken = Omit<TokenRow, "personId">;

const present = ({ personId: _, ...t }: TokenRow): ApiToken => t;

export async function createToken(
  deps: Deps,
  member: Member,
  input: unknown,
  origin: RequestOrigin,
): Promise<{ token: string; info: ApiToken }> {
  const { name } = parseInput(TokenInput, input);
  const token = newSecret(TOKEN_PREFIX);
  const at = now(deps);
  const row: TokenRow = {
    id: deps.newId(),
    personId: member.personId,
    name,
    hint: token.slice(-4),
    createdAt: at,
    lastUsedAt: null,
    revokedAt: null,
  };
  await withinTransaction(deps, async (db) => {
    await insertToken(db, { ...row, tokenHash: keyedHash(deps.auth.key, token) });
    await recordAudit(db, {
      at,
      kind: "token_created",
      actorId: member.personId,
      subjectId: member.personId,
      artId: null,
      ip: origin.ip,
      detail: { tokenId: row.id, name },
    });
  });
  return { token, info: present(row) };
}

export async function listTokens(deps: Deps, member: Member): Promise<ApiToken[]> {
  return (await listTokenRows(deps.db, member.personId)).map(present);
}

/** Revokes one of one's own tokens (an administrator may revoke anyone's). Revoking twice is harmless. */
export async function revokeToken(deps: Deps, member: Member, id: string, origin: RequestOrigin): Promise<void> {
  const at = now(deps);
  await withinTransaction(deps, async (db) => {
    const token = await findToken(db, id);
    if (!token || (token.personId !== member.personId && !member.admin)) throw notFound("token", id);
    if (token.revokedAt) return;
    await writeRevoked(db, id, at);
    await recordAudit(db, {
      at,
      kind: "token_revoked",
      actorId: member.personId,
      subjectId: token.personId,
      artId: null,
      ip: origin.ip,
      detail: { tokenId: id, name: token.name },
    });
  });
}
