import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("configuration", () => {
  it("defaults to an embedded SQLite file served on 127.0.0.1:4300", () => {
    expect(loadConfig({})).toMatchObject({
      port: 4300,
      host: "127.0.0.1",
      databaseUrl: "data/trainyard.db",
      logLevel: "info",
    });
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
