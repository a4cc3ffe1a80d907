import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("configuration", () => {
  it("defaults to an embedded SQLite file served on 127.0.0.1:4300", () => {
    expect(loadConfig({})).toMatchObject({
      port: 4300,
      host: "127.0.0.1",
      databaseUrl: "data/trainyard.db",
      logLevel: "info",
      database: { poolSize: 10, statementTimeoutMs: 30_000 },
    });
  });

  it("sizes PostgreSQL's pool and statement timeout, refusing values that make no sense", () => {
    expect(loadConfig({ TRAINYARD_DB_POOL: "25", TRAINYARD_STATEMENT_TIMEOUT_MS: "5000" }).database).toEqual({
      poolSize: 25,
      statementTimeoutMs: 5000,
    });
    expect(() => loadConfig({ TRAINYARD_DB_POOL: "0", TRAINYARD_STATEMENT_TIMEOUT_MS: "ten" })).toThrow(
      /TRAINYARD_DB_POOL: .*\n.*TRAINYARD_STATEMENT_TIMEOUT_MS: /,
    );
  });

  it("lists every bad value at once", () => {
    expect(() => loadConfig({ PORT: "eighty", LOG_LEVEL: "loud" })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: "eighty", LOG_LEVEL: "loud" });
    } catch (e) {
      expect((e as Error).message).toMatch(/PORT: .*\n.*LOG_LEVEL: /);
    }
  });
});
