// The whole server lifecycle on real parts: a portal on port 0, the real agent CLI as a process
// using the Docker engine, the tRPC procedures users call, and a browser socket in the server's room.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCaller, createTRPCContext } from "@berth/api";
import { createUser, ensureBuiltinTemplates } from "@berth/api/services";
import type { ServerProgressEvent, ServerStateEvent } from "@berth/protocol";
import { spawnAgent, type AgentProcess } from "./agent-process";
import { createTestDatabase, type TestDatabase } from "./db";
import {
  connectBrowser,
  enrollTestNode,
  sessionCookie,
  startTestPortal,
  waitFor,
  type TestPortal,
} from "./portal";
import { describeIf, dockerAvailable } from "./require-dependency";

const docker = new Docker();
const TEST_LABEL = "berth.test=1";

const describeWithDocker = describeIf({
  name: "Docker engine",
  available: await dockerAvailable(),
  why: "servers run as containers of the generic image",
});

describeWithDocker("server lifecycle on Docker through portal and agent", () => {
  let db: TestDatabase;
  let portal: TestPortal;
  let agent: AgentProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), "berth-lifecycle-"));
  let configFile: string;

  const runAgent = () =>
    spawnAgent(["run"], {
      BERTH_AGENT_CONFIG: configFile,
      BERTH_AGENT_DATA_DIR: join(dir, "agent"),
      BERTH_AGENT_DRIVER: "docker",
      BERTH_AGENT_CONTAINER_LABELS: TEST_LABEL,
      BERTH_AGENT_HEARTBEAT_MS: "1000",
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    await ensureBuiltinTemplates({ prisma: db.prisma });
    portal = await startTestPortal({ databaseUrl: db.url });
    ({ configFile } = await enrollTestNode({
      prisma: db.prisma,
      portalUrl: portal.url,
      name: "docker-node",
      dir,
    }));
  });
  afterAll(async () => {
    agent?.child.kill("SIGKILL");
    const leftovers = await docker.listContainers({
      all: true,
      filters: { label: [TEST_LABEL, "berth.server"] },
    });
    const ours = await db?.prisma.server.findMany({ select: { id: true } });
    const ids = new Set(ours?.map((s) => s.id));
    for (const c of leftovers) {
      if (ids.has(c.Labels["berth.server"] ?? ""))
        await docker.getContainer(c.Id).remove({ force: true });
    }
    await portal?.close();
    await db?.drop();
  });

  const containerOf = async (serverId: string) => {
    const [found] = await docker.listContainers({
      all: true,
      filters: { label: [`berth.server=${serverId}`] },
    });
    return found ? docker.getContainer(found.Id).inspect() : null;
  };
  const observed = (serverId: string) =>
    db.prisma.server.findUniqueOrThrow({ where: { id: serverId } }).then((s) => s.observedState);

  it("create → running → stop → start → kill → agent killed and restarted (reattached) → delete", async () => {
    agent = runAgent();
    await waitFor(
      async () =>
        (await db.prisma.node.findFirst({ where: { name: "docker-node" } }))?.status === "online" ||
        undefined,
      { what: "node online" },
    );
    const owner = await createUser({
      db: db.prisma,
      email: "owner@lifecycle.test",
      password: "password1",
      role: "user",
    });
    const caller = createCaller(
      createTRPCContext({
        runtime: portal.runtime,
        sessionUser: { ...owner, role: "user" },
        ip: "127.0.0.1",
      }),
    );
    const browser = connectBrowser(
      portal.url,
      await sessionCookie(portal.secret, { ...owner, role: "user" }),
    );
    const progress: ServerProgressEvent[] = [];
    const states: ServerStateEvent[] = [];
    browser.on("server:progress", (e: ServerProgressEvent) => progress.push(e));
    browser.on("server:state", (e: ServerStateEvent) => states.push(e));
    await waitFor(() => browser.connected || undefined, { what: "browser socket" });

    const template = await db.prisma.template.findUniqueOrThrow({
      where: { slug: "generic-console" },
    });
    const { id } = await caller.servers.create({
      kind: "game",
      name: "echo",
      templateId: template.id,
      memoryMb: 128,
    });
    // Subscribe as the page does; provisioning may already be under way.
    const subscribed = await browser
      .timeout(5000)
      .emitWithAck("server:subscribe", { serverId: id });
    expect(subscribed).toEqual({ ok: true, data: { serverId: id } });

    await waitFor(async () => ((await observed(id)) === "running" ? true : undefined), {
      what: "running",
      timeoutMs: 60_000,
    });
    const row = await db.prisma.server.findUniqueOrThrow({ where: { id } });
    expect(row.provisionStage).toBe("ready");
    expect(row.provisionPercent).toBe(100);
    const container = await containerOf(id);
    expect(container?.State.Running).toBe(true);
    expect(container?.HostConfig.Memory).toBe(128 * 2 ** 20);
    expect(container?.Config.Labels["berth.server"]).toBe(id);
    await waitFor(() => states.find((s) => s.serverId === id && s.state === "running"), {
      what: "running event",
    });
    expect(progress.filter((p) => p.serverId === id).at(-1)).toMatchObject({
      stage: "ready",
      percent: 100,
    });

    expect(await caller.servers.power({ serverId: id, action: "stop" })).toMatchObject({
      state: "offline",
    });
    expect((await containerOf(id))?.State.Running).toBe(false);
    expect(await caller.servers.power({ serverId: id, action: "start" })).toMatchObject({
      state: expect.stringMatching(/starting|running/),
    });
    await waitFor(async () => ((await observed(id)) === "running" ? true : undefined), {
      what: "running again",
    });
    expect(await caller.servers.power({ serverId: id, action: "kill" })).toMatchObject({
      state: "offline",
    });
    await caller.servers.power({ serverId: id, action: "start" });
    await waitFor(async () => ((await observed(id)) === "running" ? true : undefined), {
      what: "running a third time",
    });

    // kill -9 of the agent: Docker keeps the container; the restarted agent reattaches without a restart.
    const startedAt = (await containerOf(id))!.State.StartedAt;
    agent.child.kill("SIGKILL");
    await agent.exited;
    await new Promise((r) => setTimeout(r, 1000));
    expect((await containerOf(id))?.State.Running).toBe(true);
    agent = runAgent();
    await waitFor(
      async () => (agent!.output().includes('"msg":"hello acknowledged"') ? true : undefined),
      {
        what: "agent back",
      },
    );
    await waitFor(async () => ((await observed(id)) === "running" ? true : undefined), {
      what: "still running",
    });
    expect((await containerOf(id))?.State.StartedAt).toBe(startedAt);
    // Reattached for real: a stop goes through the adopted console and process.
    expect(await caller.servers.power({ serverId: id, action: "stop" })).toMatchObject({
      state: "offline",
    });

    await caller.servers.delete({ serverId: id });
    expect(await containerOf(id)).toBeNull();
    expect(await db.prisma.server.count({ where: { id } })).toBe(0);
    browser.close();
  }, 180_000);

  it("reconciles on reconnect: a server the agent lost is provisioned again, a stranger container is reported", async () => {
    const owner = await db.prisma.user.findUniqueOrThrow({
      where: { email: "owner@lifecycle.test" },
    });
    const caller = createCaller(
      createTRPCContext({
        runtime: portal.runtime,
        sessionUser: { ...owner, role: "user" },
        ip: "127.0.0.1",
      }),
    );
    const template = await db.prisma.template.findUniqueOrThrow({
      where: { slug: "generic-console" },
    });
    const { id } = await caller.servers.create({
      kind: "game",
      name: "lost",
      templateId: template.id,
      memoryMb: 64,
    });
    await waitFor(async () => ((await observed(id)) === "running" ? true : undefined), {
      what: "running",
      timeoutMs: 60_000,
    });

    // While the agent is down, the node loses the server (container and the agent's record)
    // and gains a container labelled for a server nobody here created.
    agent!.child.kill("SIGTERM");
    await agent!.exited;
    await docker.getContainer((await containerOf(id))!.Id).remove({ force: true });
    rmSync(join(dir, "agent", "state", "servers", `${id}.json`), { force: true });
    const stranger = await docker.createContainer({
      Image: "berth/generic:1",
      name: `berth-stranger${Date.now()}`,
      Cmd: ["sh"],
      Labels: { "berth.server": "stranger1", "berth.test": "1" },
    });

    try {
      agent = runAgent();
      await waitFor(async () => ((await containerOf(id))?.State.Running ? true : undefined), {
        what: "re-provisioned container",
        timeoutMs: 60_000,
      });
      await waitFor(async () => ((await observed(id)) === "running" ? true : undefined), {
        what: "running again",
      });
      // Other test files' containers on this engine may be reported too; ours must be among them.
      const reported = await waitFor(
        async () => {
          const rows = await db.prisma.auditLog.findMany({
            where: { action: "node.unknown_servers" },
          });
          return rows.find((r) => (r.data as { unknown: string[] }).unknown.includes("stranger1"));
        },
        { what: "stranger reported" },
      );
      expect(reported.targetType).toBe("node");
      // Reported, never deleted.
      expect((await stranger.inspect()).Id).toBeTruthy();
    } finally {
      await stranger.remove({ force: true });
      await caller.servers.delete({ serverId: id });
    }
  }, 180_000);

  it("refuses a browser subscription to someone else's server", async () => {
    const stranger = await createUser({
      db: db.prisma,
      email: "stranger@lifecycle.test",
      password: "password1",
      role: "user",
    });
    const owner = await db.prisma.user.findUniqueOrThrow({
      where: { email: "owner@lifecycle.test" },
    });
    const node = await db.prisma.node.findFirstOrThrow({ where: { name: "docker-node" } });
    const server = await db.prisma.server.create({
      data: { name: "private", kind: "game", ownerId: owner.id, nodeId: node.id },
    });
    const browser = connectBrowser(
      portal.url,
      await sessionCookie(portal.secret, { ...stranger, role: "user" }),
    );
    await waitFor(() => browser.connected || undefined, { what: "stranger socket" });
    const answer = await browser
      .timeout(5000)
      .emitWithAck("server:subscribe", { serverId: server.id });
    expect(answer).toEqual({ ok: false, error: { code: "NOT_FOUND", message: "No such server." } });
    await db.prisma.server.delete({ where: { id: server.id } });
    browser.close();
  });
});
