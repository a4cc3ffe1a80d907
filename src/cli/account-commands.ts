// `trainyard user …` and `trainyard audit`: accounts, roles and the audit trail on the database directly, as its
// operator. This is how an operator makes the first administrator without the web page, and rescues a server whose
// administrators are locked out.
import { type Command, Option } from "commander";
import { notFound } from "../core/errors.js";
import { ROLES } from "../core/permissions.js";
import type { Runtime } from "../runtime.js";
import { AUDIT_KINDS, listAuditTrail } from "../use-cases/audit-trail.js";
import { grantRole, listRoles, revokeRole } from "../use-cases/grant-roles.js";
import {
  createAccount,
  inviteUser,
  listAccounts,
  type PasswordLink,
  resetPassword,
  updateAccount,
} from "../use-cases/manage-accounts.js";
import { getTrain, listTrains } from "../use-cases/set-up-train.js";
import type { RequestOrigin } from "../use-cases/sign-in.js";
import type { CliContext } from "./context.js";
import { accountsText, auditText, print, roleText } from "./output.js";
import { readNewPassword } from "./prompt.js";
import { normalizeServer } from "./remote.js";

/** Changes made here come from no address: they were made at the database. */
const AT_THE_DATABASE: RequestOrigin = { ip: null };

interface LinkOptions {
  url?: string;
  json?: boolean;
}

