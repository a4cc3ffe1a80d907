import { describe, expect, it } from "vitest";
import { hashPassword, keyedHash, newSecret, verifyPassword } from "./credentials.js";

describe("credentials at rest", () => {
  it("verifies a password against its scrypt hash and nothing else", async () => {
    const hash = await hashPassword("correct horse battery staple", 14);
    expect(hash).toMatch(/^scrypt\$14\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(hash).not.toContain("correct horse");
    expect(await verifyPassword("correct horse battery staple", hash, 14)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", hash, 14)).toBe(false);
    expect(await verifyPassword("correct horse battery staple", null, 14)).toBe(false);
    expect(await verifyPassword("correct horse battery staple", "plain", 14)).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same password here", 14)).not.toBe(await hashPassword("same password here", 14));
  });

  it("makes unguessable secrets and keeps only keyed hashes of them", () => {
    const a = newSecret("ty_");
    expect(a).toMatch(/^ty_[\w-]{43}$/);
    expect(newSecret()).not.toBe(newSecret());
    expect(keyedHash("k1", a)).toBe(keyedHash("k1", a));
    expect(keyedHash("k2", a)).not.toBe(keyedHash("k1", a));
    expect(keyedHash("k1", a)).not.toContain(a);
  });
});
