import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A high-entropy random secret, URL-safe. */
export const newSecret = (bytes = 32): string => randomBytes(bytes).toString("base64url");

/**
 * Tokens and credentials are 256-bit random values, so a plain sha256 is enough at rest (a slow
 * password hash protects low-entropy secrets; these are not).
 */
export const hashSecret = (secret: string): string =>
  createHash("sha256").update(secret).digest("hex");

export function secretMatchesHash(secret: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), "hex");
  const expected = Buffer.from(expectedHash, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
