// The agent's servers: one ServerInstance each, made from the specs the portal provisions and
// remembered on disk, so a restarted agent reattaches to what is running instead of restarting it.
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import {
  fail,
  ok,
  type CodeServerAction,
  type CodeServerEvent,
  type CodeServerStatus,
  type ErrorCode,
  type Inventory,
  type PowerAction,
  type ProvisionStage,
  type RuntimeArtifact,
  type Result,
  type ServerCrashEvent,
  type ServerProgressEvent,
  type ServerSnapshot,
  type ServerSpecPayload,
  type ServerStateEvent,
  type StatsSample,
} from "@berth/protocol";
import pino, { type Logger } from "pino";
import { DriverError, type Driver, type ServerSpec } from "../drivers/driver";
import { systemClock, type Clock } from "../instance/clock";
import type { PowerResult, StateChange } from "../instance/instance-types";
import { ServerInstance } from "../instance/server-instance";
import type { ServerState } from "../instance/server-state";
import type { CodeServerTimings } from "../code-server/code-server-supervisor";
import type { FileOwner, FileRoot } from "../files/file-root";
import { CodeServerWishes } from "./code-server-wishes";
import { installRuntimes, type RuntimeInstaller } from "./install-runtimes";
import { ServerCodeServers } from "./server-code-servers";
import type { ServerImages } from "./server-images";
import { ServerSupervision } from "./server-supervision";
import type { SpecStore } from "./spec-store";
import { sameSpec, serverFolder, toServerSpec, toTemplatePolicy, toWireSnapshot } from "./spec";

export interface ServerManagerOptions {
  driver: Driver;
  images: ServerImages;
  store: SpecStore;
  /** The node's runtime store; without one, a spec that names runtimes fails to provision. */
  runtimes?: RuntimeInstaller;
  /** The agent's data folder; each server's files go to `servers/<serverId>/` inside it. */
  dataDir: string;
  /** Extra labels on every server's container. */
  labels?: Record<string, string>;
  clock?: Clock;
  log?: Logger;
  onState?: (event: ServerStateEvent) => void;
  onProgress?: (event: ServerProgressEvent) => void;
  /** A crash, classified, with what the restart policy made of it. */
  onCrash?: (event: ServerCrashEvent) => void;
  /** A server's newest usage sample (the crash classifier checks memory against the limit). */
  usage?: (serverId: string) => StatsSample | null;
  /** The node's consoles, told of every server's output and life. */
  consoles?: ServerConsoleHooks;
  /** A dev server's code-server changed state. */
  onCodeServer?: (event: CodeServerEvent) => void;
  codeServerTimings?: Partial<CodeServerTimings>;
}

/** What the consoles need to hear about the servers. */
export interface ServerConsoleHooks {
  /** The server is on this node (provisioned, or loaded at boot); its console exists from now on. */
  opened(serverId: string): void;
  /** Raw output of the server's current process run. */
  output(serverId: string, chunk: string): void;
  /** Called before a state change is reported, so the output before it goes out first. */
  stateChanged(serverId: string, state: ServerState): void;
  deleted(serverId: string): void;
}

/** A server as its terminals see it. */
export interface ServerConsoleHost {
  kind: ServerSpecPayload["kind"];
  state: ServerState;
  spec: ServerSpec;
}

/** Where a server's code-server can be reached, or why it cannot. */
export type CodeServerTarget =
  { ok: true; port: number } | { ok: false; reason: "absent" | "unavailable"; message: string };

interface Entry {
  spec: ServerSpecPayload;
  instance: ServerInstance;
}

/** The Docker driver runs containers as 1000:1000 (its default user). */
const DOCKER_FILE_OWNER: FileOwner = { uid: 1000, gid: 1000 };

/** States in which a server's process is, or may be about to be, alive. */
const ACTIVE: ReadonlySet<ServerState> = new Set(["installing", "starting", "running", "stopping"]);
/** States that end a start before the server became ready. */
const NOT_READY: ReadonlySet<ServerState> = new Set(["crashed", "error", "offline"]);
/** States in which a server's process is alive and worth measuring. */
const LIVE: ReadonlySet<ServerState> = new Set(["starting", "running"]);

