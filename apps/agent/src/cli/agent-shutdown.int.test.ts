// SIGTERM to the real agent CLI (`berth-agent run`) with the Docker driver, linked to a portal
// stand-in: servers keep running, a pending automatic restart dies with the agent, and the next
// agent adopts what runs without starting anything again.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Result, ServerSpecPayload } from "@berth/protocol";
import Docker from "dockerode";
import { afterAll, beforeAll, expect, it } from "vitest";
import { spawnAgent, type AgentProcess } from "../../../../test/agent-process";
import { describeIf, dockerAvailable } from "../../../../test/require-dependency";
import { startTestPortal, until, type TestPortal } from "../link/test-portal";
import { echoServerSpec } from "../servers/test-spec";

const RUN = randomUUID().slice(0, 8);
const engine = new Docker();
const RESTART_DELAY_MS = 3_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeIf({
  name: "Docker engine",
  available: await dockerAvailable(),
  why: "servers must outlive the agent, which only containers do",
})("agent shutdown with Docker", () => {
  let portal: TestPortal;
  let dir = "";
  let env: Record<string, string> = {};
  const agents: AgentProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "berth-shutdown-"));
    portal = await startTestPortal();
    const configFile = path.join(dir, "agent.json");
    await writeFile(
      configFile,
      JSON.stringify({
        portalUrl: portal.url,
        nodeId: "n1",
        nodeName: "n",
        credential: "c".repeat(43),
      }),
    );
    env = {
      BERTH_AGENT_CONFIG: configFile,
      BERTH_AGENT_DATA_DIR: dir,
      BERTH_AGENT_DRIVER: "docker",
      BERTH_AGENT_CONTAINER_LABELS: `berth.test=1,berth.test.run=${RUN}`,
    };
  });

  afterAll(async () => {
    for (const agent of agents) agent.child.kill("SIGKILL");
    await portal?.close();
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
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function startAgent(): Promise<AgentProcess> {
    const agent = spawnAgent(["run"], env);
    agents.push(agent);
    await until("the agent's link", () => (portal.connected ? true : undefined), 30_000);
    return agent;
  }

  const state = async (serverId: string) =>
    (await engine.getContainer(`berth-${serverId}`).inspect()).State;

  it("SIGTERM stops no server and drops the pending restart; the next agent adopts and restarts nothing", async () => {
    const first = await startAgent();
    const steady = `t${RUN}steady`;
    const crasher = `t${RUN}crasher`;
    const crasherSpec: ServerSpecPayload = {
      ...echoServerSpec(crasher),
      startup: "echo boom; exit 3",
      policy: {
        ...echoServerSpec(crasher).policy,
        donePattern: null,
        restart: {
          enabled: true,
          delaysMs: [RESTART_DELAY_MS],
          resetAfterMs: 60_000,
          maxConsecutiveCrashes: 3,
        },
      },
    };
    for (const spec of [echoServerSpec(steady), crasherSpec]) {
      const result = await portal.command<Result<unknown>>("server:provision", {
        spec,
        start: true,
      });
      expect(result).toMatchObject({ ok: true });
    }
    await until("the steady server running", () =>
      portal.states.find((s) => s.serverId === steady && s.state === "running"),
    );
    const crash = await until("the crash", () =>
      portal.crashes.find((c) => c.serverId === crasher),
    );
    expect(crash.restartAt).toBe(crash.at + RESTART_DELAY_MS);
    const steadyBefore = await state(steady);
    const crasherBefore = await state(crasher);
    expect(steadyBefore.Running).toBe(true);
    expect(crasherBefore.Running).toBe(false);

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain("agent stopping; servers keep running");
    expect(first.output()).not.toMatch(/"level":(50|60)/);

    // The restart would have been due by now; the agent that planned it is gone.
    await sleep(Math.max(0, crash.restartAt! - Date.now()) + 1_000);
    expect(await state(steady)).toMatchObject({ Running: true, StartedAt: steadyBefore.StartedAt });
    expect(await state(crasher)).toMatchObject({
      Running: false,
      StartedAt: crasherBefore.StartedAt,
    });

    const statesBefore = portal.states.length;
    const second = await startAgent();
    await until("the steady server adopted", () =>
      portal.states
        .slice(statesBefore)
        .find(
          (s) =>
            s.serverId === steady &&
            s.state === "running" &&
            s.reason === "found running after an agent restart",
        ),
    );
    await sleep(RESTART_DELAY_MS + 1_000);
    expect(await state(steady)).toMatchObject({ Running: true, StartedAt: steadyBefore.StartedAt });
    expect(await state(crasher)).toMatchObject({
      Running: false,
      StartedAt: crasherBefore.StartedAt,
    });
    expect(portal.crashes.filter((c) => c.serverId === crasher)).toHaveLength(1);
    expect(
      portal.states
        .slice(statesBefore)
        .filter((s) => s.serverId === crasher && s.state !== "offline"),
    ).toEqual([]);

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(await state(steady)).toMatchObject({ Running: true, StartedAt: steadyBefore.StartedAt });
  }, 60_000);
});
