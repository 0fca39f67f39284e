// The file manager end to end: tRPC `files.*` as real users on a real portal, the agent CLI as a
// separate process (process driver) doing the work on its own data folder.
import { mkdtempSync } from "node:fs";
import { readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTRPCContext } from "@berth/api";
import { TEXT_FILE_MAX_BYTES } from "@berth/protocol";
import { createUser } from "@berth/api/services";
import { startProcessAgent, type AgentProcess } from "./agent-process";
import { createTestDatabase, type TestDatabase } from "./db";
import { startTestPortal, waitFor, type TestPortal } from "./portal";

describe("files.* through the portal and a real agent", () => {
  let db: TestDatabase;
  let portal: TestPortal;
  let agent: AgentProcess;
  const dir = mkdtempSync(join(tmpdir(), "berth-files-"));
  let serverId: string;
  let dataDir: string;

  type Caller = ReturnType<typeof createCaller>;
  let owner: Caller;
  let stranger: Caller;
  let admin: Caller;

  const callerFor = async (email: string, role: "admin" | "user"): Promise<Caller> => {
    const user = await createUser({ db: db.prisma, email, password: "password1", role });
    return createCaller(
      createTRPCContext({
        runtime: portal.runtime,
        sessionUser: { ...user, role },
        ip: "127.0.0.1",
      }),
    );
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    portal = await startTestPortal({ databaseUrl: db.url });
    ({ agent } = await startProcessAgent({
      prisma: db.prisma,
      portalUrl: portal.url,
      name: "files-node",
      dir,
    }));
    owner = await callerFor("owner@files.test", "user");
    stranger = await callerFor("stranger@files.test", "user");
    admin = await callerFor("admin@files.test", "admin");
    const created = await owner.servers.create({ kind: "dev", name: "files", memoryMb: 256 });
    serverId = created.id;
    dataDir = join(dir, "agent", "servers", serverId, "data");
    await waitFor(
      async () =>
        (await db.prisma.server.findUniqueOrThrow({ where: { id: serverId } })).provisionStage ===
          "ready" || undefined,
      { what: "server provisioned", timeoutMs: 30_000 },
    );
  });
  afterAll(async () => {
    agent?.child.kill("SIGKILL");
    await agent?.exited;
    await portal?.close();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it("lets the owner make, write, read, list, copy, pack, unpack and delete", async () => {
    expect(await owner.files.mkdir({ serverId, path: "work/config" })).toMatchObject({
      name: "config",
      type: "dir",
    });
    const written = await owner.files.write({
      serverId,
      path: "work/config/server.properties",
      content: "motd=hello\n",
    });
    expect(written).toMatchObject({ name: "server.properties", size: 11, type: "file" });
    // It is really there, in the server's data folder on the node.
    expect(await readFile(join(dataDir, "work/config/server.properties"), "utf8")).toBe(
      "motd=hello\n",
    );

    const read = await owner.files.read({ serverId, path: "work/config/server.properties" });
    expect(read).toEqual({
      path: "work/config/server.properties",
      content: "motd=hello\n",
      size: 11,
      mtimeMs: written.mtimeMs,
    });
    const saved = await owner.files.write({
      serverId,
      path: "work/config/server.properties",
      content: "motd=changed\n",
      expectedMtimeMs: read.mtimeMs,
    });
    expect(saved.size).toBe(13);

    const listing = await owner.files.list({ serverId, path: "work/config" });
    expect(listing.path).toBe("work/config");
    expect(listing.entries.map((e) => e.name)).toEqual(["server.properties"]);

    expect(
      await owner.files.copy({ serverId, from: "work/config", to: "work/config-copy" }),
    ).toMatchObject({
      type: "dir",
    });
    expect(
      await owner.files.rename({ serverId, from: "work/config-copy", to: "work/moved" }),
    ).toMatchObject({ name: "moved" });
    expect(
      await owner.files.compress({
        serverId,
        paths: ["work/config"],
        to: "work/c.zip",
        format: "zip",
      }),
    ).toMatchObject({ name: "c.zip", type: "file" });
    expect(
      await owner.files.extract({ serverId, path: "work/c.zip", to: "work/unzipped" }),
    ).toEqual({
      done: true,
    });
    expect(await readFile(join(dataDir, "work/unzipped/config/server.properties"), "utf8")).toBe(
      "motd=changed\n",
    );
    expect(
      await owner.files.delete({ serverId, paths: ["work/moved", "work/c.zip", "work/unzipped"] }),
    ).toEqual({ deleted: 3 });
    expect(await readdir(join(dataDir, "work"))).toEqual(["config"]);
    const audit = await db.prisma.auditLog.findFirst({
      where: { action: "server.files.delete", targetId: serverId },
    });
    expect(audit?.data).toEqual({ paths: ["work/moved", "work/c.zip", "work/unzipped"], count: 3 });
  });

  it("carries a text file of the largest size the editor takes both ways over the link", async () => {
    // Quotes and backslashes double in JSON: the worst case for the link's message size.
    const content = '"\\'.repeat(TEXT_FILE_MAX_BYTES / 2);
    expect((await owner.files.write({ serverId, path: "big.txt", content })).size).toBe(
      TEXT_FILE_MAX_BYTES,
    );
    expect((await owner.files.read({ serverId, path: "big.txt" })).content).toBe(content);
    await expect(
      owner.files.write({ serverId, path: "big.txt", content: `${content}x` }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/too large to save/),
    });
    await owner.files.delete({ serverId, paths: ["big.txt"] });
  });

  it("refuses a stale write with CONFLICT and leaves the file as it was", async () => {
    await owner.files.write({ serverId, path: "stale.txt", content: "one" });
    const opened = await owner.files.read({ serverId, path: "stale.txt" });
    await writeFile(join(dataDir, "stale.txt"), "someone else");
    // A write within the same millisecond would keep the mtime; make sure it moved.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await writeFile(join(dataDir, "stale.txt"), "someone else, later");
    await expect(
      owner.files.write({
        serverId,
        path: "stale.txt",
        content: "mine",
        expectedMtimeMs: opened.mtimeMs,
      }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: '"stale.txt" changed since you opened it. Reload it, or save under another name',
    });
    expect(await readFile(join(dataDir, "stale.txt"), "utf8")).toBe("someone else, later");
  });

  it("tells another user the server does not exist, and lets an admin in", async () => {
    for (const call of [
      () => stranger.files.list({ serverId, path: "" }),
      () => stranger.files.read({ serverId, path: "stale.txt" }),
      () => stranger.files.write({ serverId, path: "x.txt", content: "x" }),
      () => stranger.files.delete({ serverId, paths: ["stale.txt"] }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND", message: "No such server." });
    }
    expect(await readFile(join(dataDir, "stale.txt"), "utf8")).toBe("someone else, later");
    expect((await admin.files.list({ serverId, path: "" })).entries.map((e) => e.name)).toContain(
      "stale.txt",
    );
  });

  it("answers a bad path with a clear BAD_REQUEST, and a link out with FORBIDDEN", async () => {
    await expect(owner.files.read({ serverId, path: "../../config.json" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "A path cannot go up with ..",
    });
    await expect(owner.files.list({ serverId, path: "/etc" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Paths are relative to the server's folder, not absolute",
    });
    await expect(owner.files.read({ serverId, path: "missing.txt" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: '"missing.txt" does not exist',
    });
    await symlink("/etc", join(dataDir, "etc"));
    await expect(owner.files.read({ serverId, path: "etc/hostname" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "etc leads outside the server's folder",
    });
  });

  it("says the node is offline when its agent is gone", async () => {
    agent.child.kill("SIGKILL");
    await agent.exited;
    await waitFor(
      async () =>
        (await db.prisma.node.findFirst({ where: { name: "files-node" } }))?.status === "offline" ||
        undefined,
      { what: "node offline" },
    );
    await expect(owner.files.list({ serverId, path: "" })).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      message: "The node is offline.",
    });
  });
});