export class ServerManager {
  private readonly options: ServerManagerOptions;
  private readonly driver: Driver;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly entries = new Map<string, Entry>();
  /** Servers provisioned with start=true whose "ready" is still to be reported. */
  private readonly awaitingReady = new Set<string>();
  /** The percent last reported per server, which a "failed" keeps. */
  private readonly percents = new Map<string, number>();
  /** Provision and delete run one at a time per server. */
  private readonly locks = new Map<string, Promise<unknown>>();
  /** Runtimes ("name/version") a provisioning in flight needs: never pruned meanwhile. */
  private readonly claimed = new Map<string, number>();
  private readonly supervision: ServerSupervision;
  private readonly codeServers: ServerCodeServers;
  private disposed = false;

  constructor(options: ServerManagerOptions) {
    this.options = options;
    this.driver = options.driver;
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? pino({ enabled: false });
    this.supervision = new ServerSupervision({
      clock: this.clock,
      log: this.log,
      driver: this.driver.name,
      server: (serverId) => this.entries.get(serverId) ?? null,
      ...(options.usage ? { usage: options.usage } : {}),
      onCrash: (event) => this.emit(() => this.options.onCrash?.(event)),
    });
    this.codeServers = new ServerCodeServers({
      driver: this.driver,
      clock: this.clock,
      log: this.log,
      driverSpec: (serverId) => {
        const entry = this.entries.get(serverId);
        return entry ? this.driverSpec(entry.spec) : null;
      },
      onStatus: (event) => this.emit(() => this.options.onCodeServer?.(event)),
      wishes: new CodeServerWishes(CodeServerWishes.folderFor(options.dataDir)),
      ...(options.codeServerTimings ? { timings: options.codeServerTimings } : {}),
    });
  }

  /** Loads every stored spec; servers whose process is running are adopted, never restarted. */
  async boot(): Promise<void> {
    const specs = await this.options.store.loadAll(this.log);
    await Promise.all(
      specs.map(async (spec) => {
        const instance = this.createInstance(spec);
        this.entries.set(spec.serverId, { spec, instance });
        this.codeServers.sync(spec);
        const adopted = await instance.adopt();
        if (!adopted.ok) {
          this.log.warn({ serverId: spec.serverId, error: adopted.error }, "adopt failed");
        }
      }),
    );
    this.log.info(
      {
        servers: this.entries.size,
        running: [...this.entries.values()].filter((e) => e.instance.state === "running").length,
      },
      "servers loaded",
    );
  }

  /**
   * Creates the server (idempotent per server id) and starts it when asked to. Runtimes that no
   * server uses any more (after a switch to another version) are removed from the store.
   */
  async provision({
    spec,
    start,
  }: {
    spec: ServerSpecPayload;
    start: boolean;
  }): Promise<Result<ServerSnapshot>> {
    const keys = artifactsOf(spec).map(runtimeKey);
    for (const key of keys) this.claimed.set(key, (this.claimed.get(key) ?? 0) + 1);
    try {
      return await this.locked(spec.serverId, () => this.provisionSteps(spec, start));
    } finally {
      for (const key of keys) {
        const left = (this.claimed.get(key) ?? 1) - 1;
        if (left > 0) this.claimed.set(key, left);
        else this.claimed.delete(key);
      }
      await this.pruneRuntimes();
    }
  }

  /** Removes installed runtimes that no server on this node uses or is being provisioned with. */
  async pruneRuntimes(): Promise<string[]> {
    const store = this.options.runtimes;
    if (!store || this.disposed) return [];
    const used = new Set(this.claimed.keys());
    for (const { spec } of this.entries.values()) {
      for (const artifact of artifactsOf(spec)) used.add(runtimeKey(artifact));
    }
    const removed: string[] = [];
    try {
      for (const installed of await store.list()) {
        const key = runtimeKey(installed);
        if (used.has(key)) continue;
        if (await store.remove(installed.name, installed.version)) removed.push(key);
      }
    } catch (error) {
      this.log.warn({ err: error }, "removing unused runtimes failed");
    }
    if (removed.length > 0) this.log.info({ removed }, "unused runtimes removed");
    return removed;
  }

