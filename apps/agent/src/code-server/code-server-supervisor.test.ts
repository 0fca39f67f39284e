import type { CodeServerStatus } from "@berth/protocol";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../instance/fake-clock";
import type { CommandOutcome } from "../drivers/run-command";
import { CODE_SERVER_MOUNT } from "./commands";
import {
  CodeServerSupervisor,
  wishInMemory,
  type CodeServerHost,
  type CodeServerWish,
} from "./code-server-supervisor";

/**
 * A container's process table as the commands see it: a launch adds code-server's processes, which
 * answer health checks after `bootPolls` checks (or never, or exit at once); a stop removes them.
 */
class FakeContainer {
  pids: number[] = [];
  launches = 0;
  bootPolls = 2;
  /** What the next launch does. */
  behaviour: "serve" | "exit" | "hang" = "serve";
  private polls = 0;
  private nextPid = 100;
  private serving = false;

  host: CodeServerHost = async (command): Promise<CommandOutcome> => {
    const text = command.join(" ");
    if (command[0] === "env") {
      this.launches++;
      this.polls = 0;
      this.serving = false;
      if (this.behaviour !== "exit") this.pids = [this.nextPid++, this.nextPid++];
      return { exitCode: 0, output: "" };
    }
    if (command[0] === "curl") {
      if (this.pids.length === 0) return { exitCode: 7, output: "" };
      if (this.behaviour === "serve" && ++this.polls >= this.bootPolls) this.serving = true;
      return { exitCode: this.serving ? 0 : 7, output: "" };
    }
    if (command[0] === "tail") return { exitCode: 0, output: "Error: EADDRINUSE\r\n" };
    if (text.includes("cmdline")) {
      expect(command.at(-1)).toBe(CODE_SERVER_MOUNT);
      return { exitCode: 0, output: this.pids.map((pid) => `pid ${pid}\r\n`).join("") };
    }
    if (command[2]?.includes("kill -TERM")) {
      const killed = command.slice(4).map(Number);
      this.pids = this.pids.filter((pid) => !killed.includes(pid));
      this.serving = false;
      return { exitCode: 0, output: "" };
    }
    throw new Error(`unexpected command ${text}`);
  };

  /** code-server dies on its own. */
  die() {
    this.pids = [];
    this.serving = false;
  }
}

function setup(wish?: CodeServerWish) {
  const clock = new FakeClock();
  const container = new FakeContainer();
  const statuses: CodeServerStatus[] = [];
  const supervisor = new CodeServerSupervisor({
    serverId: "s1",
    layout: {
      root: CODE_SERVER_MOUNT,
      binPath: "bin",
      home: "/home/dev",
      workspace: "/home/dev/workspace",
      port: 6000,
    },
    host: container.host,
    clock,
    log: pino({ enabled: false }),
    onStatus: (status) => statuses.push(status),
    ...(wish ? { wish } : {}),
    timings: { startTimeoutMs: 5_000, pollMs: 100, checkEveryMs: 1_000 },
  });
  const states = () => statuses.map((s) => s.state);
  return { clock, container, supervisor, statuses, states };
}

/** Runs a supervisor call to its end while the fake clock moves. */
async function drive<T>(clock: FakeClock, work: Promise<T>, ms = 10_000): Promise<T> {
  let done = false;
  void work.finally(() => (done = true));
  for (let waited = 0; !done && waited < ms; waited += 100) await clock.advance(100);
  return work;
}

