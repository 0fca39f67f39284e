// Dev containers without a runtime (a plain Debian workspace) on the real agent with the process
// driver: created through the API, they run their keep-alive process and stop cleanly.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTRPCContext } from "@berth/api";
import { createUser } from "@berth/api/services";
import { startProcessAgent, type AgentProcess } from "./agent-process";
import { createTestDatabase, type TestDatabase } from "./db";
import { startTestPortal, waitFor, type TestPortal } from "./portal";

describe("dev servers on the process driver", () => {
  let db: TestDatabase;
  let portal: TestPortal;
  let agent: AgentProcess;
  const dir = mkdtempSync(join(tmpdir(), "berth-dev-servers-"));

  beforeAll(async () => {
    db = await createTestDatabase();
    portal = await startTestPortal({ databaseUrl: db.url });
    ({ agent } = await startProcessAgent({
      prisma: db.prisma,
      portalUrl: portal.url,
      name: "dev-node",
      dir,
    }));
  });
  afterAll(async () => {
    agent?.child.kill("SIGKILL");
    await portal?.close();
    await db?.drop();
  });

  it("a dev server without a runtime is provisioned, runs, stops and is deleted", async () => {
    const owner = await createUser({
      db: db.prisma,
      email: "dev@dev-servers.test",
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
    const { id } = await caller.servers.create({ kind: "dev", name: "workspace", memoryMb: 256 });
    await waitFor(
      async () =>
        (await db.prisma.server.findUniqueOrThrow({ where: { id } })).observedState === "running" ||
        undefined,
      { what: "dev server running", timeoutMs: 30_000 },
    );

    const stopped = await caller.servers.power({ serverId: id, action: "stop" });
    expect(stopped.state).toBe("offline");
    expect(agent.output()).not.toContain("SIGTERM not obeyed in time");
    await caller.servers.delete({ serverId: id });
    expect(await db.prisma.server.count({ where: { id } })).toBe(0);
  }, 60_000);
});