  async power(serverId: string, action: PowerAction): Promise<Result<ServerSnapshot>> {
    const entry = this.entries.get(serverId);
    if (!entry) return fail("NOT_FOUND", `Server ${serverId} is not on this node`);
    return wire(await entry.instance[action]());
  }

  /** Kills the server if it runs, removes its container/process record, its spec and its files. */
  delete(serverId: string): Promise<Result<{ deleted: boolean }>> {
    return this.locked(serverId, async () => {
      const entry = this.entries.get(serverId);
      if (!entry) return ok({ deleted: false });
      this.supervision.forget(serverId);
      const log = this.log.child({ serverId });
      if (entry.instance.state !== "offline" && entry.instance.state !== "crashed") {
        const killed = await entry.instance.kill();
        if (!killed.ok) log.warn({ error: killed.error }, "kill before delete failed");
      }
      try {
        await this.driver.destroy(serverId);
      } catch (error) {
        if (!(error instanceof DriverError && error.code === "NOT_FOUND")) {
          log.error({ err: error }, "destroy failed");
          return fail(codeOf(error), `Could not delete server ${serverId}: ${messageOf(error)}`);
        }
      }
      await this.codeServers.deleted(serverId);
      entry.instance.dispose();
      this.entries.delete(serverId);
      this.awaitingReady.delete(serverId);
      this.percents.delete(serverId);
      this.hook((consoles) => consoles.deleted(serverId));
      await this.options.store.remove(serverId);
      await rm(serverFolder(this.options.dataDir, serverId), { recursive: true, force: true });
      log.info("server deleted");
      await this.pruneRuntimes();
      return ok({ deleted: true });
    });
  }

  /** Everything this agent holds, plus driver-held servers it has no spec for (never touched). */
  async inventory(): Promise<Inventory> {
    const servers = [...this.entries.values()].map((e) => this.wireSnapshot(e.instance));
    let held: string[] = [];
    try {
      held = await this.driver.list();
    } catch (error) {
      this.log.warn({ err: error }, "cannot list the driver's servers");
    }
    const unknown = held.filter((id) => !this.entries.has(id)).slice(0, 1000);
    return { servers, unknown };
  }

  has(serverId: string): boolean {
    return this.entries.has(serverId);
  }

  /** Servers whose process is alive (starting or running). */
  liveServers(): string[] {
    return [...this.entries.values()]
      .filter((e) => LIVE.has(e.instance.state))
      .map((e) => e.spec.serverId);
  }

  /** Console input for the server's live process. */
  writeConsole(serverId: string, data: string): Result<Record<string, never>> {
    const entry = this.entries.get(serverId);
    if (!entry) return fail("NOT_FOUND", `Server ${serverId} is not on this node`);
    return entry.instance.writeConsole(data);
  }

  resizeConsole(serverId: string, cols: number, rows: number): Result<Record<string, never>> {
    const entry = this.entries.get(serverId);
    if (!entry) return fail("NOT_FOUND", `Server ${serverId} is not on this node`);
    return entry.instance.resizeConsole(cols, rows);
  }

  /** What a server's consoles and terminals need to know of it, or null when it is not here. */
  consoleHost(serverId: string): ServerConsoleHost | null {
    const entry = this.entries.get(serverId);
    if (!entry) return null;
    return {
      kind: entry.spec.kind,
      state: entry.instance.state,
      spec: this.driverSpec(entry.spec),
    };
  }

  /**
   * Where the file manager works for a server: its data folder (what the driver mounts), who files
   * made there belong to (the container's user under Docker; the agent's own user otherwise) and a
   * scratch folder beside it, out of the server's reach. Null when the server is not on this node.
   */
  fileRoot(serverId: string): FileRoot | null {
    const entry = this.entries.get(serverId);
    if (!entry) return null;
    return {
      root: this.driverSpec(entry.spec).dataDir,
      owner: this.driver.name === "docker" ? DOCKER_FILE_OWNER : null,
      scratch: path.join(serverFolder(this.options.dataDir, serverId), "scratch"),
    };
  }

