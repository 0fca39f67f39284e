import type { z } from "zod";
import type { Catalog, PayloadOf, AckDataOf } from "./catalog";
import { fail, type Result } from "./errors";

/** The part of a Socket.IO socket this helper needs; keeps the package free of socket.io imports. */
export interface HandlerSocket {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

export interface HandlerLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

type Handler<C extends Catalog, E extends keyof C> = (
  payload: PayloadOf<C, E>,
) => Promise<Result<AckDataOf<C, E>>> | Result<AckDataOf<C, E>> | void | Promise<void>;

/**
 * Registers a handler that validates its payload and always acks: a thrown error or a bad payload
 * becomes `{ ok: false, error }`, so a caller never waits for a timeout because of a bug here.
 */
export function handle<C extends Catalog, E extends keyof C & string>(
  socket: HandlerSocket,
  catalog: C,
  event: E,
  handler: Handler<C, E>,
  log?: HandlerLogger,
): void {
  const spec = catalog[event]!;
  socket.on(event, async (...args: unknown[]) => {
    const maybeAck = args[args.length - 1];
    const ack = typeof maybeAck === "function" ? (maybeAck as (r: unknown) => void) : undefined;
    const parsed = (spec.payload as z.ZodType).safeParse(args[0]);
    if (!parsed.success) {
      log?.warn({ event, issues: parsed.error.issues.slice(0, 5) }, "invalid payload");
      ack?.(fail("BAD_REQUEST", `Invalid ${event} payload: ${parsed.error.issues[0]?.message}`));
      return;
    }
    try {
      const result = await handler(parsed.data as PayloadOf<C, E>);
      if (ack) ack(result ?? fail("INTERNAL", `${event} returned no result`));
    } catch (err) {
      log?.error({ event, err }, "handler failed");
      ack?.(fail("INTERNAL", `${event} failed`));
    }
  });
}
