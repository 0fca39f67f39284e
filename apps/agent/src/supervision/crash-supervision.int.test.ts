// Crash supervision on the real Docker engine, driven over a real link (a Socket.IO portal
// stand-in on port 0): what the crash reports say, when restarts happen, and hangs caught by
// liveness checks. The restart policy is scaled down (300 ms / 600 ms, reset after 2 s).
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import type {
  LivenessCheck,
  RestartPolicy,
  Result,
  ServerCrashEvent,
  ServerSpecPayload,
} from "@berth/protocol";
import Docker from "dockerode";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeIf, dockerAvailable } from "../../../../test/require-dependency";
import { DEV_IMAGE, ensureDevImage } from "../images/dev-image";
import { startLinkedAgent, until, type LinkedAgent, type TestPortal } from "../link/test-portal";
import { DEFAULT_SUPERVISION } from "../servers/test-spec";
import { TEST_CACHE_DIR as CACHE_DIR, devImageAvailable } from "../servers/test-docker";

const RUN = randomUUID().slice(0, 8);
const LABELS = { "berth.test": "1", "berth.test.run": RUN };

const FAST: RestartPolicy = {
  enabled: true,
  delaysMs: [300, 600],
  resetAfterMs: 2_000,
  maxConsecutiveCrashes: 3,
};
const OFF: RestartPolicy = { ...FAST, enabled: false };

const engine = new Docker();
const hasEngine = await dockerAvailable();
const devImageReady = await devImageAvailable(engine);

const newId = (name: string) => `t${RUN}${name}`;

