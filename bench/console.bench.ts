// Consoles on real parts: browser sockets → portal → a real agent process (process driver) → a
// login shell in a PTY → back. (1) Keystroke round trip against a direct node-pty echo of the same
// shell, interleaved. (2) A 200 MB flood in one dev server's terminal: RSS growth of portal and
// agent, and the ack latency of input to another server's terminal meanwhile. (3) 200 viewers on
// one terminal: delivery latency of each keystroke's echo to every viewer.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import * as pty from "node-pty";
import type { Socket } from "socket.io-client";
import { createCaller, createTRPCContext } from "@berth/api";
import { createUser } from "@berth/api/services";
import type { ConsoleOutput, Result, TerminalInfo } from "@berth/protocol";
import { connectBrowser, sessionCookie } from "../test/portal";
import { rssMb, startBenchAgent, until } from "./agent-node";
import { BENCH_SECRET, startBenchPlatform } from "./platform";
import { machine, round, summarize } from "./stats";

const KEYS = ["a", "\x7f"]; // type a letter, erase it: the shell's line stays empty
const KEY_INTERVAL_MS = 30;

interface Viewer {
  socket: Socket;
  /** Resolves on the next console:data of the given terminal. */
  next(terminalId: string): Promise<ConsoleOutput>;
  text(terminalId: string): string;
}

function viewer(socket: Socket): Viewer {
  const waiting = new Map<string, Array<(o: ConsoleOutput) => void>>();
  const texts = new Map<string, string[]>();
  socket.on("console:data", (output: ConsoleOutput) => {
    const id = output.terminalId ?? "";
    const parts = texts.get(id) ?? [];
    for (const frame of output.frames) parts.push(frame.data);
    if (parts.length > 2000) parts.splice(0, parts.length - 1000);
    texts.set(id, parts);
    const list = waiting.get(id);
    waiting.delete(id);
    for (const resolve of list ?? []) resolve(output);
  });
  return {
    socket,
    next: (terminalId) =>
      new Promise((resolve) =>
        waiting.set(terminalId, [...(waiting.get(terminalId) ?? []), resolve]),
      ),
    text: (terminalId) => (texts.get(terminalId) ?? []).join(""),
  };
}