  /** The server's disk quota in MiB (uploads are refused past it); null: none or not here. */
  diskQuotaMb(serverId: string): number | null {
    return this.entries.get(serverId)?.spec.limits.diskMb ?? null;
  }

  snapshot(serverId: string): ServerSnapshot | null {
    const entry = this.entries.get(serverId);
    return entry ? this.wireSnapshot(entry.instance) : null;
  }

  /** Where the server's code-server listens, if it is up: the port (the host is the driver's). */
  codeServerTarget(serverId: string): CodeServerTarget {
    const entry = this.entries.get(serverId);
    if (!entry) {
      return { ok: false, reason: "absent", message: `Server ${serverId} is not on this node` };
    }
    if (!entry.spec.codeServer) {
      return { ok: false, reason: "unavailable", message: "This server has no code-server" };
    }
    const state = entry.instance.state;
    if (state !== "running") {
      return { ok: false, reason: "unavailable", message: `The server is ${state}, not running` };
    }
    const codeServer = this.codeServers.status(serverId)?.state ?? "stopped";
    if (codeServer !== "running") {
      return { ok: false, reason: "unavailable", message: `code-server is ${codeServer}` };
    }
    return { ok: true, port: entry.spec.codeServer.port };
  }

  /** Start, stop or restart a dev server's code-server. */
  codeServer(serverId: string, action: CodeServerAction): Promise<Result<CodeServerStatus>> {
    if (!this.entries.has(serverId)) {
      return Promise.resolve(fail("NOT_FOUND", `Server ${serverId} is not on this node`));
    }
    return this.codeServers.act(serverId, action);
  }

  /** Detaches from every server; their processes keep running and no restart is pending. */
  dispose(): void {
    this.disposed = true;
    this.supervision.dispose();
    for (const { instance } of this.entries.values()) instance.dispose();
    this.codeServers.dispose();
    this.awaitingReady.clear();
  }

  // --- provisioning -----------------------------------------------------------------------------

  private async provisionSteps(
    spec: ServerSpecPayload,
    start: boolean,
  ): Promise<Result<ServerSnapshot>> {
    if (this.disposed) return fail("CONFLICT", "The agent is shutting down");
    const { serverId } = spec;
    const log = this.log.child({ serverId });
    const existing = this.entries.get(serverId);
    const same = existing ? sameSpec(existing.spec, spec) : false;
    if (spec.codeServer && this.driver.name !== "docker") {
      return fail(
        "BAD_REQUEST",
        "code-server runs only in Docker dev containers; this node runs servers as local processes",
      );
    }

    if (existing && same && existing.instance.state !== "error") {
      return this.provisionExisting(existing, start);
    }
    if (existing && !same && ACTIVE.has(existing.instance.state)) {
      return fail(
        "CONFLICT",
        `Server ${serverId} is ${existing.instance.state}; stop it before changing its spec`,
      );
    }

    this.progress(serverId, "queued", 0, null);
    this.progress(serverId, "creating", 20, `Preparing image ${spec.image}`);
    try {
      await this.options.images.ensure(spec.image);
    } catch (error) {
      return this.provisionFailed(serverId, error, log);
    }
    try {
      await this.installRuntimes(spec);
    } catch (error) {
      return this.provisionFailed(serverId, error, log);
    }

    if (existing) {
      // A changed spec needs a new container (the old one keeps its old limits); the data stays.
      this.supervision.forget(serverId);
      this.codeServers.forget(serverId);
      existing.instance.dispose();
      this.entries.delete(serverId);
      if (!same) {
        try {
          await this.driver.destroy(serverId);
        } catch (error) {
          if (!(error instanceof DriverError && error.code === "NOT_FOUND")) {
            return this.provisionFailed(serverId, error, log);
          }
        }
      }
    }

    try {
      await this.options.store.save(spec);
    } catch (error) {
      return this.provisionFailed(serverId, error, log);
    }
    const instance = this.createInstance(spec);
    this.entries.set(serverId, { spec, instance });
    this.codeServers.sync(spec);
    if (existing && same) {
      // Retrying after an error: the process may be alive, and is then taken over, not restarted.
      const adopted = await instance.adopt();
      if (!adopted.ok) return this.provisionFailed(serverId, adopted.error, log);
    }

    this.progress(serverId, "installing", 50, "Preparing the data folder");
    if (instance.state !== "running") {
      const driverSpec = this.driverSpec(spec);
      const installed = await instance.install(async () => {
        await mkdir(driverSpec.dataDir, { recursive: true });
        await this.driver.create(driverSpec);
      });
      if (!installed.ok) return this.provisionFailed(serverId, installed.error, log);
    }
    log.info({ image: spec.image, start }, "server provisioned");
    return this.startIfAsked(instance, start);
  }

