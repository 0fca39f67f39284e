// The terminal tabs of this node's dev servers: at most MAX_TERMINALS_PER_SERVER per server, opened
// only while the server runs, all ended when it stops or is deleted. Every change goes out as the
// server's full list (terminal:update), so the portal never has to merge.
import { randomBytes } from "node:crypto";
import {
  MAX_TERMINALS_PER_SERVER,
  fail,
  ok,
  type DriverName,
  type Result,
  type ServerTerminals,
  type TerminalCreate,
  type TerminalInfo,
} from "@berth/protocol";
import type { ConsoleChannel } from "../console/console-channel";
import type { ConsoleHubOptions } from "../console/console-hub";
import { DriverError, type Driver, type ExecHandle, type ServerSpec } from "../drivers/driver";
import type { Clock } from "../instance/clock";
import type { InstanceLog } from "../instance/instance-log";
import type { ServerState } from "../instance/server-state";
import { terminalShell } from "../servers/dev-environment";
import { Terminal } from "./terminal";

/** What the registry needs to know of a server. */
export interface TerminalHost {
  kind: "game" | "dev";
  state: ServerState;
  spec: ServerSpec;
}

export interface TerminalRegistryOptions {
  driver: Driver;
  driverName: DriverName;
  /** The server as this node knows it, or null. */
  host: (serverId: string) => TerminalHost | null;
  clock: Clock;
  log: InstanceLog;
  onUpdate: (update: ServerTerminals) => void;
  hub?: Omit<ConsoleHubOptions, "clock">;
  closeGraceMs?: number;
}

interface ServerTerminalsEntry {
  terminals: Map<string, Terminal>;
  /** Creates under way, which hold a place. */
  pending: number;
  /** Bumped when the server's terminals are ended, so a create that was under way knows. */
  epoch: number;
}

const NOT_RUNNING = "The server is not running";

export class TerminalRegistry {
  readonly #options: TerminalRegistryOptions;
  readonly #servers = new Map<string, ServerTerminalsEntry>();

  constructor(options: TerminalRegistryOptions) {
    this.#options = options;
  }

