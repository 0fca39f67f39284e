import {
  BrowserToPortal,
  fail,
  Result,
  type AckDataOf,
  type PayloadOf,
  type Result as ResultOf,
} from "@berth/protocol";
import type { BrowserSocket } from "./socket";

type Commands = typeof BrowserToPortal;

/** Browser → portal events that answer with an ack. */
export type AckCommand = {
  [E in keyof Commands]: Commands[E] extends { ack: unknown } ? E : never;
}[keyof Commands];

const TIMEOUT_MS = 10_000;

/**
 * Sends a command over the browser socket and resolves with its answer, never throwing: a link
 * that is down, a portal that does not answer in time or a malformed answer all become
 * `{ ok: false, error }` with a message fit for a toast. Nothing is queued while disconnected, so
 * keystrokes typed during an outage are not replayed later.
 */
export async function request<E extends AckCommand>(
  socket: BrowserSocket,
  event: E,
  payload: PayloadOf<Commands, E>,
  timeoutMs = TIMEOUT_MS,
): Promise<ResultOf<AckDataOf<Commands, E>>> {
  if (!socket.connected) return fail("INTERNAL", "Not connected to the portal. Reconnecting…");
  const emitter = socket.timeout(timeoutMs) as unknown as {
    emitWithAck(event: string, payload: unknown): Promise<unknown>;
  };
  let answer: unknown;
  try {
    answer = await emitter.emitWithAck(event, payload);
  } catch {
    return fail("INTERNAL", "The portal did not answer in time. Try again.");
  }
  const parsed = Result(BrowserToPortal[event].ack).safeParse(answer);
  if (!parsed.success) return fail("INTERNAL", "The portal sent an answer this page cannot read.");
  return parsed.data as ResultOf<AckDataOf<Commands, E>>;
}
