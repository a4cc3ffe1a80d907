// The server and personal API token `trainyard login` saves: $XDG_CONFIG_HOME/trainyard/credentials.json (default
// ~/.config/trainyard), readable by its owner only (file 0600 in a 0700 folder), written whole or not at all.
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { z } from "zod";
import { AppError } from "../core/errors.js";

export const SavedCredentials = z.object({
  server: z.string().min(1),
  token: z.string().min(1),
  /** The token's id on the server, to revoke it on logout. */
  tokenId: z.string().nullable(),
  email: z.string(),
  /** Made by `trainyard login` for this machine (not a token given with --token), so logging in again revokes it. */
  madeByLogin: z.boolean(),
  savedAt: z.string(),
});
export type SavedCredentials = z.infer<typeof SavedCredentials>;

export function credentialsPath(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME?.trim() || join(homedir(), ".config");
  return join(base, "trainyard", "credentials.json");
}

/** The saved credentials, or null when there are none. A file Trainyard did not write is an error, not ignored. */
export function readCredentials(path: string): SavedCredentials | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") return null;
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  const result = SavedCredentials.safeParse(parsed);
  if (!result.success) {
    throw new AppError("invalid", `${path} is not a credentials file Trainyard wrote: remove it, then log in again.`);
  }
  return result.data;
}

export function writeCredentials(path: string, credentials: SavedCredentials): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

export function deleteCredentials(path: string): void {
  rmSync(path, { force: true });
}
