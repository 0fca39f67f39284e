import { MAX_GAME_INPUT_CHARS, MAX_TERMINAL_INPUT_CHARS, type ConsoleInput } from "@berth/protocol";
import type { BrowserSocket } from "@/lib/socket";
import { request } from "@/lib/socket-request";
import { toastWireError } from "@/lib/toast-error";

/** The largest input one message may carry to this console. */
export function inputLimit(terminalId: string | null): number {
  return terminalId === null ? MAX_GAME_INPUT_CHARS : MAX_TERMINAL_INPUT_CHARS;
}

/**
 * Sends keystrokes or a command line to a console. A refusal (rate limit, size cap, server not
 * running) is shown as a toast; resolves with whether the console took the input.
 */
export async function sendConsoleInput(
  socket: BrowserSocket,
  input: ConsoleInput,
): Promise<boolean> {
  const limit = inputLimit(input.terminalId);
  if (input.data.length > limit) {
    toastWireError({
      message: `That is too much to send at once (at most ${limit.toLocaleString("en-US")} characters).`,
    });
    return false;
  }
  const result = await request(socket, "console:input", input);
  if (!result.ok) toastWireError(result.error);
  return result.ok;
}