  /** Before anything of the server is created or replaced, so a failure leaves nothing behind. */
  private async installRuntimes(spec: ServerSpecPayload): Promise<void> {
    const runtimes = artifactsOf(spec);
    if (runtimes.length === 0) return;
    const installer = this.options.runtimes;
    if (!installer) throw new Error("This node cannot install runtimes (it has no runtime store)");
    await installRuntimes({
      installer,
      runtimes,
      clock: this.clock,
      report: (percent, message) => this.progress(spec.serverId, "installing", percent, message),
      from: 25,
      to: 45,
    });
  }

  private async provisionExisting(entry: Entry, start: boolean): Promise<Result<ServerSnapshot>> {
    const state = entry.instance.state;
    if (start && (state === "offline" || state === "crashed")) {
      return this.startIfAsked(entry.instance, true);
    }
    if (state === "running" || (!start && !ACTIVE.has(state))) {
      this.progress(entry.spec.serverId, "ready", 100, null);
    }
    return ok(this.wireSnapshot(entry.instance));
  }

  /** Starts and reports "ready" when the instance reaches running (now, or on a later state change). */
  private async startIfAsked(
    instance: ServerInstance,
    start: boolean,
  ): Promise<Result<ServerSnapshot>> {
    const { serverId } = instance;
    if (!start || instance.state === "running") {
      this.progress(serverId, "ready", 100, null);
      return ok(this.wireSnapshot(instance));
    }
    this.progress(serverId, "starting", 80, "Starting");
    this.awaitingReady.add(serverId);
    const started = await instance.start();
    if (!started.ok && this.awaitingReady.delete(serverId)) {
      this.progress(serverId, "failed", null, started.error.message);
    }
    return wire(started);
  }

  private provisionFailed(serverId: string, failure: unknown, log: Logger): Result<ServerSnapshot> {
    const { code, message } = isWireError(failure)
      ? failure
      : { code: codeOf(failure), message: messageOf(failure) };
    log.warn({ code, reason: message }, "provisioning failed");
    this.progress(serverId, "failed", null, message);
    return fail(code, message);
  }

  // --- instances --------------------------------------------------------------------------------

  private driverSpec(spec: ServerSpecPayload) {
    return toServerSpec(spec, {
      dataDir: this.options.dataDir,
      driver: this.driver.name,
      ...(this.options.runtimes ? { runtimeRoot: this.options.runtimes.root } : {}),
      ...(this.options.labels ? { labels: this.options.labels } : {}),
    });
  }

  private createInstance(spec: ServerSpecPayload): ServerInstance {
    this.hook((consoles) => consoles.opened(spec.serverId));
    const instance: ServerInstance = new ServerInstance({
      serverId: spec.serverId,
      driver: this.driver,
      spec: this.driverSpec(spec),
      policy: toTemplatePolicy(spec),
      clock: this.clock,
      log: this.log.child({ serverId: spec.serverId }),
      onState: (change) => this.stateChanged(instance, change),
      superviseCrash: (crash) => this.supervision.decide(spec, crash),
      onCrash: (crash, decision) => this.supervision.recorded(spec, crash, decision),
      onOutput: (chunk) => {
        if (this.entries.get(spec.serverId)?.instance !== instance) return;
        this.hook((consoles) => consoles.output(spec.serverId, chunk));
      },
    });
    return instance;
  }

