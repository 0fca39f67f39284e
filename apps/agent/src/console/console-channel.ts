// One console as the link sees it: its hub, the id of this numbering of its output (`runId`: a new
// hub starts at offset 0 under a new id), and its end, which the link's streamers listen for.
import { randomUUID } from "node:crypto";
import type { Disposable } from "../drivers/driver";
import { ConsoleHub, type ConsoleHubOptions } from "./console-hub";

export class ConsoleChannel {
  readonly runId = randomUUID();
  readonly hub: ConsoleHub;
  readonly #closeListeners = new Set<() => void>();
  #closed = false;

  constructor(options: ConsoleHubOptions) {
    this.hub = new ConsoleHub(options);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Called once when the console goes away (at once if it already has). */
  onClose(listener: () => void): Disposable {
    if (this.#closed) {
      listener();
      return { dispose() {} };
    }
    this.#closeListeners.add(listener);
    return { dispose: () => this.#closeListeners.delete(listener) };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.hub.close();
    const listeners = [...this.#closeListeners];
    this.#closeListeners.clear();
    for (const listener of listeners) listener();
  }
}
