// Starting the server: until an administrator exists it will not listen beyond this machine.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../config.js";
import { operator } from "../core/permissions.js";
import { openRuntime } from "../runtime.js";
import { createAccount } from "../use-cases/manage-accounts.js";
import { isLoopback, startServer } from "./serve.js";

const dir = await mkdtemp(join(tmpdir(), "trainyard-serve-"));
afterAll(() => rm(dir, { recursive: true, force: true }));
const config = (databaseUrl: string, host: string) => ({
  port: 0,
  host,
  databaseUrl,
  logLevel: "silent" as const,
  webDir: undefined,
  passwordCost: 14,
  trustProxy: false,
});

describe("starting the server", () => {
  it("refuses to listen on every address while there is no administrator", async () => {
    const url = join(dir, "fresh.db");
    await expect(startServer(config(url, "0.0.0.0"))).rejects.toThrow(ConfigError);
    const local = await startServer(config(url, "127.0.0.1"));
    const session = await fetch(`${local.url}/api/v1/session`).then((r) => r.json());
    expect(session).toEqual({ signedIn: false, needsFirstAdmin: true });
    await local.close();
  });

  it("listens on every address once an administrator exists, and serves nothing anonymously", async () => {
    const url = join(dir, "owned.db");
    const runtime = await openRuntime(url, { passwordCost: 14 });
    await createAccount(runtime.deps, operator(), {
      name: "Ada",
      email: "ada@example.com",
      admin: true,
      password: "a long enough password",
    });
    await runtime.close();
    const server = await startServer(config(url, "0.0.0.0"));
    try {
      const port = new URL(server.url).port;
      const arts = await fetch(`http://127.0.0.1:${port}/api/v1/arts`);
      expect(arts.status).toBe(401);
      expect(arts.headers.get("content-type")).toContain("application/problem+json");
    } finally {
      await server.close();
    }
  });

  it("knows which hosts are this machine only", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "::1", "localhost"]) expect(isLoopback(h)).toBe(true);
    for (const h of ["0.0.0.0", "::", "192.168.1.4", "example.com", "127.0.0.1.example.com"]) {
      expect(isLoopback(h)).toBe(false);
    }
  });
});
