// What one browser socket may type into a console. A game console takes commands, so lines are
// counted (at most one a second, with a burst) and keystrokes without a line end only pass a byte
// bucket; a terminal is a shell, where pastes and editors are normal, so it gets a large byte bucket.
import {
  MAX_GAME_INPUT_CHARS,
  MAX_TERMINAL_INPUT_CHARS,
  rooms,
  utf8Bytes,
  type ConsoleRef,
  type WireError,
} from "@berth/protocol";
import { TokenBucket, tryTakeAll } from "./token-bucket";

export interface InputLimits {
  game: { linesPerSecond: number; lineBurst: number; bytesPerSecond: number; byteBurst: number };
  terminal: { bytesPerSecond: number; byteBurst: number };
  resize: { perSecond: number; burst: number };
}

export const DEFAULT_INPUT_LIMITS: InputLimits = {
  game: { linesPerSecond: 1, lineBurst: 10, bytesPerSecond: 4 * 1024, byteBurst: 16 * 1024 },
  terminal: { bytesPerSecond: 64 * 1024, byteBurst: 256 * 1024 },
  resize: { perSecond: 10, burst: 20 },
};

/** `\r\n` is one line end; a lone `\r` (what a terminal's Enter sends) or `\n` is one too. */
export function countLineEnds(data: string): number {
  return data.match(/\r\n|\r|\n/g)?.length ?? 0;
}

interface Buckets {
  lines?: TokenBucket;
  bytes: TokenBucket;
  resizes: TokenBucket;
}

/** One socket's input budget, kept per console it types into. */
export class InputLimiter {
  private readonly buckets = new Map<string, Buckets>();

  constructor(
    private readonly now: () => number,
    private readonly limits: InputLimits = DEFAULT_INPUT_LIMITS,
  ) {}

  /** null when `data` may be sent now (and its cost is taken); otherwise why not. */
  checkInput(ref: ConsoleRef, data: string): WireError | null {
    const game = ref.terminalId === null;
    const maxChars = game ? MAX_GAME_INPUT_CHARS : MAX_TERMINAL_INPUT_CHARS;
    if (data.length > maxChars) {
      return { code: "BAD_REQUEST", message: `Input too large (at most ${maxChars} characters).` };
    }
    const buckets = this.bucketsFor(ref);
    const bytes = utf8Bytes(data);
    if (buckets.lines) {
      const lines = countLineEnds(data);
      if (lines > buckets.lines.capacity) {
        return {
          code: "TOO_MANY_REQUESTS",
          message: `Too many lines at once (at most ${buckets.lines.capacity}).`,
        };
      }
      if (!buckets.lines.canTake(lines)) {
        return { code: "TOO_MANY_REQUESTS", message: "Too many commands; wait a moment." };
      }
      if (
        !tryTakeAll([
          [buckets.lines, lines],
          [buckets.bytes, bytes],
        ])
      ) {
        return { code: "TOO_MANY_REQUESTS", message: "Typing too fast; wait a moment." };
      }
      return null;
    }
    if (!buckets.bytes.tryTake(bytes)) {
      return { code: "TOO_MANY_REQUESTS", message: "Too much input at once; wait a moment." };
    }
    return null;
  }

  /** Whether a resize may be relayed now; extra ones are dropped (the last one wins anyway). */
  allowResize(ref: ConsoleRef): boolean {
    return this.bucketsFor(ref).resizes.tryTake(1);
  }

  forgetServer(serverId: string): void {
    for (const key of [...this.buckets.keys()]) {
      if (
        key === rooms.console(serverId, null) ||
        key.startsWith(`${rooms.console(serverId, null)}:`)
      )
        this.buckets.delete(key);
    }
  }

  private bucketsFor(ref: ConsoleRef): Buckets {
    const key = rooms.console(ref.serverId, ref.terminalId);
    let buckets = this.buckets.get(key);
    if (!buckets) {
      const { game, terminal, resize } = this.limits;
      const now = this.now;
      const limits = ref.terminalId === null ? game : terminal;
      buckets = {
        bytes: new TokenBucket({
          capacity: limits.byteBurst,
          refillPerSecond: limits.bytesPerSecond,
          now,
        }),
        resizes: new TokenBucket({
          capacity: resize.burst,
          refillPerSecond: resize.perSecond,
          now,
        }),
      };
      if (ref.terminalId === null) {
        buckets.lines = new TokenBucket({
          capacity: game.lineBurst,
          refillPerSecond: game.linesPerSecond,
          now,
        });
      }
      this.buckets.set(key, buckets);
    }
    return buckets;
  }
}
