// The core stays pure: no database, no HTTP, no Node built-ins, nothing outside core but a rank-key library.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const coreDir = new URL(".", import.meta.url).pathname;
const ALLOWED_PACKAGES = new Set(["fractional-indexing"]);

function importsOf(file: string): string[] {
  const text = readFileSync(join(coreDir, file), "utf8");
  return [...text.matchAll(/^\s*(?:import|export)[^"']*from\s+["']([^"']+)["']/gm)].map((m) => m[1] as string);
}

describe("the core's boundary", () => {
  const files = readdirSync(coreDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

  it("has modules to check", () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it.each(files)("%s imports only core modules and allowed packages", (file) => {
    for (const spec of importsOf(file)) {
      const ok = spec.startsWith("./") ? !spec.includes("..") : ALLOWED_PACKAGES.has(spec);
      expect(ok, `${file} imports ${spec}`).toBe(true);
    }
  });
});
