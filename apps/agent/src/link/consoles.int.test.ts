// Consoles over a real link: a Socket.IO portal stand-in on port 0, the agent with the real
// process driver (node-pty), echo servers and a dev server's shell.
import { existsSync } from "node:fs";
import { userInfo } from "node:os";
import path from "node:path";
import type { ConsoleFrame, ConsoleReplay, Result, TerminalInfo } from "@berth/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningAgent } from "../agent";
import { THROTTLE_NOTICE } from "../console/console-hub";
import { serverFolder } from "../servers/spec";
import { devServerSpec, echoServerSpec } from "../servers/test-spec";
import { startLinkedAgent, until, type LinkedAgent, type TestPortal } from "./test-portal";

let linked: LinkedAgent;
let portal: TestPortal;
let agent: RunningAgent;
let dataDir = "";

beforeAll(async () => {
  linked = await startLinkedAgent("berth-consoles-", { driver: "process" });
  ({ portal, agent, dataDir } = linked);
});

afterAll(async () => {
  await linked?.close();
});

async function provision(spec: ReturnType<typeof echoServerSpec>): Promise<void> {
  const result = await portal.command<Result<unknown>>("server:provision", { spec, start: true });
  expect(result.ok).toBe(true);
  await until(`${spec.serverId} ready`, () =>
    portal.progress.find((p) => p.serverId === spec.serverId && p.stage === "ready"),
  );
}

const open = async (payload: object) => {
  const result = await portal.command<Result<ConsoleReplay>>("console:open", payload);
  if (!result.ok) throw new Error(result.error.message);
  return result.data;
};
const input = (serverId: string, data: string, terminalId: string | null = null) =>
  portal.command<Result<object>>("console:input", { serverId, terminalId, data });
const text = (frames: ConsoleFrame[]) => frames.map((f) => f.data).join("");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every frame follows on from the one before, starting at `from`: nothing lost, nothing twice. */
function expectContiguous(frames: ConsoleFrame[], from: number): number {
  let at = from;
  for (const frame of frames) {
    expect(frame).toMatchObject({ kind: "output", fromSeq: at });
    at = frame.toSeq;
  }
  return at;
}

