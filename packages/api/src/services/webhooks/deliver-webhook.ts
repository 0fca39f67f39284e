import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from "./sign-webhook";

export interface DeliveryOptions {
  /** One attempt may take this long (connect to end of the response headers). */
  timeoutMs: number;
  /** Waits before the 2nd, 3rd… attempt; an empty list means one attempt only. */
  retryDelaysMs: number[];
}

export const DEFAULT_DELIVERY: DeliveryOptions = {
  timeoutMs: 5_000,
  retryDelaysMs: [2_000, 10_000],
};

export interface WebhookDelivery {
  ok: boolean;
  /** The last HTTP status, or null when no response came. */
  status: number | null;
  attempts: number;
  /** Why the last attempt failed (never containing the secret). */
  error: string | null;
}

/** Server errors, rate limits and timeouts may pass; other answers will not change on a retry. */
const retryable = (status: number | null) => status === null || status === 429 || status >= 500;

function describeFailure(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && err.name === "TimeoutError")
    return `no answer within ${timeoutMs} ms`;
  if (err instanceof Error && err.name === "AbortError") return "cancelled";
  const code = (err as { cause?: { code?: unknown } })?.cause?.code;
  if (typeof code === "string") return code;
  return err instanceof Error ? err.message : "request failed";
}

/**
 * POSTs one event as JSON, signed: `X-Berth-Timestamp` (unix seconds) and `X-Berth-Signature:
 * sha256=<hex HMAC of "<timestamp>.<body>">`. Retries with the configured waits; redirects are not
 * followed. Every attempt carries the same `X-Berth-Delivery` id, so a receiver can drop repeats.
 */
export async function deliverWebhook({
  url,
  secret,
  event,
  payload,
  options = DEFAULT_DELIVERY,
  signal,
}: {
  url: string;
  secret: string;
  event: string;
  payload: unknown;
  options?: DeliveryOptions;
  /** Aborts waiting and the attempt under way (e.g. at portal shutdown). */
  signal?: AbortSignal;
}): Promise<WebhookDelivery> {
  const body = JSON.stringify(payload);
  const deliveryId = randomUUID();
  let last: WebhookDelivery = { ok: false, status: null, attempts: 0, error: null };
  for (let attempt = 1; ; attempt++) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const timeout = AbortSignal.timeout(options.timeoutMs);
    try {
      const response = await fetch(url, {
        method: "POST",
        redirect: "manual",
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        headers: {
          "content-type": "application/json",
          "user-agent": "Berth-Webhook/1",
          "x-berth-event": event,
          "x-berth-delivery": deliveryId,
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
        },
        body,
      });
      await response.body?.cancel().catch(() => undefined);
      last = {
        ok: response.ok,
        status: response.status,
        attempts: attempt,
        error: response.ok ? null : `HTTP ${response.status}`,
      };
    } catch (err) {
      last = {
        ok: false,
        status: null,
        attempts: attempt,
        error: describeFailure(err, options.timeoutMs),
      };
    }
    const wait = options.retryDelaysMs[attempt - 1];
    if (last.ok || !retryable(last.status) || wait === undefined || signal?.aborted) return last;
    try {
      await sleep(wait, undefined, { signal });
    } catch {
      return last;
    }
  }
}
