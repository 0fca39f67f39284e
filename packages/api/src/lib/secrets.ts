import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A high-entropy random secret, URL-safe. */
export const newSecret = (bytes = 32): string => randomBytes(bytes).toString("base64url");

/**
 * A 256-bit token with a readable kind prefix (`berth_enroll_…`). The prefix tells a leaked token's
 * purpose at a glance and keeps it from starting with "-", which command-line parsers would take for
 * an option when the token is pasted after `--token`.
 */
export const newToken = (kind: "enroll" | "node"): string => `berth_${kind}_${newSecret()}`;

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