describe("game consoles over the link", () => {
  it("replays, streams live output and takes input; a reopen resumes with exactly the rest", async () => {
    await provision(echoServerSpec("echo1"));
    const first = await open({ serverId: "echo1", terminalId: null });
    expect(text(first.frames)).toContain("Server ready");
    expectContiguous(first.frames, 0);
    expect(await input("echo1", "hello\n")).toEqual({ ok: true, data: {} });
    await until("the echo", () =>
      portal.text("echo1", null, first.runId).includes("> hello") ? true : undefined,
    );
    const live = portal.frames("echo1", null, first.runId);
    const seenTo = expectContiguous(live, first.toSeq);

    // Closed: nothing is streamed, but the console keeps what the server prints.
    portal.emit("console:close", { serverId: "echo1", terminalId: null });
    await sleep(100);
    const batches = portal.outputs.length;
    await input("echo1", "while away\n");
    await sleep(300);
    expect(portal.outputs.length).toBe(batches);

    const resumed = await open({
      serverId: "echo1",
      terminalId: null,
      runId: first.runId,
      resumeFromSeq: seenTo,
    });
    expect(resumed.runId).toBe(first.runId);
    expect(resumed.frames[0]?.fromSeq).toBe(seenTo);
    expect(text(resumed.frames)).toBe("while away\r\n> while away\r\n");
    expectContiguous(resumed.frames, seenTo);

    // Live output carries on from the resumed replay's end.
    const before = portal.frames("echo1").length;
    await input("echo1", "again\n");
    await until("the second echo", () =>
      text(portal.frames("echo1").slice(before)).includes("> again") ? true : undefined,
    );
    expectContiguous(portal.frames("echo1").slice(before), resumed.toSeq);

    // Seen before the close + the resumed replay = everything, once.
    const everything = await open({ serverId: "echo1", terminalId: null });
    expect(
      text(everything.frames).startsWith(text(first.frames) + text(live) + text(resumed.frames)),
    ).toBe(true);
    // An offset from another run means nothing here: the whole scrollback comes back.
    const otherRun = await open({
      serverId: "echo1",
      terminalId: null,
      runId: "another-run",
      resumeFromSeq: seenTo,
    });
    expect(otherRun.frames[0]?.fromSeq).toBe(0);
  });

  it("refuses input to a stopped server and consoles it does not know", async () => {
    await provision(echoServerSpec("echo2"));
    await portal.command("server:power", { serverId: "echo2", action: "stop" });
    expect(await input("echo2", "anyone?\n")).toEqual({
      ok: false,
      error: { code: "CONFLICT", message: "The server is not running" },
    });
    expect(
      await portal.command("console:open", { serverId: "ghost", terminalId: null }),
    ).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(
      await portal.command("console:open", { serverId: "echo2", terminalId: "t1" }),
    ).toMatchObject({ ok: false, error: { code: "NOT_FOUND", message: "No such terminal" } });
    expect(await portal.command("terminal:create", { serverId: "echo2" })).toEqual({
      ok: false,
      error: { code: "BAD_REQUEST", message: "Only dev servers have terminals" },
    });
  });

  it("throttles a flood once per episode, holds bounded memory, and another console still answers", async () => {
    const spec = {
      ...echoServerSpec("flood1"),
      startup:
        'echo "Server ready"; while read l; do if [ "$l" = flood ]; then yes | head -n 5000000; else echo "> $l"; fi; done',
    };
    await provision(spec);
    await provision(echoServerSpec("quiet1"));
    const flood = await open({ serverId: "flood1", terminalId: null });
    const echo = await open({ serverId: "quiet1", terminalId: null });
    // The portal acks the flood's batches slowly; the echo's at once.
    portal.ackWith((output, ack) => (output.serverId === "flood1" ? setTimeout(ack, 300) : ack()));
    const { consoles } = await agent.servers;
    let maxHeld = 0;
    let maxLatency = 0;

    for (let episode = 1; episode <= 2; episode++) {
      expect(await input("flood1", "flood\n")).toEqual({ ok: true, data: {} });
      // Until the flood is over, the echo server keeps answering.
      for (let ping = 0; ; ping++) {
        const sent = Date.now();
        await input("quiet1", `ping ${episode}.${ping}\n`);
        await until(
          "the echo's answer",
          () => {
            maxHeld = Math.max(maxHeld, consoles.heldBytes);
            return portal.text("quiet1", null, echo.runId).includes(`> ping ${episode}.${ping}`)
              ? true
              : undefined;
          },
          5_000,
        );
        maxLatency = Math.max(maxLatency, Date.now() - sent);
        await input("flood1", `after ${episode}.${ping}\n`);
        await sleep(250);
        if (portal.text("flood1", null, flood.runId).includes(`> after ${episode}.`)) break;
        if (ping > 200) throw new Error("the flood did not end");
      }
      const notices = portal.text("flood1", null, flood.runId).split(THROTTLE_NOTICE).length - 1;
      expect(notices).toBe(episode);
    }
    portal.ackWith(null);
    process.stderr.write(
      `[consoles] flood: max held ${(maxHeld / 1024).toFixed(0)} KiB, slowest echo ${maxLatency} ms\n`,
    );
    // Two game consoles, each: 256 KiB scrollback, one frame being made, one 1 MiB viewer queue.
    expect(maxHeld).toBeLessThan(3 * 1024 * 1024);
    expect(maxLatency).toBeLessThan(2_000);
    for (const output of portal.outputs) expect(output.frames.length).toBeLessThanOrEqual(1024);
    await portal.command("server:power", { serverId: "flood1", action: "kill" });
  }, 120_000);
});

describe("a dev server's terminal with the process driver", () => {
  it("runs a login shell in the workspace as the agent's user and ends it on close", async () => {
    await provision(devServerSpec("dev1"));
    const created = await portal.command<Result<TerminalInfo>>("terminal:create", {
      serverId: "dev1",
      cols: 100,
      rows: 30,
    });
    if (!created.ok) throw new Error(created.error.message);
    expect(created.data).toMatchObject({ title: "Terminal 1", exited: false });
    const { terminalId } = created.data;
    await until("terminal:update", () =>
      portal.terminals.find((u) => u.serverId === "dev1" && u.terminals.length === 1),
    );
    const replay = await open({ serverId: "dev1", terminalId });
    expect(await input("dev1", 'echo "$USER $HOME"; pwd; echo "PID=$$"\r', terminalId)).toEqual({
      ok: true,
      data: {},
    });
    const workspace = path.join(serverFolder(dataDir, "dev1"), "data");
    const output = await until("the shell's answer", () => {
      const seen = text(replay.frames) + portal.text("dev1", terminalId, replay.runId);
      return /PID=\d+/.test(seen) ? seen : undefined;
    });
    expect(output).toContain(`${userInfo().username} ${workspace}\r\n${workspace}\r\n`);
    const pid = Number(/PID=(\d+)/.exec(output)![1]);
    expect(existsSync(`/proc/${pid}`)).toBe(true);

    expect(await portal.command("terminal:close", { serverId: "dev1", terminalId })).toEqual({
      ok: true,
      data: { closed: true },
    });
    await until("the shell gone", () => (existsSync(`/proc/${pid}`) ? undefined : true), 5_000);
    expect(portal.terminals.at(-1)).toEqual({ serverId: "dev1", terminals: [] });
    await portal.command("server:delete", { serverId: "dev1" });
  });
});
