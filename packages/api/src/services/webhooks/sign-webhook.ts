import { createHmac, timingSafeEqual } from "node:crypto";
import { newSecret } from "../../lib/secrets";

export const SIGNATURE_HEADER = "X-Berth-Signature";
export const TIMESTAMP_HEADER = "X-Berth-Timestamp";

/** A new signing secret; the HMAC key is this string exactly as shown to the user. */
export const newWebhookSecret = (): string => `whsec_${newSecret()}`;

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, keyed with the user's secret. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What a receiver does: recompute the signature and compare in constant time. */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string,
  body: string,
  signature: string,
): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const actual = Buffer.from(signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
