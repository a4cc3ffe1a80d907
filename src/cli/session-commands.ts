// `trainyard login`, `logout`, `whoami` and `token …`: the CLI on a server with a personal API token. Logging in
// signs in once with email and password, makes a token for this machine, signs that session out again, and saves
// the server and the token (owner-only file). A token is printed once, by `token create`, and a password never.
import { hostname } from "node:os";
import type { Command } from "commander";
import { AppError, invalid } from "../core/errors.js";
import type { Account } from "../use-cases/manage-accounts.js";
import type { CliContext } from "./context.js";
import { deleteCredentials, readCredentials, type SavedCredentials, writeCredentials } from "./credentials.js";
import { accountText, print, tokensText } from "./output.js";
import { askLine, canPrompt, readPassword } from "./prompt.js";
import { ApiClient, normalizeServer } from "./remote.js";

const isLoopback = (server: string) => /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(new URL(server).hostname);

/** A database URL fit to print: a PostgreSQL URL's password is left out. */
function withoutPassword(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (!url.password) return databaseUrl;
    url.password = "";
    return url.toString();
  } catch {
    return databaseUrl;
  }
}

/** The id of `token` among its owner's tokens, found by its last four characters. */
async function findTokenId(client: ApiClient, token: string): Promise<string> {
  const matches = (await client.listTokens()).filter((t) => t.revokedAt === null && t.hint === token.slice(-4));
  const [only] = matches;
  if (matches.length !== 1 || !only) {
    throw new AppError(
      "conflict",
      "Cannot tell which of your tokens this is: find it with `trainyard token list` and run `trainyard token revoke <id>`.",
    );
  }
  return only.id;
}

export function addSessionCommands(program: Command, cx: CliContext): void {
  program
    .command("login")
    .description("sign in to a server and save a personal API token for this machine (or save one given with --token)")
    .option("--email <email>", "the email you sign in with (asked when left out)")
    .option("--password-stdin", "read the password from the first line of stdin instead of asking")
    .option("--token-name <name>", "what to call the token", `trainyard CLI on ${hostname()}`)
    .option("--json", "print JSON")
    .action(async (o: { email?: string; passwordStdin?: boolean; tokenName: string; json?: boolean }) => {
      const g = cx.options();
      if (g.database) throw invalid("database", "log in to a server: give --server, not --database");
      const rawServer = g.server ?? cx.env.TRAINYARD_SERVER;
      if (!rawServer) throw invalid("server", "say which server to log in to: --server URL");
      const server = normalizeServer(rawServer);
      if (!server.startsWith("https:") && !isLoopback(server)) {
        process.stderr.write(
          `warning: ${server} is not https: your password and token cross the network unencrypted\n`,
        );
      }
      const previous = readCredentials(cx.credentialsPath);
      let account: Account;
      let saved: SavedCredentials;
      if (g.token) {
        const client = new ApiClient(server, { token: g.token });
        account = await client.me();
        const tokenId = await findTokenId(client, g.token).catch(() => null);
        saved = { server, token: g.token, tokenId, email: account.email, madeByLogin: false, savedAt: "" };
      } else {
        if (!o.email && !canPrompt()) throw invalid("email", "say whose account: --email you@example.com");
        const email = (o.email ?? (await askLine("Email: "))).trim();
        const password = await readPassword(Boolean(o.passwordStdin));
        const session = await ApiClient.signIn(server, email, password);
        account = session.account;
        try {
          const made = await session.client.createToken(o.tokenName);
          saved = { server, token: made.token, tokenId: made.id, email: account.email, madeByLogin: true, savedAt: "" };
        } finally {
          await session.client.signOut().catch(() => undefined);
        }
      }
      // The token an earlier login made for this machine is replaced, so it is revoked rather than left behind.
      if (previous?.madeByLogin && previous.tokenId && previous.token !== saved.token) {
        const old = new ApiClient(previous.server, { token: previous.token });
        await old.revokeToken(previous.tokenId).catch(() => undefined);
      }
      writeCredentials(cx.credentialsPath, { ...saved, savedAt: new Date().toISOString() });
      print(
        Boolean(o.json),
        { server, account, tokenId: saved.tokenId, credentials: cx.credentialsPath },
        () =>
          `Logged in to ${server} as ${account.name} <${account.email}>.\n` +
          `Saved a personal API token to ${cx.credentialsPath}.`,
      );
    });

  program
    .command("logout")
    .description("revoke the saved API token on its server and forget it")
    .action(async () => {
      if (cx.options().token) {
        throw invalid("token", "logout revokes the saved token; revoke another with `trainyard token revoke <id>`");
      }
      const saved = readCredentials(cx.credentialsPath);
      if (!saved) {
        process.stdout.write("Not logged in.\n");
        return;
      }
      const client = new ApiClient(saved.server, { token: saved.token });
      let revoked = true;
      try {
        await client.revokeToken(saved.tokenId ?? (await findTokenId(client, saved.token)));
      } catch (e) {
        if (!(e instanceof AppError && e.code === "unauthenticated")) throw e;
        revoked = false;
      }
      deleteCredentials(cx.credentialsPath);
      process.stdout.write(
        revoked
          ? `Logged out of ${saved.server}: the token is revoked, and ${cx.credentialsPath} is removed.\n`
          : `The saved token was no longer valid on ${saved.server}; ${cx.credentialsPath} is removed.\n`,
      );
    });

  program
    .command("whoami")
    .description("the account the CLI acts as, with its roles (or the operator, on a database)")
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean }) => {
      if (cx.target().kind === "local") {
        const database = withoutPassword(cx.config().databaseUrl);
        const as = cx.options().as ?? null;
        print(
          Boolean(o.json),
          { database, operator: true, as },
          () => `The operator of ${database}, acting on it directly${as ? ` on behalf of ${as}` : ""}.`,
        );
        return;
      }
      const client = cx.remote();
      const [account, arts] = await Promise.all([client.me(), client.listArts()]);
      print(Boolean(o.json), { server: client.server, account }, () => accountText(account, arts, client.server));
    });

  const token = program.command("token").description("your personal API tokens on the server");

  token
    .command("create <name>")
    .description("make a personal API token for a script or integration: printed once, now")
    .option("--json", "print JSON")
    .action(async (name: string, o: { json?: boolean }) => {
      const made = await cx.remote().createToken(name);
      print(
        Boolean(o.json),
        made,
        () =>
          `Made the token '${made.name}' (${made.id}). It is shown this once; keep it secret:\n${made.token}\n` +
          "Use it as: Authorization: Bearer <token>, or trainyard --token <token>.",
      );
    });

  token
    .command("list")
    .description("your tokens (never the tokens themselves: their last four characters)")
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean }) => {
      const tokens = await cx.remote().listTokens();
      print(Boolean(o.json), tokens, () => tokensText(tokens));
    });

  token
    .command("revoke <id>")
    .description("revoke a token: it stops working at once")
    .action(async (id: string) => {
      await cx.remote().revokeToken(id);
      process.stdout.write(`Revoked the token ${id}.\n`);
    });
}
