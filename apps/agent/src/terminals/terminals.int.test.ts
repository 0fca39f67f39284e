// Dev server terminals with the real Docker engine and the dev image, driven over a real link (a
// Socket.IO portal stand-in on port 0): the shell's identity and place, the limit, and that closing
// a tab leaves no shell behind in the container.
import { randomUUID } from "node:crypto";
import { homedir } from "node:os";
import path from "node:path";
import type { ConsoleReplay, Result, TerminalInfo } from "@berth/protocol";
import Docker from "dockerode";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { describeIf, dockerAvailable, hasCommand } from "../../../../test/require-dependency";
import { containerName } from "../drivers/docker/container-options";
import { DEV_IMAGE } from "../images/dev-image";
import { inspectImage } from "../images/image-build";
import { startLinkedAgent, until, type LinkedAgent, type TestPortal } from "../link/test-portal";
import { devServerSpec } from "../servers/test-spec";

const RUN = randomUUID().slice(0, 8);
const LABELS = { "berth.test": "1", "berth.test.run": RUN };
// The cache the image tests use: the dev image's Debian rootfs takes about a minute to make once.
const CACHE_DIR = process.env.BERTH_CACHE_DIR ?? path.join(homedir(), ".cache", "berth");

const engine = new Docker();
const hasEngine = await dockerAvailable();
const devImageReady =
  hasEngine &&
  ((await inspectImage(engine, DEV_IMAGE).catch(() => null)) !== null ||
    ((hasCommand("debootstrap") || hasCommand("/usr/sbin/debootstrap")) &&
      process.getuid?.() === 0));

const serverId = `t${RUN}dev`;