function spec(
  serverId: string,
  startup: string,
  policy: Partial<ServerSpecPayload["policy"]> = {},
  extra: Partial<ServerSpecPayload> = {},
): ServerSpecPayload {
  return {
    serverId,
    kind: "game",
    image: "berth/generic:1",
    startup,
    env: {},
    limits: { memoryMb: 64, cpuPercent: 100, pids: 64 },
    ports: [],
    capabilities: [],
    policy: {
      stopCommand: null,
      donePattern: null,
      stopTimeoutMs: 2000,
      termTimeoutMs: 2000,
      ...DEFAULT_SUPERVISION,
      restart: OFF,
      ...policy,
    },
    runtimes: [],
    codeServer: null,
    ...extra,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describeIf(
  { name: "Docker engine", available: hasEngine, why: "crashes happen in real containers" },
  {
    name: `${DEV_IMAGE}, or debootstrap run as root to build it`,
    available: devImageReady,
    why: "the missing-library crash runs a Debian binary in the dev image",
  },
)("crash supervision with Docker", () => {
  let linked: LinkedAgent;
  let portal: TestPortal;

  beforeAll(async () => {
    linked = await startLinkedAgent("berth-crashes-", {
      driver: "docker",
      labels: LABELS,
      cacheDir: CACHE_DIR,
    });
    ({ portal } = linked);
    // Built here, not inside a provision: on a fresh node that takes longer than a command's ack.
    await ensureDevImage(engine, { cacheDir: CACHE_DIR });
  }, 20 * 60_000);

  afterAll(async () => {
    await linked?.close();
    const containers = await engine.listContainers({
      all: true,
      filters: { label: [`berth.test.run=${RUN}`] },
    });
    await Promise.all(
      containers.map((c) =>
        engine
          .getContainer(c.Id)
          .remove({ force: true, v: true })
          .catch(() => undefined),
      ),
    );
  });

  async function provision(payload: ServerSpecPayload): Promise<void> {
    const result = await portal.command<Result<unknown>>("server:provision", {
      spec: payload,
      start: true,
    });
    expect(result).toMatchObject({ ok: true });
  }

  const crashesOf = (serverId: string) => portal.crashes.filter((c) => c.serverId === serverId);
  const statesOf = (serverId: string) => portal.states.filter((s) => s.serverId === serverId);
  const nthCrash = (serverId: string, n: number, timeoutMs = 20_000) =>
    until(`crash ${n} of ${serverId}`, () => crashesOf(serverId)[n - 1], timeoutMs);

  it("a container that allocates past its 32 MiB limit is an oom crash", async () => {
    const serverId = newId("oom");
    // The shell itself grows: a 64 MiB command substitution cannot fit in 32 MiB.
    await provision(
      spec(
        serverId,
        `echo allocating; x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo survived`,
        {},
        {
          limits: { memoryMb: 32, cpuPercent: 100, pids: 64 },
        },
      ),
    );
    const crash = await nthCrash(serverId, 1);
    expect(crash).toMatchObject({
      class: "oom",
      oomKilled: true,
      exitCode: 137,
      matchedRule: "exit:oom-killed",
      restartAt: null,
      crashLoop: false,
    });
    expect(crash.logTail).toContain("allocating");
    expect(crash.logTail).not.toContain("survived");
    const inspected = await engine.getContainer(`berth-${serverId}`).inspect();
    expect(inspected.State.OOMKilled).toBe(true);
  });

  it("a script printing a mod load failure, then exiting 1, is a mod_or_plugin_error naming the mod", async () => {
    const serverId = newId("mod");
    const log = [
      "[12:01:22] [main/INFO] [net.minecraftforge.server.loading.ServerModLoader/]: Forge mod loading, version 47.2.0, for MC 1.20.1",
      "[12:01:26] [main/FATAL] [net.minecraftforge.fml.ModLoader/]: Failed to complete lifecycle event CONSTRUCT, 1 errors found",
      "net.minecraftforge.fml.ModLoadingException: Better Furnaces (betterfurnacesreforged) has failed to load correctly",
      '\tjava.lang.NullPointerException: Cannot invoke "net.minecraft.world.item.Item.m_41720_()" because "item" is null',
    ];
    const printf = log.map((line) => `'${line.replaceAll("\t", "\\t")}'`).join(" ");
    await provision(spec(serverId, `printf '%b\\n' ${printf}; exit 1`));
    const crash = await nthCrash(serverId, 1);
    expect(crash).toMatchObject({
      class: "mod_or_plugin_error",
      exitCode: 1,
      matchedRule: "forge.mod-failed",
      subject: "betterfurnacesreforged",
    });
    expect(crash.suggestion).toContain("betterfurnacesreforged");
    expect(crash.logTail.at(-1)).toContain("NullPointerException");
  });

  it("a binary whose shared library the image lacks is a missing_dependency naming the library", async () => {
    const serverId = newId("lib");
    // A real dynamically linked program whose library is not in the image: the image's own curl
    // with its libz dependency renamed. The dynamic loader, not the test, writes the error.
    const startup = [
      `perl -0777 -pe 's/libz\\.so\\.1/libq.so.1/' /usr/bin/curl > /tmp/server`,
      "chmod +x /tmp/server",
      "exec /tmp/server --version",
    ].join(" && ");
    await provision(spec(serverId, startup, {}, { image: DEV_IMAGE }));
    const crash = await nthCrash(serverId, 1, 120_000);
    expect(crash).toMatchObject({
      class: "missing_dependency",
      exitCode: 127,
      matchedRule: "native.shared-library",
      subject: "libq.so.1",
    });
    expect(crash.logTail.join("\n")).toContain(
      "error while loading shared libraries: libq.so.1: cannot open shared object file",
    );
  }, 180_000);

  it("restarts after 300 ms, then 600 ms, and pauses in error at the third crash", async () => {
    const serverId = newId("loop");
    await provision(spec(serverId, "echo boom; exit 3", { restart: FAST }));
    const third = await nthCrash(serverId, 3);
    const [first, second] = crashesOf(serverId) as [ServerCrashEvent, ServerCrashEvent];
    expect(first.restartAt! - first.at).toBe(300);
    expect(second.restartAt! - second.at).toBe(600);
    expect(third).toMatchObject({ restartAt: null, crashLoop: true, class: "nonzero_exit" });
    const error = await until("error", () => statesOf(serverId).find((s) => s.state === "error"));
    expect(error).toMatchObject({ reason: "crash loop — auto-restart paused", restartAt: null });

    // Each automatic start came when its restart was due, not before and not much later.
    const restarts = statesOf(serverId).filter(
      (s) => s.state === "starting" && s.reason === "automatic restart after a crash",
    );
    expect(restarts).toHaveLength(2);
    for (const [crash, restart] of [
      [first, restarts[0]!],
      [second, restarts[1]!],
    ] as const) {
      expect(restart.since).toBeGreaterThanOrEqual(crash.restartAt!);
      expect(restart.since - crash.restartAt!).toBeLessThan(250);
    }
    // The crashed states carry the restart time, so the UI can count down.
    const crashed = statesOf(serverId).filter((s) => s.state === "crashed");
    expect(crashed.map((s) => s.restartAt)).toEqual([first.restartAt, second.restartAt, null]);

    // Paused means paused: nothing starts it again.
    const container = engine.getContainer(`berth-${serverId}`);
    const stoppedAt = (await container.inspect()).State.FinishedAt;
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await container.inspect()).State).toMatchObject({
      Running: false,
      FinishedAt: stoppedAt,
    });
    expect(crashesOf(serverId)).toHaveLength(3);
  });

  it("a server that stops answering its console check is killed as hung and restarted", async () => {
    const serverId = newId("hungc");
    const liveness: LivenessCheck = {
      kind: "console",
      command: "ping",
      expect: "^pong$",
      initialDelayMs: 0,
      intervalMs: 1000,
      timeoutMs: 500,
      failures: 2,
    };
    // Answers the first two pings, then goes on reading without answering.
    const startup =
      'echo ready; n=0; while read l; do n=$((n+1)); [ "$n" -le 2 ] && echo pong; done';
    await provision(spec(serverId, startup, { restart: FAST, liveness }));
    const crash = await nthCrash(serverId, 1);
    expect(crash).toMatchObject({
      class: "hung",
      matchedRule: "liveness:console",
      restartAt: crash.at + 300,
    });
    expect(crash.suggestion).toContain("no answer within 500 ms");
    expect(crash.logTail.filter((l) => l === "pong")).toHaveLength(2);
    expect(crash.uptimeMs).toBeGreaterThanOrEqual(3_000);
    // Killed, then started again by the policy.
    await until("running again", () =>
      statesOf(serverId).some((s) => s.state === "starting" && s.since >= crash.restartAt!)
        ? true
        : undefined,
    );
    await portal.command("server:power", { serverId, action: "kill" });
  });

  it("a port that stops accepting behind Docker's published port is hung, not alive", async () => {
    const serverId = newId("hungt");
    const hostPort = await freePort();
    const liveness: LivenessCheck = {
      kind: "tcp",
      port: 8080,
      initialDelayMs: 500,
      intervalMs: 1000,
      timeoutMs: 800,
      failures: 2,
    };
    // Listens for about 4 s, then closes the port while the container keeps running.
    const startup =
      "httpd -f -p 8080 -h /tmp & pid=$!; echo ready; sleep 4; kill $pid; echo closed; while :; do sleep 1; done";
    await provision(
      spec(
        serverId,
        startup,
        { liveness },
        {
          ports: [{ hostPort, containerPort: 8080, protocol: "tcp" }],
        },
      ),
    );
    const crash = await nthCrash(serverId, 1);
    expect(crash).toMatchObject({ class: "hung", matchedRule: "liveness:tcp" });
    expect(crash.suggestion).toContain(`port ${hostPort}: accepted, then closed at once`);
    // The checks passed while the port was open: the hang came only after it closed.
    expect(crash.logTail).toContain("closed");
    expect(crash.uptimeMs).toBeGreaterThanOrEqual(4_000);
    expect((await engine.getContainer(`berth-${serverId}`).inspect()).State.Running).toBe(false);
  });
});
