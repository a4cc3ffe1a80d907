// What every command shares: the global options, the configuration, and where to work. With --database (or no
// server anywhere) a command opens the database and acts as its operator; with --server, $TRAINYARD_SERVER or the
// credentials `trainyard login` saved, the item commands call that server's API with a personal API token.
import type { Command } from "commander";
import { type Config, loadConfig } from "../config.js";
import { AppError, invalid } from "../core/errors.js";
import { type Operator, operator } from "../core/permissions.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { findPersonRef } from "../use-cases/set-up-train.js";
import { type Backend, localBackend } from "./backend.js";
import { credentialsPath, readCredentials } from "./credentials.js";
import { ApiClient, normalizeServer } from "./remote.js";

export interface GlobalOptions {
  database?: string;
  server?: string;
  token?: string;
  as?: string;
}

export type Target = { kind: "local" } | { kind: "remote"; server: string; token: string | null };

export interface CliContext {
  readonly env: Record<string, string | undefined>;
  readonly credentialsPath: string;
  options(): GlobalOptions;
  config(overrides?: Record<string, string>): Config;
  /** Where the item commands work: the database, or a server (and the token to use there). */
  target(): Target;
  /** For commands that only work on the database: refuses --server and --token. */
  localOnly(command: string): void;
  withRuntime<T>(work: (rt: Runtime) => Promise<T>): Promise<T>;
  /** The operator of the database; `--as` names whom changes are attributed to. */
  operatorOf(rt: Runtime): Promise<Operator>;
  /** A client for the target server, with its token; an error when there is no server or no token. */
  remote(): ApiClient;
  withBackend<T>(work: (backend: Backend) => Promise<T>): Promise<T>;
}

export function createContext(program: Command, env: Record<string, string | undefined>): CliContext {
  const path = credentialsPath(env);
  const options = () => program.opts<GlobalOptions>();

  const config = (overrides: Record<string, string> = {}) => {
    const o = options();
    return loadConfig({ ...env, ...(o.database ? { DATABASE_URL: o.database } : {}), ...overrides });
  };

  const target = (): Target => {
    const o = options();
    if (o.database && o.server) {
      throw invalid("server", "--database works on a database directly and --server on a server: give one of them");
    }
    if (o.database && o.token) throw invalid("token", "a token is for a server; with --database you are the operator");
    if (o.database) return { kind: "local" };
    const rawServer = o.server ?? env.TRAINYARD_SERVER;
    const token = o.token ?? env.TRAINYARD_TOKEN ?? null;
    if (rawServer) {
      const server = normalizeServer(rawServer);
      if (token) return { kind: "remote", server, token };
      const saved = readCredentials(path);
      return { kind: "remote", server, token: saved?.server === server ? saved.token : null };
    }
    if (env.DATABASE_URL && !o.token) return { kind: "local" };
    const saved = readCredentials(path);
    if (saved) return { kind: "remote", server: saved.server, token: token ?? saved.token };
    if (o.token) throw invalid("token", "say which server it is for: --server URL (or $TRAINYARD_SERVER)");
    return { kind: "local" };
  };

  const withRuntime = async <T>(work: (rt: Runtime) => Promise<T>): Promise<T> => {
    const c = config();
    const rt = await openRuntime(c.databaseUrl, {
      passwordCost: c.passwordCost,
      statementTimeoutMs: c.database?.statementTimeoutMs,
      poolSize: 2,
    });
    try {
      return await work(rt);
    } finally {
      await rt.close();
    }
  };

  const operatorOf = async (rt: Runtime): Promise<Operator> => {
    const ref = options().as;
    return operator(ref ? await findPersonRef(rt.deps, ref) : null);
  };

  const remote = (): ApiClient => {
    const t = target();
    if (t.kind === "local") {
      throw invalid("server", "this works on a server: log in with `trainyard login --server URL`, or give --server");
    }
    if (options().as) throw invalid("as", "on a server you act as the owner of the token; --as is for --database");
    if (!t.token) {
      throw new AppError(
        "unauthenticated",
        `No API token for ${t.server}: run \`trainyard login --server ${t.server}\`, or give --token.`,
      );
    }
    return new ApiClient(t.server, { token: t.token });
  };

  return {
    env,
    credentialsPath: path,
    options,
    config,
    target,
    localOnly(command) {
      const o = options();
      if (o.server || o.token) {
        throw invalid(
          "server",
          `\`trainyard ${command}\` works on the database directly: leave out --server and --token`,
        );
      }
    },
    withRuntime,
    operatorOf,
    remote,
    async withBackend(work) {
      if (target().kind === "remote") return work(remote());
      return withRuntime(async (rt) => work(localBackend(rt, await operatorOf(rt))));
    },
  };
}