describeIf(
  { name: "Docker engine", available: hasEngine, why: "terminals are docker exec'd shells" },
  {
    name: `${DEV_IMAGE}, or debootstrap run as root to build it`,
    available: devImageReady,
    why: "dev servers run in the dev image (its rootfs is cached in BERTH_CACHE_DIR)",
  },
)("dev server terminals with Docker", () => {
  let linked: LinkedAgent;
  let portal: TestPortal;

  beforeAll(async () => {
    linked = await startLinkedAgent("berth-terminals-", {
      driver: "docker",
      labels: LABELS,
      cacheDir: CACHE_DIR,
    });
    ({ portal } = linked);
    const provisioned = await portal.command<Result<unknown>>("server:provision", {
      spec: devServerSpec(serverId),
      start: true,
    });
    expect(provisioned).toMatchObject({ ok: true });
    await until(
      "the dev server ready",
      () => portal.progress.find((p) => p.serverId === serverId && p.stage === "ready"),
      120_000,
    );
  }, 20 * 60_000);

  afterAll(async () => {
    await portal?.command("server:delete", { serverId }).catch(() => undefined);
    await linked?.close();
    const containers = await engine.listContainers({
      all: true,
      filters: { label: [`berth.test.run=${RUN}`] },
    });
    await Promise.all(
      containers.map((c) =>
        engine
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
    );
  });

  afterEach(async () => {
    const listed = await portal.command<Result<{ terminals: TerminalInfo[] }>>("terminal:list", {
      serverId,
    });
    for (const { terminalId } of listed.ok ? listed.data.terminals : []) {
      await portal.command("terminal:close", { serverId, terminalId });
    }
  });

  async function create(): Promise<Result<TerminalInfo>> {
    return portal.command<Result<TerminalInfo>>("terminal:create", { serverId });
  }

  /** Types into a terminal and waits for `pattern` in what it printed since it was opened. */
  async function run(terminalId: string, line: string, pattern: RegExp): Promise<RegExpExecArray> {
    const opened = await portal.command<Result<ConsoleReplay>>("console:open", {
      serverId,
      terminalId,
    });
    if (!opened.ok) throw new Error(opened.error.message);
    const typed = await portal.command("console:input", { serverId, terminalId, data: line });
    expect(typed).toEqual({ ok: true, data: {} });
    return until(`${pattern} in the terminal`, () => {
      const seen =
        opened.data.frames.map((f) => f.data).join("") + portal.text(serverId, terminalId);
      return pattern.exec(seen) ?? undefined;
    });
  }

  /** The container's processes as `pid user args` lines, from a `ps` exec'd beside them. */
  async function processes(): Promise<string[]> {
    const exec = await engine.getContainer(containerName(serverId)).exec({
      Cmd: ["ps", "-eo", "pid=,user=,args="],
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
    });
    const stream = await exec.start({ hijack: true, stdin: false, Tty: true });
    let output = "";
    stream.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await new Promise((resolve) => stream.on("end", resolve));
    return output
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0 && !/\bps -eo\b/.test(line));
  }

  it("runs a login shell as the dev user in the workspace", async () => {
    const created = await create();
    if (!created.ok) throw new Error(created.error.message);
    // The typed line is echoed too; the `$` keeps the patterns off it.
    const match = await run(
      created.data.terminalId,
      'echo "U=$USER H=$HOME"; echo "P=$(pwd)"\r',
      /U=([^\s$]+) H=([^\s$]+)\r\nP=([^\s$]+)\r\n/,
    );
    expect(`${match[1]} ${match[2]}`).toBe("dev /home/dev");
    expect(match[3]).toBe("/home/dev/workspace");
    await portal.command("terminal:close", { serverId, terminalId: created.data.terminalId });
  });

  it("refuses a seventh terminal and leaves no shell behind when tabs close", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const created = await create();
      if (!created.ok) throw new Error(created.error.message);
      ids.push(created.data.terminalId);
    }
    expect(await create()).toEqual({
      ok: false,
      error: { code: "CONFLICT", message: "A server has at most 6 terminals; close one first" },
    });

    const pid = Number((await run(ids[0]!, 'echo "PID=$$"\r', /PID=(\d+)\r\n/))[1]);
    const shells = () => processes().then((lines) => lines.filter((l) => / bash -l$/.test(l)));
    await until("six shells", async () => ((await shells()).length === 6 ? true : undefined));
    expect((await processes()).some((line) => line.startsWith(`${pid} dev `))).toBe(true);

    // A shell that ignores the hang-up is killed once its grace time is up.
    await run(ids[1]!, "trap '' HUP; echo trap''ped\r", /trapped\r\n/);

    expect(await portal.command("terminal:close", { serverId, terminalId: ids[0] })).toEqual({
      ok: true,
      data: { closed: true },
    });
    const after = await processes();
    expect(after.some((line) => line.startsWith(`${pid} `))).toBe(false);
    expect(after.filter((l) => / bash -l$/.test(l))).toHaveLength(5);
    expect(portal.terminals.at(-1)?.terminals.map((t) => t.terminalId)).toEqual(ids.slice(1));

    for (const terminalId of ids.slice(1)) {
      expect(await portal.command("terminal:close", { serverId, terminalId })).toEqual({
        ok: true,
        data: { closed: true },
      });
    }
    expect(await shells()).toEqual([]);
    expect(portal.terminals.at(-1)).toEqual({ serverId, terminals: [] });
  }, 120_000);

  it("ends the terminals of a server that stops", async () => {
    const created = await create();
    if (!created.ok) throw new Error(created.error.message);
    await run(created.data.terminalId, "echo ready-$((6*7))\r", /ready-42/);
    await portal.command("server:power", { serverId, action: "stop" });
    await until("the terminals gone", () =>
      portal.terminals.at(-1)?.terminals.length === 0 ? true : undefined,
    );
    expect(
      await portal.command("console:input", {
        serverId,
        terminalId: created.data.terminalId,
        data: "ls\r",
      }),
    ).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await create()).toEqual({
      ok: false,
      error: { code: "CONFLICT", message: "The server is not running" },
    });
  });
});
