// Crash reports, stats and a typed stop over a real link (a Socket.IO portal stand-in on port 0),
// with servers run by the real process driver (node-pty).
import type { Result, ServerSpecPayload } from "@berth/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SUPERVISION } from "../servers/test-spec";
import { startLinkedAgent, until, type LinkedAgent, type TestPortal } from "./test-portal";

let linked: LinkedAgent;
let portal: TestPortal;

beforeAll(async () => {
  linked = await startLinkedAgent("berth-crash-reports-", { driver: "process" });
  ({ portal } = linked);
});

afterAll(async () => {
  await linked?.close();
});

function spec(serverId: string, startup: string, stopCommand: string | null = null) {
  return {
    serverId,
    kind: "game",
    image: "berth/generic:1",
    startup,
    env: {},
    limits: { memoryMb: 256, cpuPercent: 100, pids: 64 },
    ports: [],
    capabilities: [],
    policy: {
      stopCommand,
      donePattern: "^ready$",
      stopTimeoutMs: 5000,
      termTimeoutMs: 5000,
      ...DEFAULT_SUPERVISION,
      restart: { ...DEFAULT_SUPERVISION.restart, enabled: false },
    },
    runtimes: [],
    codeServer: null,
  } satisfies ServerSpecPayload;
}

async function provision(payload: ServerSpecPayload): Promise<void> {
  const result = await portal.command<Result<unknown>>("server:provision", {
    spec: payload,
    start: true,
  });
  expect(result.ok).toBe(true);
}

describe("crash reports over the link", () => {
  it("are sent again after a reconnect until the portal acknowledges them", async () => {
    portal.ackCrashes(false);
    await provision(spec("crash1", "echo ready; echo 'Save world2 is corrupt'; exit 2"));
    const first = await until("the crash report", () =>
      portal.crashes.find((c) => c.serverId === "crash1"),
    );
    expect(first).toMatchObject({
      class: "nonzero_exit",
      exitCode: 2,
      logTail: ["ready", "Save world2 is corrupt"],
      restartAt: null,
      crashLoop: false,
    });

    portal.ackCrashes(true);
    portal.disconnectAgent();
    await until("the report sent again", () =>
      portal.crashes.filter((c) => c.crashId === first.crashId).length >= 2 ? true : undefined,
    );
    const count = portal.crashes.length;
    await new Promise((r) => setTimeout(r, 500));
    expect(portal.crashes.length).toBe(count);
    expect(portal.crashes.filter((c) => c.serverId === "crash1")).toEqual([first, first]);
  });
});

describe("stats over the link", () => {
  it("arrive every 2 s with a sample of each running server", async () => {
    await provision(spec("stats1", 'echo ready; while read l; do echo "> $l"; done'));
    await until("running", () =>
      portal.states.find((s) => s.serverId === "stats1" && s.state === "running"),
    );
    const since = portal.stats.length;
    await until(
      "two stats events",
      () => (portal.stats.length >= since + 2 ? true : undefined),
      10_000,
    );
    const [a, b] = portal.stats.slice(since);
    const sampleA = a!.samples.find((s) => s.serverId === "stats1");
    const sampleB = b!.samples.find((s) => s.serverId === "stats1");
    expect(sampleA).toMatchObject({ serverId: "stats1", memoryBytes: expect.any(Number) });
    expect(sampleA!.memoryBytes).toBeGreaterThan(0);
    expect(sampleB!.at - sampleA!.at).toBeGreaterThanOrEqual(1_900);
    expect(sampleB!.at - sampleA!.at).toBeLessThan(3_000);
    await portal.command("server:power", { serverId: "stats1", action: "kill" });
  });
});

describe("a stop command typed into the console", () => {
  it("stops the server without a crash", async () => {
    await provision(
      spec(
        "typed1",
        'echo ready; while read l; do [ "$l" = stop ] && { echo saving; exit 0; }; echo "> $l"; done',
        "stop",
      ),
    );
    await until("running", () =>
      portal.states.find((s) => s.serverId === "typed1" && s.state === "running"),
    );
    for (const key of "stop\r") {
      await portal.command("console:input", { serverId: "typed1", terminalId: null, data: key });
    }
    const offline = await until("offline after the stop", () => {
      const last = portal.states.filter((s) => s.serverId === "typed1").at(-1);
      return last?.state === "offline" && last.reason !== "install finished" ? last : undefined;
    });
    expect(offline.reason).toBe("exited after stop (code 0)");
    expect(portal.states.filter((s) => s.serverId === "typed1").map((s) => s.state)).toEqual([
      "installing",
      "offline",
      "starting",
      "running",
      "stopping",
      "offline",
    ]);
    expect(portal.crashes.filter((c) => c.serverId === "typed1")).toEqual([]);
  });
});
