// The game console of every server on this node: one hub per server for the agent's lifetime, fed
// by whichever process run is current, so scrollback and numbering carry across restarts of the
// server. A server's console goes when the server is deleted.
import type { Clock } from "../instance/clock";
import { ConsoleChannel } from "./console-channel";
import type { ConsoleHubOptions } from "./console-hub";

export interface GameConsolesOptions {
  clock: Clock;
  /** Scrollback, throttle and queue sizes; the defaults suit a game console. */
  hub?: Omit<ConsoleHubOptions, "clock">;
}

export class GameConsoles {
  readonly #options: GameConsolesOptions;
  readonly #channels = new Map<string, ConsoleChannel>();

  constructor(options: GameConsolesOptions) {
    this.#options = options;
  }

  /** The server's console, made on first use. */
  open(serverId: string): ConsoleChannel {
    let channel = this.#channels.get(serverId);
    if (!channel) {
      channel = new ConsoleChannel({ ...this.#options.hub, clock: this.#options.clock });
      this.#channels.set(serverId, channel);
    }
    return channel;
  }

  get(serverId: string): ConsoleChannel | undefined {
    return this.#channels.get(serverId);
  }

  write(serverId: string, chunk: string): void {
    this.open(serverId).hub.write(chunk);
  }

  /** Hands pending output to the viewers now, e.g. before the server's exit is reported. */
  flush(serverId: string): void {
    this.#channels.get(serverId)?.hub.flush();
  }

  close(serverId: string): void {
    this.#channels.get(serverId)?.close();
    this.#channels.delete(serverId);
  }

  closeAll(): void {
    for (const channel of this.#channels.values()) channel.close();
    this.#channels.clear();
  }

  /** Bytes held by every console (scrollback, frames being made, viewer queues). */
  get heldBytes(): number {
    let bytes = 0;
    for (const channel of this.#channels.values()) bytes += channel.hub.heldBytes;
    return bytes;
  }
}