  private stateChanged(instance: ServerInstance, change: StateChange): void {
    // A replaced instance's late news is not this server's news any more.
    const entry = this.entries.get(change.serverId);
    if (entry?.instance !== instance) return;
    this.supervision.stateChanged(entry.spec, change);
    this.hook((consoles) => consoles.stateChanged(change.serverId, change.to));
    const codeServer = this.codeServers.stateChanged(change.serverId, change.to);
    this.emit(() =>
      this.options.onState?.({
        ...this.wireSnapshot(instance),
        reason: change.reason.slice(0, 200),
      }),
    );
    if (!this.awaitingReady.has(change.serverId)) return;
    if (change.to === "running") {
      this.awaitingReady.delete(change.serverId);
      if (codeServer) this.readyWithCodeServer(change.serverId, codeServer);
      else this.progress(change.serverId, "ready", 100, null);
    } else if (NOT_READY.has(change.to)) {
      this.awaitingReady.delete(change.serverId);
      this.progress(change.serverId, "failed", null, change.reason);
    }
  }

  /** Provisioning is complete only once the server's code-server runs as well. */
  private readyWithCodeServer(serverId: string, starting: Promise<CodeServerStatus>): void {
    this.progress(serverId, "starting", 90, "Starting code-server");
    void starting.then((status) => {
      if (status.state === "running") this.progress(serverId, "ready", 100, null);
      else this.progress(serverId, "failed", null, status.message ?? "code-server did not start");
    });
  }

  private wireSnapshot(instance: ServerInstance): ServerSnapshot {
    return {
      ...toWireSnapshot(instance.snapshot()),
      codeServer: this.codeServers.status(instance.serverId),
    };
  }

  private progress(
    serverId: string,
    stage: ProvisionStage,
    /** null: where the last stage left it. */
    percent: number | null,
    message: string | null,
  ): void {
    const at = percent ?? this.percents.get(serverId) ?? 0;
    this.percents.set(serverId, at);
    this.emit(() =>
      this.options.onProgress?.({
        serverId,
        stage,
        percent: at,
        message: message === null ? null : message.slice(0, 500),
      }),
    );
  }

  private hook(call: (consoles: ServerConsoleHooks) => void): void {
    const consoles = this.options.consoles;
    if (!consoles) return;
    try {
      call(consoles);
    } catch (error) {
      this.log.error({ err: error }, "console hook failed");
    }
  }

  private emit(send: () => void): void {
    try {
      send();
    } catch (error) {
      this.log.error({ err: error }, "server event listener failed");
    }
  }

  private async locked<T>(serverId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(serverId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.locks.set(serverId, tail);
    try {
      return await next;
    } finally {
      if (this.locks.get(serverId) === tail) this.locks.delete(serverId);
    }
  }
}

/** Everything a spec needs from the runtime store. */
function artifactsOf(spec: ServerSpecPayload): RuntimeArtifact[] {
  return spec.codeServer ? [...spec.runtimes, spec.codeServer.artifact] : spec.runtimes;
}

function runtimeKey({ name, version }: { name: string; version: string }): string {
  return `${name}/${version}`;
}

function wire(result: PowerResult): Result<ServerSnapshot> {
  return result.ok ? ok(toWireSnapshot(result.data)) : result;
}

function isWireError(value: unknown): value is { code: ErrorCode; message: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    !(value instanceof Error) &&
    "code" in value &&
    "message" in value
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Driver errors keep their code where the wire has one; anything else is INTERNAL. */
export function codeOf(error: unknown): ErrorCode {
  if (error instanceof DriverError && (error.code === "NOT_FOUND" || error.code === "CONFLICT")) {
    return error.code;
  }
  return "INTERNAL";
}