export function addAccountCommands(program: Command, cx: CliContext): void {
  /** The base of the links people open: --url, else the server this configuration would serve. */
  const linkBase = (url: string | undefined) => {
    if (url) return normalizeServer(url);
    const { host, port } = cx.config();
    const name = host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
    return `http://${name}:${port}`;
  };
  const linkOf = (link: PasswordLink, base: string) => ({
    purpose: link.purpose,
    url: `${base}/welcome#${link.secret}`,
    expiresAt: link.expiresAt,
  });

  /** Runs `work` on the database as its operator; the command refuses --server. */
  const local =
    <A extends unknown[]>(command: string, work: (rt: Runtime, ...args: A) => Promise<void>) =>
    (...args: A) => {
      cx.localOnly(command);
      return cx.withRuntime((rt) => work(rt, ...args));
    };

  const user = program
    .command("user")
    .description("accounts on the database directly, as its operator: create, invite, reset, (de)activate, roles");

  user
    .command("create")
    .description("create an account with a password (with --admin: an administrator, e.g. the first one)")
    .requiredOption("--email <email>", "their email, which they sign in with")
    .requiredOption("--name <name>", "their name")
    .option("--admin", "make them an administrator")
    .option("--password-stdin", "read the password from the first line of stdin instead of asking twice")
    .option("--json", "print JSON")
    .action(
      local(
        "user create",
        async (rt, o: { email: string; name: string; admin?: boolean; passwordStdin?: boolean; json?: boolean }) => {
          const password = await readNewPassword(Boolean(o.passwordStdin));
          const account = await createAccount(rt.deps, await cx.operatorOf(rt), {
            name: o.name,
            email: o.email,
            admin: Boolean(o.admin),
            password,
          });
          print(Boolean(o.json), account, () =>
            account.admin
              ? `Created the administrator ${account.name} <${account.email}>.`
              : `Created ${account.name} <${account.email}>; grant them roles with \`trainyard user grant\`.`,
          );
        },
      ),
    );

  user
    .command("list")
    .description("every account with its roles")
    .option("--json", "print JSON")
    .action(
      local("user list", async (rt, o: { json?: boolean }) => {
        const actor = await cx.operatorOf(rt);
        const accounts = await listAccounts(rt.deps, actor);
        const arts = await listTrains(rt.deps, actor);
        print(Boolean(o.json), accounts, () => accountsText(accounts, arts));
      }),
    );

  user
    .command("invite")
    .description("make an account without a password and print the one-time link (valid a week) to set one")
    .requiredOption("--email <email>", "their email")
    .requiredOption("--name <name>", "their name")
    .option("--admin", "make them an administrator")
    .option("--url <base>", "the server's address as people reach it (default: http://HOST:PORT of the config)")
    .option("--json", "print JSON")
    .action(
      local("user invite", async (rt, o: LinkOptions & { email: string; name: string; admin?: boolean }) => {
        const base = linkBase(o.url);
        const { account, link } = await inviteUser(
          rt.deps,
          await cx.operatorOf(rt),
          { name: o.name, email: o.email, admin: Boolean(o.admin) },
          AT_THE_DATABASE,
        );
        const shown = linkOf(link, base);
        print(
          Boolean(o.json),
          { account, link: shown },
          () =>
            `Invited ${account.name} <${account.email}>. Send them this link to set their password ` +
            `(it works once, until ${shown.expiresAt}):\n${shown.url}`,
        );
      }),
    );

  user
    .command("reset-password <email>")
    .description("print a one-time link (valid a day) for them to set a new password")
    .option("--url <base>", "the server's address as people reach it (default: http://HOST:PORT of the config)")
    .option("--json", "print JSON")
    .action(
      local("user reset-password", async (rt, email: string, o: LinkOptions) => {
        const base = linkBase(o.url);
        const link = linkOf(await resetPassword(rt.deps, await cx.operatorOf(rt), email, AT_THE_DATABASE), base);
        print(
          Boolean(o.json),
          link,
          () => `Send ${email} this link to set a new password (it works once, until ${link.expiresAt}):\n${link.url}`,
        );
      }),
    );

  const setAccount = (command: string, patch: { admin?: boolean; active?: boolean }, done: string) =>
    local(`user ${command}`, async (rt, email: string, o: { json?: boolean }) => {
      const account = await updateAccount(rt.deps, await cx.operatorOf(rt), email, patch, AT_THE_DATABASE);
      print(Boolean(o.json), account, () => `${account.name} <${account.email}> ${done}.`);
    });

  user
    .command("deactivate <email>")
    .description("stop an account signing in: ends its sessions and tokens (its history stays theirs)")
    .option("--json", "print JSON")
    .action(setAccount("deactivate", { active: false }, "is deactivated"));
  user
    .command("reactivate <email>")
    .description("let a deactivated account sign in again")
    .option("--json", "print JSON")
    .action(setAccount("reactivate", { active: true }, "is active again"));
  user
    .command("make-admin <email>")
    .description("make an account an administrator")
    .option("--json", "print JSON")
    .action(setAccount("make-admin", { admin: true }, "is an administrator"));
  user
    .command("remove-admin <email>")
    .description("make an administrator an ordinary account (the last one stays)")
    .option("--json", "print JSON")
    .action(setAccount("remove-admin", { admin: false }, "is no longer an administrator"));

  user
    .command("grant <email>")
    .description("grant a role on an ART, or with --team on one of its teams")
    .requiredOption("--art <art>", "ART key or id")
    .addOption(new Option("--role <role>", "the role").choices(ROLES).makeOptionMandatory())
    .option("--team <team>", "team key or id: the role is on that team only")
    .option("--json", "print JSON")
    .action(
      local(
        "user grant",
        async (rt, email: string, o: { art: string; role: string; team?: string; json?: boolean }) => {
          const actor = await cx.operatorOf(rt);
          const input = { person: email, role: o.role, ...(o.team ? { team: o.team } : {}) };
          const grant = await grantRole(rt.deps, actor, o.art, input, AT_THE_DATABASE);
          const arts = [await getTrain(rt.deps, o.art, actor)];
          print(Boolean(o.json), grant, () => `${grant.person.name} is ${roleText(grant, arts)}.`);
        },
      ),
    );

  user
    .command("revoke <email>")
    .description("revoke a role granted with `user grant`")
    .requiredOption("--art <art>", "ART key or id")
    .addOption(new Option("--role <role>", "the role").choices(ROLES).makeOptionMandatory())
    .option("--team <team>", "team key or id, when the role is on a team")
    .action(
      local("user revoke", async (rt, email: string, o: { art: string; role: string; team?: string }) => {
        const actor = await cx.operatorOf(rt);
        const art = await getTrain(rt.deps, o.art, actor);
        const team = o.team ? art.teams.find((t) => t.key === o.team || t.id === o.team) : null;
        if (team === undefined) throw notFound("team", `${art.key}/${o.team}`);
        const who = email.trim().toLowerCase();
        const grant = (await listRoles(rt.deps, actor, art.id)).find(
          (g) =>
            (g.person.email === who || g.person.id === email) && g.role === o.role && g.teamId === (team?.id ?? null),
        );
        const where = `${art.key}${team ? `/${team.key}` : ""}`;
        if (!grant) throw notFound("role", `${o.role} of ${email} on ${where}`);
        await revokeRole(rt.deps, actor, art.id, grant.id, AT_THE_DATABASE);
        process.stdout.write(`${grant.person.name} is no longer ${o.role} on ${where}.\n`);
      }),
    );

  program
    .command("audit")
    .description("the audit trail, newest first: sign-ins, failed sign-ins, account, role and token events")
    .addOption(new Option("--kind <kind>", "only this kind of event").choices(AUDIT_KINDS))
    .option("--person <person>", "only events by or about this person (id or email)")
    .option("--limit <n>", "how many", "50")
    .option("--cursor <cursor>", "nextCursor of the previous page")
    .option("--json", "print JSON")
    .action(
      local(
        "audit",
        async (rt, o: { kind?: string; person?: string; limit: string; cursor?: string; json?: boolean }) => {
          const query = {
            limit: o.limit,
            ...(o.kind ? { kind: o.kind } : {}),
            ...(o.person ? { person: o.person } : {}),
            ...(o.cursor ? { cursor: o.cursor } : {}),
          };
          const page = await listAuditTrail(rt.deps, await cx.operatorOf(rt), query);
          print(Boolean(o.json), page, () => auditText(page));
        },
      ),
    );
}
