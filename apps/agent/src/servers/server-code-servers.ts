// The code-servers of a node's dev servers: one supervisor per server whose spec asks for one,
// told when its server runs and stops. Commands run in the container as the dev user, with the
// same environment as its terminals (dev-environment.ts).
import type {
  CodeServerAction,
  CodeServerEvent,
  CodeServerStatus,
  Result,
  ServerSpecPayload,
} from "@berth/protocol";
import { fail } from "@berth/protocol";
import type { Logger } from "pino";
import { CODE_SERVER_MOUNT } from "../code-server/commands";
import {
  CodeServerSupervisor,
  type CodeServerTimings,
} from "../code-server/code-server-supervisor";
import type { Driver, ServerSpec } from "../drivers/driver";
import { runCommand } from "../drivers/run-command";
import type { Clock } from "../instance/clock";
import type { ServerState } from "../instance/server-state";
import type { CodeServerWishes } from "./code-server-wishes";
import { DEV_HOME, DEV_WORKSPACE, devEnvironment } from "./dev-environment";

export interface ServerCodeServersOptions {
  driver: Driver;
  clock: Clock;
  log: Logger;
  /** The driver's spec of a server (its environment), or null when it is gone. */
  driverSpec: (serverId: string) => ServerSpec | null;
  onStatus: (event: CodeServerEvent) => void;
  /** Where an owner's stop is kept; without it, a restarted agent starts code-server again. */
  wishes?: CodeServerWishes;
  timings?: Partial<CodeServerTimings>;
}

export class ServerCodeServers {
  private readonly supervisors = new Map<string, CodeServerSupervisor>();

  constructor(private readonly options: ServerCodeServersOptions) {}

  /** Follows a (new) spec: a supervisor when it asks for code-server, none when it does not. */
  sync(spec: ServerSpecPayload): void {
    const { serverId, codeServer } = spec;
    const existing = this.supervisors.get(serverId);
    if (!codeServer) {
      if (existing) this.forget(serverId);
      return;
    }
    if (existing) return;
    this.supervisors.set(
      serverId,
      new CodeServerSupervisor({
        serverId,
        layout: {
          root: CODE_SERVER_MOUNT,
          binPath: codeServer.artifact.binPath,
          home: DEV_HOME,
          workspace: DEV_WORKSPACE,
          port: codeServer.port,
        },
        host: (command, timeoutMs) => this.run(serverId, command, timeoutMs),
        clock: this.options.clock,
        log: this.options.log.child({ serverId, part: "code-server" }),
        onStatus: (status) => this.options.onStatus({ serverId, ...status }),
        ...(this.options.wishes ? { wish: this.options.wishes.of(serverId) } : {}),
        ...(this.options.timings ? { timings: this.options.timings } : {}),
      }),
    );
  }

  /**
   * The server changed state. When it came up with a code-server, resolves with code-server's
   * status once it is running or has failed; otherwise null.
   */
  stateChanged(serverId: string, state: ServerState): Promise<CodeServerStatus> | null {
    const supervisor = this.supervisors.get(serverId);
    if (!supervisor) return null;
    if (state === "running") return supervisor.serverUp();
    if (state !== "starting") supervisor.serverDown();
    return null;
  }

  status(serverId: string): CodeServerStatus | null {
    return this.supervisors.get(serverId)?.status ?? null;
  }

  act(serverId: string, action: CodeServerAction): Promise<Result<CodeServerStatus>> {
    const supervisor = this.supervisors.get(serverId);
    if (!supervisor) {
      return Promise.resolve(fail("NOT_FOUND", "This server has no code-server"));
    }
    return supervisor.act(action);
  }

  /** Stops supervising (the spec changed, or the server is going); what was wished stays. */
  forget(serverId: string): void {
    this.supervisors.get(serverId)?.dispose();
    this.supervisors.delete(serverId);
  }

  /** The server is deleted. */
  async deleted(serverId: string): Promise<void> {
    this.forget(serverId);
    await this.options.wishes?.forget(serverId);
  }

  dispose(): void {
    for (const supervisor of this.supervisors.values()) supervisor.dispose();
    this.supervisors.clear();
  }

  private async run(serverId: string, command: string[], timeoutMs: number) {
    const spec = this.options.driverSpec(serverId);
    if (!spec) throw new Error(`Server ${serverId} is not on this node`);
    const { user, cwd, env } = devEnvironment(this.options.driver.name, spec);
    return runCommand(
      this.options.driver,
      serverId,
      { command, cwd, env, ...(user ? { user } : {}) },
      { timeoutMs },
    );
  }
}