  list(serverId: string): Result<ServerTerminals> {
    if (!this.#options.host(serverId)) return notHere(serverId);
    return ok(this.#listOf(serverId));
  }

  get(serverId: string, terminalId: string): Terminal | undefined {
    return this.#servers.get(serverId)?.terminals.get(terminalId);
  }

  channel(serverId: string, terminalId: string): ConsoleChannel | undefined {
    return this.get(serverId, terminalId)?.channel;
  }

  async create({ serverId, cols, rows, title }: TerminalCreate): Promise<Result<TerminalInfo>> {
    const host = this.#options.host(serverId);
    if (!host) return notHere(serverId);
    if (host.kind !== "dev") return fail("BAD_REQUEST", "Only dev servers have terminals");
    if (host.state !== "running") return fail("CONFLICT", NOT_RUNNING);
    const entry = this.#entry(serverId);
    if (entry.terminals.size + entry.pending >= MAX_TERMINALS_PER_SERVER) {
      return fail(
        "CONFLICT",
        `A server has at most ${MAX_TERMINALS_PER_SERVER} terminals; close one first`,
      );
    }
    const epoch = entry.epoch;
    entry.pending += 1;
    let handle: ExecHandle;
    try {
      handle = await this.#options.driver.exec(
        serverId,
        terminalShell(this.#options.driverName, host.spec, { cols, rows }),
      );
    } catch (error) {
      this.#options.log.warn({ serverId, err: error }, "cannot open a terminal");
      if (error instanceof DriverError && error.code === "CONFLICT") {
        return fail("CONFLICT", NOT_RUNNING);
      }
      return fail("INTERNAL", `Could not open a terminal: ${messageOf(error)}`);
    } finally {
      entry.pending -= 1;
    }
    const terminal = new Terminal({
      terminalId: this.#newId(entry),
      title: title ?? this.#defaultTitle(entry),
      handle,
      clock: this.#options.clock,
      log: this.#options.log,
      onExit: () => this.#changed(serverId),
      ...(this.#options.hub ? { hub: this.#options.hub } : {}),
      ...(this.#options.closeGraceMs === undefined
        ? {}
        : { closeGraceMs: this.#options.closeGraceMs }),
    });
    if (entry.epoch !== epoch || this.#options.host(serverId)?.state !== "running") {
      // The server stopped (or went) while the shell was being started.
      await terminal.close();
      return fail("CONFLICT", NOT_RUNNING);
    }
    entry.terminals.set(terminal.terminalId, terminal);
    this.#options.log.info({ serverId, terminalId: terminal.terminalId }, "terminal opened");
    this.#changed(serverId);
    return ok(terminal.info());
  }

  rename({
    serverId,
    terminalId,
    title,
  }: {
    serverId: string;
    terminalId: string;
    title: string;
  }): Result<TerminalInfo> {
    const terminal = this.get(serverId, terminalId);
    if (!terminal) return fail("NOT_FOUND", "No such terminal");
    terminal.title = title;
    this.#changed(serverId);
    return ok(terminal.info());
  }

  /** Ends the shell and forgets the tab; closing a tab that is not there is no error. */
  async close({
    serverId,
    terminalId,
  }: {
    serverId: string;
    terminalId: string;
  }): Promise<Result<{ closed: boolean }>> {
    const entry = this.#servers.get(serverId);
    const terminal = entry?.terminals.get(terminalId);
    if (!entry || !terminal) return ok({ closed: false });
    entry.terminals.delete(terminalId);
    this.#changed(serverId);
    await terminal.close();
    this.#options.log.info({ serverId, terminalId }, "terminal closed");
    return ok({ closed: true });
  }

  /** Ends every terminal of a server (it stopped, or is being deleted). */
  async closeServer(serverId: string): Promise<void> {
    const entry = this.#servers.get(serverId);
    if (!entry) return;
    entry.epoch += 1;
    const terminals = [...entry.terminals.values()];
    entry.terminals.clear();
    if (entry.pending === 0) this.#servers.delete(serverId);
    if (terminals.length === 0) return;
    this.#changed(serverId);
    await Promise.all(
      terminals.map((terminal) =>
        terminal.close().catch((error: unknown) => {
          this.#options.log.error({ serverId, err: error }, "cannot close a terminal");
        }),
      ),
    );
  }

  /** Ends every terminal on this node (the agent is stopping). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#servers.keys()].map((serverId) => this.closeServer(serverId)));
  }

  /** Bytes held by every terminal's console. */
  get heldBytes(): number {
    let bytes = 0;
    for (const entry of this.#servers.values()) {
      for (const terminal of entry.terminals.values()) bytes += terminal.channel.hub.heldBytes;
    }
    return bytes;
  }

  #entry(serverId: string): ServerTerminalsEntry {
    let entry = this.#servers.get(serverId);
    if (!entry) {
      entry = { terminals: new Map(), pending: 0, epoch: 0 };
      this.#servers.set(serverId, entry);
    }
    return entry;
  }

  #listOf(serverId: string): ServerTerminals {
    const terminals = [...(this.#servers.get(serverId)?.terminals.values() ?? [])]
      .map((terminal) => terminal.info())
      .sort((a, b) => a.createdAt - b.createdAt);
    return { serverId, terminals };
  }

  #changed(serverId: string): void {
    try {
      this.#options.onUpdate(this.#listOf(serverId));
    } catch (error) {
      this.#options.log.error({ err: error }, "terminal listener failed");
    }
  }

  /** "Terminal N" with the lowest N no open tab of the server is called. */
  #defaultTitle(entry: ServerTerminalsEntry): string {
    const taken = new Set([...entry.terminals.values()].map((terminal) => terminal.title));
    let n = 1;
    while (taken.has(`Terminal ${n}`)) n += 1;
    return `Terminal ${n}`;
  }

  #newId(entry: ServerTerminalsEntry): string {
    for (;;) {
      const id = `t${randomBytes(8).toString("hex")}`;
      if (!entry.terminals.has(id)) return id;
    }
  }
}

function notHere(serverId: string): Result<never> {
  return fail("NOT_FOUND", `Server ${serverId} is not on this node`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