async function ack<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const result = (await socket.timeout(15_000).emitWithAck(event, payload)) as Result<T>;
  if (!result.ok) throw new Error(`${event}: ${result.error.message}`);
  return result.data;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run({ quick }: { quick: boolean }) {
  const samples = quick ? 100 : 2000;
  const fanoutViewers = quick ? 20 : 200;
  const fanoutSamples = quick ? 5 : 50;
  const floodBytes = quick ? 20_000_000 : 200_000_000;

  const platform = await startBenchPlatform("console");
  const { dir, prisma, portal } = platform;
  const agent = await startBenchAgent({
    prisma,
    portalUrl: portal.url,
    dir,
    name: "console-node",
    driver: "process",
  });
  const owner = await createUser({
    db: prisma,
    email: "bench@test",
    password: "password1",
    role: "user",
  });
  const cookie = await sessionCookie(BENCH_SECRET, { ...owner, role: "user" });
  const caller = createCaller(
    createTRPCContext({ runtime: portal.runtime, sessionUser: owner, ip: "127.0.0.1" }),
  );
  const sockets: Socket[] = [];
  const connect = async () => {
    const socket = connectBrowser(portal.url, cookie);
    sockets.push(socket);
    await until(async () => (socket.connected ? true : undefined), 10_000, "browser socket");
    return viewer(socket);
  };
  const devServer = async (name: string) => {
    const { id } = await caller.servers.create({ kind: "dev", name, memoryMb: 256 });
    await until(
      async () =>
        (await prisma.server.findUniqueOrThrow({ where: { id } })).observedState === "running"
          ? true
          : undefined,
      60_000,
      `${name} running`,
    );
    return id;
  };
  const openTerminal = async (v: Viewer, serverId: string) => {
    const terminal = await ack<TerminalInfo>(v.socket, "terminal:create", {
      serverId,
      cols: 120,
      rows: 40,
    });
    const first = v.next(terminal.terminalId);
    await ack(v.socket, "console:join", {
      serverId,
      terminalId: terminal.terminalId,
      resumeFromSeq: null,
      runId: null,
    });
    await first;
    await sleep(500); // the login shell's prompt settles
    return terminal.terminalId;
  };

  try {
    // --- (1) keystroke round trip vs a direct PTY echo --------------------------------------------
    const probeServer = await devServer("probe");
    const probe = await connect();
    const probeTerminal = await openTerminal(probe, probeServer);
    const direct = pty.spawn("bash", ["-l"], {
      name: "xterm-256color",
      cols: 120,
      rows: 40,
      cwd: mkdtempSync(join(tmpdir(), "berth-bench-pty-")),
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", TERM: "xterm-256color", HOME: tmpdir() },
    });
    let directWaiter: (() => void) | null = null;
    direct.onData(() => {
      const resolve = directWaiter;
      directWaiter = null;
      resolve?.();
    });
    await sleep(500);

    const keystroke = async (i: number) => {
      const echoed = probe.next(probeTerminal);
      probe.socket.emit("console:input", {
        serverId: probeServer,
        terminalId: probeTerminal,
        data: KEYS[i % 2],
      });
      await echoed;
    };
    const directKeystroke = async (i: number) => {
      const echoed = new Promise<void>((resolve) => (directWaiter = resolve));
      direct.write(KEYS[i % 2]!);
      await echoed;
    };
    const viaBerth: number[] = [];
    const viaPty: number[] = [];
    for (let i = 0; i < samples + 100; i++) {
      const a = performance.now();
      await keystroke(i);
      const b = performance.now();
      await directKeystroke(i);
      const c = performance.now();
      if (i >= 100) {
        viaBerth.push(b - a);
        viaPty.push(c - b);
      }
      // Keystrokes 30 ms apart (faster than anyone types): a console sends output after a quiet
      // tick (25 ms) at once and coalesces anything faster, by design.
      await sleep(KEY_INTERVAL_MS);
    }
    direct.kill();
    const idleAcks: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      await ack(probe.socket, "console:input", {
        serverId: probeServer,
        terminalId: probeTerminal,
        data: KEYS[i % 2],
      });
      idleAcks.push(performance.now() - t0);
      await sleep(KEY_INTERVAL_MS);
    }
    const idleAck = summarize(idleAcks);
    const berthRtt = summarize(viaBerth);
    const ptyRtt = summarize(viaPty);

    // --- (2) flood in another server's terminal ---------------------------------------------------
    const floodServer = await devServer("flood");
    const flooder = await connect();
    const floodTerminal = await openTerminal(flooder, floodServer);
    await sleep(1000);
    const rssBefore = { portal: process.memoryUsage().rss / 2 ** 20, agent: rssMb(agent.pid) };
    const rssPeak = { ...rssBefore };
    const marker = "FLOOD" + "DONE";
    flooder.socket.emit("console:input", {
      serverId: floodServer,
      terminalId: floodTerminal,
      data: `yes | head -c ${floodBytes}; sleep 2; echo FLOOD""DONE\r`,
    });
    const floodStart = performance.now();
    const otherAcks: number[] = [];
    let i = 0;
    while (!flooder.text(floodTerminal).includes(marker)) {
      if (performance.now() - floodStart > 150_000) throw new Error("the flood did not finish");
      const t0 = performance.now();
      await ack(probe.socket, "console:input", {
        serverId: probeServer,
        terminalId: probeTerminal,
        data: KEYS[i++ % 2],
      });
      otherAcks.push(performance.now() - t0);
      rssPeak.portal = Math.max(rssPeak.portal, process.memoryUsage().rss / 2 ** 20);
      rssPeak.agent = Math.max(rssPeak.agent, rssMb(agent.pid));
      await sleep(20);
    }
    const floodSeconds = (performance.now() - floodStart) / 1000;
    const throttleNotices =
      flooder.text(floodTerminal).split("[berth] output throttled").length - 1;
    const otherAck = summarize(otherAcks);

    // --- (3) fan-out to many viewers of one terminal ----------------------------------------------
    const watchers: Viewer[] = [];
    for (let n = 0; n < fanoutViewers; n++) {
      const w = await connect();
      await ack(w.socket, "console:join", {
        serverId: probeServer,
        terminalId: probeTerminal,
        resumeFromSeq: null,
        runId: null,
      });
      watchers.push(w);
    }
    await sleep(1000);
    const deliveries: number[] = [];
    let missed = 0;
    for (let s = 0; s < fanoutSamples; s++) {
      const t0 = performance.now();
      const arrivals = watchers.map((w) =>
        Promise.race([
          w.next(probeTerminal).then(() => performance.now() - t0),
          sleep(5000).then(() => null),
        ]),
      );
      probe.socket.emit("console:input", {
        serverId: probeServer,
        terminalId: probeTerminal,
        data: KEYS[s % 2],
      });
      for (const arrival of await Promise.all(arrivals)) {
        if (arrival === null) missed += 1;
        else deliveries.push(arrival);
      }
      await sleep(50);
    }
    const fanout = summarize(deliveries);

    return {
      bench: "console",
      machine: machine(),
      figures: {
        rtt_overhead_p50_ms: round(berthRtt.p50 - ptyRtt.p50, 3),
        rtt_overhead_p99_ms: round(berthRtt.p99 - ptyRtt.p99, 3),
        rtt_berth_p50_ms: round(berthRtt.p50, 3),
        rtt_berth_p99_ms: round(berthRtt.p99, 3),
        flood_rss_growth_mb_portal: round(rssPeak.portal - rssBefore.portal, 1),
        flood_rss_growth_mb_agent: round(rssPeak.agent - rssBefore.agent, 1),
        input_ack_idle_p50_ms: round(idleAck.p50, 2),
        flood_other_ack_p50_ms: round(otherAck.p50, 2),
        flood_other_ack_p99_ms: round(otherAck.p99, 2),
        flood_mb: floodBytes / 1e6,
        flood_seconds: round(floodSeconds, 1),
        flood_throttle_notices: throttleNotices,
        [`fanout_${fanoutViewers}_delivery_p50_ms`]: round(fanout.p50, 2),
        [`fanout_${fanoutViewers}_delivery_p99_ms`]: round(fanout.p99, 2),
        fanout_missed: missed,
      },
      baseline: {
        rtt_direct_p50_ms: round(ptyRtt.p50, 3),
        rtt_direct_p99_ms: round(ptyRtt.p99, 3),
        samples,
        key_interval_ms: KEY_INTERVAL_MS,
        rss_before_mb: { portal: round(rssBefore.portal, 1), agent: round(rssBefore.agent, 1) },
      },
    };
  } finally {
    for (const socket of sockets) socket.close();
    agent.child.kill("SIGKILL");
    await platform.close();
  }
}