describe("CodeServerSupervisor", () => {
  it("starts code-server when the server comes up and reports it running once healthy", async () => {
    const { clock, container, supervisor, states } = setup();
    const status = await drive(clock, supervisor.serverUp());
    expect(status.state).toBe("running");
    expect(states()).toEqual(["starting", "running"]);
    expect(container.launches).toBe(1);
  });

  it("takes over a code-server that already runs (agent restarted) instead of starting another", async () => {
    const { clock, container, supervisor, states } = setup();
    container.pids = [42];
    container.bootPolls = 1;
    const status = await drive(clock, supervisor.serverUp());
    expect(status.state).toBe("running");
    expect(container.launches).toBe(0);
    expect(states()).toEqual(["running"]);
  });

  it("starts it again when it dies, and gives up after repeated deaths", async () => {
    const { clock, container, supervisor, states } = setup();
    await drive(clock, supervisor.serverUp());
    container.die();
    await clock.advance(1_500);
    await drive(clock, Promise.resolve());
    await clock.advance(1_000);
    expect(container.launches).toBe(2);
    expect(supervisor.status.state).toBe("running");

    for (let i = 0; i < 3; i++) {
      container.die();
      await clock.advance(2_000);
    }
    expect(supervisor.status.state).toBe("failed");
    expect(supervisor.status.message).toMatch(/keeps exiting \(4 times in 60 s\)/);
    expect(states().slice(0, 4)).toEqual(["starting", "running", "starting", "running"]);
  });

  it("stop keeps it stopped across checks; start brings it back", async () => {
    const { clock, container, supervisor } = setup();
    await drive(clock, supervisor.serverUp());
    const stopped = await drive(clock, supervisor.act("stop"));
    expect(stopped).toMatchObject({ ok: true, data: { state: "stopped" } });
    expect(container.pids).toEqual([]);
    await clock.advance(5_000);
    expect(container.launches).toBe(1);
    expect(supervisor.status.state).toBe("stopped");

    const started = await drive(clock, supervisor.act("start"));
    expect(started).toMatchObject({ ok: true, data: { state: "running" } });
    expect(container.launches).toBe(2);
  });

  it("keeps an owner's stop when the server (or the agent) comes up again", async () => {
    const wish = wishInMemory();
    const first = setup(wish);
    await drive(first.clock, first.supervisor.serverUp());
    await drive(first.clock, first.supervisor.act("stop"));
    expect(await wish.get()).toBe(false);

    // A new supervisor with the same wish stands for the restarted agent.
    const again = setup(wish);
    const status = await drive(again.clock, again.supervisor.serverUp());
    expect(status).toMatchObject({ state: "stopped", message: "Stopped by its owner" });
    expect(again.container.launches).toBe(0);
    await drive(again.clock, again.supervisor.act("start"));
    expect(await wish.get()).toBe(true);
    expect(again.container.launches).toBe(1);
  });

  it("restart replaces the running code-server", async () => {
    const { clock, container, supervisor } = setup();
    await drive(clock, supervisor.serverUp());
    const before = [...container.pids];
    const restarted = await drive(clock, supervisor.act("restart"));
    expect(restarted).toMatchObject({ ok: true, data: { state: "running" } });
    expect(container.pids).not.toEqual(before);
    expect(container.launches).toBe(2);
  });

  it("reports a start that exits at once as failed, with the end of its log", async () => {
    const { clock, container, supervisor } = setup();
    container.behaviour = "exit";
    const status = await drive(clock, supervisor.serverUp());
    expect(status).toMatchObject({ state: "failed" });
    expect(status.message).toContain("code-server exited at start: Error: EADDRINUSE");
  });

  it("gives a start that never answers a deadline, and stops what it started", async () => {
    const { clock, container, supervisor } = setup();
    container.behaviour = "hang";
    const status = await drive(clock, supervisor.serverUp(), 20_000);
    expect(status.message).toMatch(/did not answer within 5 s/);
    expect(container.pids).toEqual([]);
  });

  it("refuses to start while the server is down and reports stopped when it goes down", async () => {
    const { clock, supervisor } = setup();
    expect(await supervisor.act("start")).toMatchObject({
      ok: false,
      error: { message: "Start the server first: code-server runs inside it" },
    });
    await drive(clock, supervisor.serverUp());
    supervisor.serverDown();
    expect(supervisor.status).toMatchObject({
      state: "stopped",
      message: "The server is not running",
    });
  });
});
