// Credentials at rest: passwords hashed with scrypt (memory-hard, from node:crypto), and random secrets (session
// cookies, API tokens, password links) of which the database keeps only a keyed hash.
import { createHmac, randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/** scrypt's cost as a power of two: 17 (128 MiB, OWASP's recommendation) unless the operator chooses otherwise. */
export const DEFAULT_PASSWORD_COST = 17;
const BLOCK_SIZE = 8;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, cost: number, blockSize: number, parallel: number): Promise<Buffer> {
  const N = 2 ** cost;
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize("NFC"),
      salt,
      KEY_LENGTH,
      { N, r: blockSize, p: parallel, maxmem: 256 * N * blockSize },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

/** A self-describing hash: `scrypt$<cost>$<r>$<p>$<salt>$<key>`, so a later cost can still verify older hashes. */
export async function hashPassword(password: string, cost = DEFAULT_PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost, BLOCK_SIZE, 1);
  return ["scrypt", cost, BLOCK_SIZE, 1, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** Whether `password` matches `stored`; a null or malformed hash matches nothing but still costs the same time. */
export async function verifyPassword(
  password: string,
  stored: string | null,
  cost = DEFAULT_PASSWORD_COST,
): Promise<boolean> {
  const parts = stored?.split("$") ?? [];
  if (parts.length !== 6 || parts[0] !== "scrypt") {
    await derive(password, randomBytes(16), cost, BLOCK_SIZE, 1);
    return false;
  }
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(key, "base64url");
  const actual = await derive(password, Buffer.from(salt, "base64url"), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A new random secret, e.g. `ty_…` for an API token; 32 random bytes. */
export function newSecret(prefix = ""): string {
  return prefix + randomBytes(32).toString("base64url");
}

/** The keyed hash (HMAC-SHA-256 under the server's key) the database keeps of a secret. */
export function keyedHash(key: string, secret: string): string {
  return createHmac("sha256", key).update(secret).digest("base64url");
}
