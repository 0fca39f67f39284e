// Mods end to end: a portal on port 0, the real agent CLI with the process driver, a game server
// created through the procedures, real jars written into its data folder, and mods.list /
// mods.action called as the Mods tab calls them.
import { mkdtempSync } from "node:fs";
import { readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTRPCContext } from "@berth/api";
import { createUser, ensureBuiltinTemplates } from "@berth/api/services";
import { modForCrash } from "@berth/protocol";
import { fabricJar, pluginJar, writeJar } from "../apps/agent/src/mods/test-jars";
import { startProcessAgent, type AgentProcess } from "./agent-process";
import { createTestDatabase, type TestDatabase } from "./db";
import { startTestPortal, waitFor, type TestPortal } from "./portal";

type TestUser = { id: string; email: string; name: string | null; role: "admin" | "user" };

describe("mods through portal and agent", () => {
  let db: TestDatabase;
  let portal: TestPortal;
  let agent: AgentProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), "berth-mods-"));
  let owner: TestUser;
  let stranger: TestUser;
  let admin: TestUser;
  let nodeId: string;
  let serverId: string;
  let data: string;

  const caller = (user: TestUser) =>
    createCaller(
      createTRPCContext({ runtime: portal.runtime, sessionUser: user, ip: "127.0.0.1" }),
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    await ensureBuiltinTemplates({ prisma: db.prisma });
    portal = await startTestPortal({ databaseUrl: db.url });
    ({ nodeId, agent } = await startProcessAgent({
      prisma: db.prisma,
      portalUrl: portal.url,
      name: "mods-node",
      dir,
    }));
    const user = async (email: string, role: "admin" | "user"): Promise<TestUser> => {
      const created = await createUser({ db: db.prisma, email, password: "password1", role });
      return { id: created.id, email, name: null, role };
    };
    owner = await user("owner@mods.test", "user");
    stranger = await user("stranger@mods.test", "user");
    admin = await user("admin@mods.test", "admin");

    const template = await db.prisma.template.findUniqueOrThrow({
      where: { slug: "generic-console" },
    });
    ({ id: serverId } = await caller(owner).servers.create({
      kind: "game",
      name: "modded",
      templateId: template.id,
      memoryMb: 64,
    }));
    await waitFor(
      async () =>
        (await db.prisma.server.findUniqueOrThrow({ where: { id: serverId } })).provisionStage ===
          "ready" || undefined,
      { what: "server provisioned", timeoutMs: 60_000 },
    );
    data = join(dir, "agent", "servers", serverId, "data");
  }, 120_000);

  afterAll(async () => {
    if (serverId) {
      await caller(owner)
        .servers.delete({ serverId })
        .catch(() => undefined);
    }
    agent?.child.kill("SIGKILL");
    await portal?.close();
    await db?.drop();
  });

  it("lists jars of every format with what their metadata says, and the missing dependencies", async () => {
    // Nothing there yet: no mods/ or plugins/ folder.
    expect(await caller(owner).mods.list({ serverId })).toEqual({ mods: [], missing: [] });

    await writeJar(
      join(data, "mods/sodium-0.5.8.jar"),
      fabricJar("sodium", { name: "Sodium", depends: { "fabric-api": "*", minecraft: "1.20.4" } }),
    );
    await writeJar(join(data, "mods/jei-15.3.jar"), {
      "META-INF/MANIFEST.MF": "Manifest-Version: 1.0\nImplementation-Version: 15.3.0.4\n",
      "META-INF/mods.toml":
        '[[mods]]\nmodId="jei"\nversion="${file.jarVersion}"\ndisplayName="Just Enough Items"\n',
    });
    await writeJar(join(data, "mods/create.jar.disabled"), {
      "META-INF/neoforge.mods.toml": '[[mods]]\nmodId="create"\nversion="6.0.4"\n',
    });
    await writeJar(join(data, "plugins/Chunky.jar"), {
      "paper-plugin.yml":
        "name: Chunky\nversion: 1.4.28\nmain: x.Chunky\ndependencies:\n  server:\n    Vault:\n      load: BEFORE\n",
    });
    await writeJar(join(data, "plugins/Vault.jar"), pluginJar("Vault"));
    await writeFile(join(data, "plugins/broken.jar"), "not a zip");

    const listing = await caller(owner).mods.list({ serverId });
    expect(
      listing.mods.map((mod) => [mod.file, mod.enabled, mod.loader, mod.id, mod.name, mod.version]),
    ).toEqual([
      ["mods/create.jar.disabled", false, "neoforge", "create", null, "6.0.4"],
      ["mods/jei-15.3.jar", true, "forge", "jei", "Just Enough Items", "15.3.0.4"],
      ["mods/sodium-0.5.8.jar", true, "fabric", "sodium", "Sodium", "1.0.0"],
      ["plugins/broken.jar", true, "unknown", null, null, null],
      ["plugins/Chunky.jar", true, "paper", "Chunky", "Chunky", "1.4.28"],
      ["plugins/Vault.jar", true, "bukkit", "Vault", "Vault", "1.0"],
    ]);
    expect(listing.mods.find((mod) => mod.file === "plugins/broken.jar")?.error).toMatch(
      /^Not a readable jar/,
    );
    expect(listing.missing).toEqual([
      { file: "mods/sodium-0.5.8.jar", modId: "sodium", dependencyId: "fabric-api" },
    ]);
    // A crash naming a mod links to its jar.
    const crash = { class: "mod_or_plugin_error" as const, subject: "jei", logTail: [] };
    expect(modForCrash(crash, listing.mods)?.file).toBe("mods/jei-15.3.jar");
  });

  it("enables, disables and removes a jar on the node, answering with the new listing", async () => {
    await writeJar(join(data, "mods/lithium.jar"), fabricJar("lithium"));
    const disabled = await caller(owner).mods.action({
      serverId,
      file: "mods/lithium.jar",
      action: "disable",
    });
    expect(disabled.mods.find((mod) => mod.id === "lithium")).toMatchObject({
      file: "mods/lithium.jar.disabled",
      enabled: false,
    });
    expect(await readdir(join(data, "mods"))).toContain("lithium.jar.disabled");

    const enabled = await caller(admin).mods.action({
      serverId,
      file: "mods/lithium.jar.disabled",
      action: "enable",
    });
    expect(enabled.mods.find((mod) => mod.id === "lithium")?.file).toBe("mods/lithium.jar");

    const removed = await caller(owner).mods.action({
      serverId,
      file: "mods/lithium.jar",
      action: "remove",
    });
    expect(removed.mods.some((mod) => mod.id === "lithium")).toBe(false);
    expect(await readdir(join(data, "mods"))).not.toContain("lithium.jar");

    const audit = await db.prisma.auditLog.findMany({
      where: { targetId: serverId, action: { startsWith: "server.mod." } },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((row) => [row.action, row.data])).toEqual([
      ["server.mod.disable", { file: "mods/lithium.jar" }],
      ["server.mod.enable", { file: "mods/lithium.jar.disabled" }],
      ["server.mod.remove", { file: "mods/lithium.jar" }],
    ]);
  });

  it("passes on the node's refusals: paths outside mods/ or plugins/, conflicts", async () => {
    await expect(
      caller(owner).mods.action({ serverId, file: "../x.jar", action: "remove" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "A path cannot go up with .." });
    await expect(
      caller(owner).mods.action({ serverId, file: "server.jar", action: "remove" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Only a jar directly in mods/ or plugins/ can be enabled, disabled or removed",
    });
    await writeJar(join(data, "mods/dup.jar"), fabricJar("dup"));
    await writeJar(join(data, "mods/dup.jar.disabled"), fabricJar("dup"));
    await expect(
      caller(owner).mods.action({ serverId, file: "mods/dup.jar", action: "disable" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await readdir(join(data, "mods"))).filter((name) => name.startsWith("dup"))).toEqual(
      ["dup.jar", "dup.jar.disabled"].sort(),
    );
  });

  it("is the owner's or an admin's, and only for game servers", async () => {
    await expect(caller(stranger).mods.list({ serverId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      caller(stranger).mods.action({ serverId, file: "mods/sodium-0.5.8.jar", action: "remove" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await readdir(join(data, "mods"))).toContain("sodium-0.5.8.jar");
    expect((await caller(admin).mods.list({ serverId })).mods.length).toBeGreaterThan(0);

    const dev = await db.prisma.server.create({
      data: {
        name: "dev",
        kind: "dev",
        ownerId: owner.id,
        nodeId,
        memoryMb: 64,
        cpuPercent: 100,
        diskMb: 1024,
        ports: [],
      },
    });
    await expect(caller(owner).mods.list({ serverId: dev.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Mods are for game servers.",
    });
    await db.prisma.server.delete({ where: { id: dev.id } });
  });
});
