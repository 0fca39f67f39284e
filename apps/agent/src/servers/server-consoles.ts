// The node's consoles as the link uses them: a server's game console (`terminalId: null`) and the
// terminals of dev servers, found by reference, typed into and resized. It also takes the server
// manager's news: output goes to the game console, a state change first flushes it, and a server
// that stops running loses its terminals.
import {
  MAX_GAME_INPUT_CHARS,
  fail,
  ok,
  type ConsoleInput,
  type ConsoleRef,
  type ConsoleResize,
  type Result,
} from "@berth/protocol";
import type { ConsoleChannel } from "../console/console-channel";
import type { GameConsoles } from "../console/game-consoles";
import type { ServerState } from "../instance/server-state";
import type { TerminalRegistry } from "../terminals/terminal-registry";
import type { ServerConsoleHooks } from "./server-manager";

/** What the consoles ask of the servers. */
export interface ConsoleServers {
  has(serverId: string): boolean;
  writeConsole(serverId: string, data: string): Result<Record<string, never>>;
  resizeConsole(serverId: string, cols: number, rows: number): Result<Record<string, never>>;
}

export class ServerConsoles implements ServerConsoleHooks {
  readonly games: GameConsoles;
  readonly terminals: TerminalRegistry;
  readonly #servers: ConsoleServers;

  constructor({
    games,
    terminals,
    servers,
  }: {
    games: GameConsoles;
    terminals: TerminalRegistry;
    servers: ConsoleServers;
  }) {
    this.games = games;
    this.terminals = terminals;
    this.#servers = servers;
  }

  channel({ serverId, terminalId }: ConsoleRef): Result<ConsoleChannel> {
    if (!this.#servers.has(serverId)) {
      return fail("NOT_FOUND", `Server ${serverId} is not on this node`);
    }
    const channel =
      terminalId === null
        ? this.games.open(serverId)
        : this.terminals.channel(serverId, terminalId);
    return channel ? ok(channel) : fail("NOT_FOUND", "No such terminal");
  }

  input({ serverId, terminalId, data }: ConsoleInput): Result<Record<string, never>> {
    if (terminalId !== null) {
      const terminal = this.terminals.get(serverId, terminalId);
      return terminal ? terminal.write(data) : fail("NOT_FOUND", "No such terminal");
    }
    if (data.length > MAX_GAME_INPUT_CHARS) {
      return fail(
        "BAD_REQUEST",
        `Input too large: a server console takes at most ${MAX_GAME_INPUT_CHARS} characters at once`,
      );
    }
    return this.#servers.writeConsole(serverId, data);
  }

  resize({ serverId, terminalId, cols, rows }: ConsoleResize): void {
    if (terminalId === null) this.#servers.resizeConsole(serverId, cols, rows);
    else this.terminals.get(serverId, terminalId)?.resize(cols, rows);
  }

  /** Bytes held by every console of the node. */
  get heldBytes(): number {
    return this.games.heldBytes + this.terminals.heldBytes;
  }

  /** Ends every terminal (their shells could not be reached after a restart) and every console. */
  async close(): Promise<void> {
    await this.terminals.closeAll();
    this.games.closeAll();
  }

  // --- the manager's news ------------------------------------------------------------------------

  opened(serverId: string): void {
    this.games.open(serverId);
  }

  output(serverId: string, chunk: string): void {
    this.games.write(serverId, chunk);
  }

  stateChanged(serverId: string, state: ServerState): void {
    this.games.flush(serverId);
    if (state !== "running") void this.terminals.closeServer(serverId);
  }

  deleted(serverId: string): void {
    void this.terminals.closeServer(serverId);
    this.games.close(serverId);
  }
}
