import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  FREE_FAILURES,
  lockoutAfter,
  passwordProblem,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  sessionExpiry,
} from "./account.js";

describe("account rules", () => {
  it("locks an account only after five failures, then for longer after each, never past 15 minutes", () => {
    for (let n = 0; n < FREE_FAILURES; n++) expect(lockoutAfter(n)).toBe(0);
    expect(lockoutAfter(5)).toBe(30_000);
    expect(lockoutAfter(6)).toBe(60_000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (n) => {
        expect(lockoutAfter(n + 1)).toBeGreaterThanOrEqual(lockoutAfter(n));
        expect(lockoutAfter(n)).toBeLessThanOrEqual(15 * 60_000);
      }),
    );
  });

  it("asks for long passwords that are not the email's name", () => {
    expect(passwordProblem("short")).toMatch(/at least 12/);
    expect(passwordProblem("aaaaaaaaaaaaaaa")).toMatch(/repetitive/);
    expect(passwordProblem("priya-rocks-the-train", "priya@example.com")).toMatch(/email/);
    expect(passwordProblem("correct horse battery staple", "priya@example.com")).toBeNull();
    expect(passwordProblem("x".repeat(150) + "y".repeat(51))).toMatch(/at most/);
  });

  it("keeps a session alive while it is used, up to its maximum age", () => {
    const created = "2026-11-01T00:00:00.000Z";
    expect(sessionExpiry(created, created)).toBe(new Date(Date.parse(created) + SESSION_IDLE_MS).toISOString());
    const late = new Date(Date.parse(created) + SESSION_MAX_MS - 1000).toISOString();
    expect(sessionExpiry(created, late)).toBe(new Date(Date.parse(created) + SESSION_MAX_MS).toISOString());
  });
});
