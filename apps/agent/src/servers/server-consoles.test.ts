import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ConsoleFrame, ServerSpecPayload, ServerTerminals } from "@berth/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { GameConsoles } from "../console/game-consoles";
import { FakeClock } from "../instance/fake-clock";
import { FakeDriver } from "../instance/fake-driver";
import { memoryLog } from "../instance/test-fixture";
import { TerminalRegistry } from "../terminals/terminal-registry";
import { ServerConsoles } from "./server-consoles";
import { ServerManager } from "./server-manager";
import { SpecStore } from "./spec-store";
import { DEFAULT_SUPERVISION } from "./test-spec";

function payload(serverId: string, kind: "game" | "dev" = "game"): ServerSpecPayload {
  return {
    serverId,
    kind,
    image: kind === "dev" ? "berth/dev:1" : "berth/generic:1",
    startup: "./run.sh",
    env: {},
    limits: { memoryMb: 512, cpuPercent: 100, pids: 128 },
    ports: [],
    capabilities: [],
    policy: {
      stopCommand: null,
      donePattern: null,
      stopTimeoutMs: 1000,
      termTimeoutMs: 1000,
      ...DEFAULT_SUPERVISION,
    },
    runtimes: [],
    codeServer: null,
  };
}

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const text = (frames: ConsoleFrame[]) => frames.map((f) => f.data).join("");

/** The manager and the consoles wired as the agent wires them, on a fake driver and clock. */
async function setup() {
  const dataDir = await mkdtemp(path.join(tmpdir(), "berth-consoles-"));
  dirs.push(dataDir);
  const clock = new FakeClock();
  const driver = new FakeDriver(clock);
  const updates: ServerTerminals[] = [];
  /** What a viewer of each server's console had when each state change went out. */
  const seenAtState: Array<{ state: string; output: string }> = [];
  let watch: ((serverId: string) => string) | null = null;
  const manager: ServerManager = new ServerManager({
    driver,
    images: { ensure: async (image) => image },
    store: new SpecStore({ dir: SpecStore.folderFor(dataDir) }),
    dataDir,
    clock,
    onState: (event) =>
      seenAtState.push({ state: event.state, output: watch?.(event.serverId) ?? "" }),
    consoles: {
      opened: (serverId) => consoles.opened(serverId),
      output: (serverId, chunk) => consoles.output(serverId, chunk),
      stateChanged: (serverId, state) => consoles.stateChanged(serverId, state),
      deleted: (serverId) => consoles.deleted(serverId),
    },
  });
  const consoles = new ServerConsoles({
    games: new GameConsoles({ clock }),
    terminals: new TerminalRegistry({
      driver,
      driverName: "process",
      host: (serverId) => manager.consoleHost(serverId),
      clock,
      log: memoryLog(),
      onUpdate: (update) => updates.push(update),
    }),
    servers: manager,
  });
  /** Everything a viewer added now sees, collected at every state change and on demand. */
  const follow = (serverId: string) => {
    const found = consoles.channel({ serverId, terminalId: null });
    if (!found.ok) throw new Error(found.error.message);
    const viewer = found.data.hub.addViewer();
    let seen = "";
    const read = () => (seen += text(viewer.take()));
    watch = () => read();
    return read;
  };
  return { clock, driver, manager, consoles, updates, seenAtState, follow };
}

describe("ServerConsoles", () => {
  it("keeps one game console per server across restarts, with one runId", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload("g1"), start: true });
    const first = fx.consoles.channel({ serverId: "g1", terminalId: null });
    if (!first.ok) throw new Error("no console");
    const read = fx.follow("g1");
    fx.driver.process("g1").emit("first run\n");
    await fx.manager.power("g1", "restart");
    fx.driver.process("g1").emit("second run\n");
    await fx.clock.advance(25);
    expect(read()).toBe("first run\nsecond run\n");
    const again = fx.consoles.channel({ serverId: "g1", terminalId: null });
    expect(again.ok && again.data).toBe(first.data);
    expect(first.data.hub.lastSeq).toBe("first run\nsecond run\n".length);
  });

  it("hands the output before an exit to viewers before the state change goes out", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload("g1"), start: true });
    fx.follow("g1");
    fx.driver.process("g1").emit("fatal: out of cheese\n");
    fx.driver.process("g1").exit({ exitCode: 1 });
    expect(fx.seenAtState.at(-1)).toEqual({ state: "crashed", output: "fatal: out of cheese\n" });
  });

  it("takes input only for a running server, and no more than a console line", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload("g1"), start: false });
    const ref = { serverId: "g1", terminalId: null };
    expect(fx.consoles.input({ ...ref, data: "say hi\n" })).toEqual({
      ok: false,
      error: { code: "CONFLICT", message: "The server is not running" },
    });
    await fx.manager.power("g1", "start");
    expect(fx.consoles.input({ ...ref, data: "say hi\n" })).toEqual({ ok: true, data: {} });
    expect(fx.driver.process("g1").input).toEqual(["say hi\n"]);
    expect(fx.consoles.input({ ...ref, data: "x".repeat(4097) })).toMatchObject({
      ok: false,
      error: { code: "BAD_REQUEST" },
    });
    fx.consoles.resize({ ...ref, cols: 132, rows: 43 });
    expect(fx.driver.process("g1").sizes).toEqual([[132, 43]]);
    expect(fx.consoles.input({ serverId: "ghost", terminalId: null, data: "x" })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    expect(fx.consoles.input({ ...ref, terminalId: "t1", data: "x" })).toEqual({
      ok: false,
      error: { code: "NOT_FOUND", message: "No such terminal" },
    });
  });

  it("closes a server's console when the server is deleted", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload("g1"), start: true });
    const found = fx.consoles.channel({ serverId: "g1", terminalId: null });
    if (!found.ok) throw new Error("no console");
    await fx.manager.delete("g1");
    expect(found.data.closed).toBe(true);
    expect(fx.consoles.channel({ serverId: "g1", terminalId: null })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    expect(fx.consoles.heldBytes).toBe(0);
  });

  it("ends a dev server's terminals when it stops", async () => {
    const fx = await setup();
    await fx.manager.provision({ spec: payload("d1", "dev"), start: true });
    const created = await fx.consoles.terminals.create({ serverId: "d1", cols: 80, rows: 24 });
    if (!created.ok) throw new Error(created.error.message);
    const ref = { serverId: "d1", terminalId: created.data.terminalId };
    const channel = fx.consoles.channel(ref);
    expect(channel.ok).toBe(true);
    expect(fx.consoles.input({ ...ref, data: "ls\r" })).toEqual({ ok: true, data: {} });
    expect(fx.driver.execs[0]!.input).toEqual(["ls\r"]);

    await fx.manager.power("d1", "stop");
    expect(fx.updates.at(-1)).toEqual({ serverId: "d1", terminals: [] });
    expect(fx.driver.execs[0]!.signals).toEqual(["SIGHUP"]);
    expect(channel.ok && channel.data.closed).toBe(true);
    expect(fx.consoles.channel(ref)).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });
});
