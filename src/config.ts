// Configuration, parsed once at start-up from the environment. A bad value lists every problem and stops the process.
import { z } from "zod";

export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4300),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z.string().min(1).default("data/trainyard.db"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TRAINYARD_WEB_DIR: z.string().optional(),
  /** scrypt's cost for new password hashes, as a power of two (14 = 16 MiB … 20 = 1 GiB). */
  TRAINYARD_PASSWORD_COST: z.coerce.number().int().min(14).max(20).default(17),
  /** Trust X-Forwarded-Proto and X-Forwarded-For from a reverse proxy that terminates TLS. */
  TRAINYARD_TRUST_PROXY: z.enum(["true", "false", "1", "0"]).default("false"),
  /** PostgreSQL: connections this server keeps open at most (each instance has its own pool). */
  TRAINYARD_DB_POOL: z.coerce.number().int().min(1).max(200).default(10),
  /** PostgreSQL: a statement running longer is cancelled and the request answered 503, in milliseconds. */
  TRAINYARD_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  logLevel: z.infer<typeof ConfigSchema>["LOG_LEVEL"];
  webDir: string | undefined;
  passwordCost: number;
  trustProxy: boolean;
  /** PostgreSQL's connection pool and statement timeout (SQLite has one connection and no timeout). */
  database?: { poolSize: number; statementTimeoutMs: number };
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Trainyard's configuration has problems:\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    logLevel: c.LOG_LEVEL,
    webDir: c.TRAINYARD_WEB_DIR,
    passwordCost: c.TRAINYARD_PASSWORD_COST,
    trustProxy: c.TRAINYARD_TRUST_PROXY === "true" || c.TRAINYARD_TRUST_PROXY === "1",
    database: { poolSize: c.TRAINYARD_DB_POOL, statementTimeoutMs: c.TRAINYARD_STATEMENT_TIMEOUT_MS },
  };
}
