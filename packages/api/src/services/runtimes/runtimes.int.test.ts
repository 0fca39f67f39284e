import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../../test/db";
import { testRuntime, trpcCodeOf } from "../../test-runtime";
import type { SessionUser } from "../../trpc";
import { createUser } from "../users/create-user";

let db: TestDatabase;
let harness: ReturnType<typeof testRuntime>;
let user: SessionUser;
let admin: SessionUser;

const HASH = "a".repeat(64);
const artifact = (version: string) => ({
  version,
  artifactUrl: `https://artifacts.example/node-v${version}-linux-x64.tar.gz`,
  sha256: HASH,
  sizeBytes: 30_000_000,
  binPath: `node-v${version}-linux-x64/bin`,
});

beforeAll(async () => {
  db = await createTestDatabase();
  harness = testRuntime(db.prisma);
  user = await createUser({
    db: db.prisma,
    email: "user@test",
    password: "password1",
    role: "user",
  });
  admin = await createUser({
    db: db.prisma,
    email: "admin@test",
    password: "password1",
    role: "admin",
  });
});
afterAll(() => db?.drop());

const auditOf = (targetId: string) =>
  db.prisma.auditLog.findMany({ where: { targetId }, orderBy: { createdAt: "asc" } });

describe("runtime catalog administration", () => {
  it("creates a runtime and refuses a duplicate or a bad name, with clear messages", async () => {
    const caller = harness.callerFor(admin);
    const node = await caller.runtimes.create({ name: "node", displayName: "Node.js" });
    expect(node).toMatchObject({ name: "node", kind: "runtime", enabled: true, versions: [] });
    await expect(caller.runtimes.create({ name: "node", displayName: "Again" })).rejects.toThrow(
      'A runtime named "node" already exists.',
    );
    await expect(caller.runtimes.create({ name: "Node JS", displayName: "x" })).rejects.toThrow(
      "name: Use lowercase letters, digits and dashes, starting with a letter.",
    );
    await expect(
      caller.runtimes.create({ name: "x", displayName: "x", kind: "plugin" as "addon" }),
    ).rejects.toThrow('kind: The kind must be "runtime" or "addon".');
    expect(await auditOf(node.id)).toEqual([
      expect.objectContaining({
        action: "runtime.create",
        actorId: admin.id,
        targetType: "runtime",
        data: { name: "node", displayName: "Node.js", kind: "runtime", enabled: true },
      }),
    ]);
  });

  it("validates a version's hash, URL, size and PATH folder", async () => {
    const caller = harness.callerFor(admin);
    const { id: runtimeId } = await caller.runtimes.create({
      name: "python",
      displayName: "Python",
    });
    const good = { runtimeId, ...artifact("3.13.1") };
    await expect(caller.runtimes.addVersion({ ...good, sha256: "abc" })).rejects.toThrow(
      "sha256: The sha256 must be 64 hex characters.",
    );
    await expect(caller.runtimes.addVersion({ ...good, sha256: "g".repeat(64) })).rejects.toThrow(
      "The sha256 must be 64 hex characters.",
    );
    await expect(
      caller.runtimes.addVersion({ ...good, artifactUrl: "ftp://artifacts.example/p.tar.gz" }),
    ).rejects.toThrow("artifactUrl: Enter an http or https URL");
    await expect(caller.runtimes.addVersion({ ...good, artifactUrl: "not a url" })).rejects.toThrow(
      "artifactUrl: Enter an http or https URL",
    );
    await expect(caller.runtimes.addVersion({ ...good, sizeBytes: 0 })).rejects.toThrow(
      "sizeBytes: The size must be a positive number of bytes.",
    );
    for (const binPath of ["../bin", "/usr/bin", "a/../../bin"]) {
      await expect(caller.runtimes.addVersion({ ...good, binPath })).rejects.toThrow(
        "binPath: Use a relative path inside the archive, without “..”.",
      );
    }
    await expect(caller.runtimes.addVersion({ ...good, version: "../3" })).rejects.toThrow(
      "version: Use letters, digits",
    );
    const added = await caller.runtimes.addVersion({ ...good, sha256: HASH.toUpperCase() });
    expect(added).toMatchObject({ sha256: HASH, sizeBytes: 30_000_000, isDefault: true });
  });

  it("refuses a duplicate version and keeps one default per runtime", async () => {
    const caller = harness.callerFor(admin);
    const { id: runtimeId } = await caller.runtimes.create({ name: "go", displayName: "Go" });
    const first = await caller.runtimes.addVersion({ runtimeId, ...artifact("1.23.4") });
    expect(first.isDefault).toBe(true);
    await expect(caller.runtimes.addVersion({ runtimeId, ...artifact("1.23.4") })).rejects.toThrow(
      "Version 1.23.4 of go already exists.",
    );
    const second = await caller.runtimes.addVersion({ runtimeId, ...artifact("1.24.0") });
    expect(second.isDefault).toBe(false);
    await caller.runtimes.setDefaultVersion({ versionId: second.id });
    const go = (await caller.runtimes.list()).find((r) => r.id === runtimeId)!;
    expect(go.versions.map((v) => [v.version, v.isDefault])).toEqual([
      ["1.24.0", true],
      ["1.23.4", false],
    ]);
    await caller.runtimes.updateVersion({ versionId: first.id, enabled: false });
    await expect(caller.runtimes.setDefaultVersion({ versionId: first.id })).rejects.toThrow(
      "Enable version 1.23.4 before making it the default.",
    );
    expect((await auditOf(second.id)).map((a) => a.action)).toEqual([
      "runtime.version.add",
      "runtime.version.default",
    ]);
    const [, disabled] = await auditOf(first.id);
    expect(disabled).toMatchObject({
      action: "runtime.version.update",
      actorId: admin.id,
      data: { runtime: "go", version: "1.23.4", enabled: false },
    });
  });

  it("audits runtime updates", async () => {
    const caller = harness.callerFor(admin);
    const { id } = await caller.runtimes.create({ name: "java", displayName: "Java" });
    await caller.runtimes.update({ runtimeId: id, displayName: "Temurin", enabled: false });
    await expect(caller.runtimes.update({ runtimeId: id })).rejects.toThrow("Nothing to change.");
    const [, update] = await auditOf(id);
    expect(update).toMatchObject({
      action: "runtime.update",
      data: { name: "java", displayName: "Temurin", enabled: false },
    });
  });
});

describe("runtimes.catalog", () => {
  it("gives any signed-in user the enabled runtimes with their enabled versions", async () => {
    const adminCaller = harness.callerFor(admin);
    const { id: runtimeId } = await adminCaller.runtimes.create({
      name: "dotnet",
      displayName: ".NET",
    });
    const v8 = await adminCaller.runtimes.addVersion({ runtimeId, ...artifact("8.0.11") });
    const v9 = await adminCaller.runtimes.addVersion({ runtimeId, ...artifact("9.0.0") });
    const v10 = await adminCaller.runtimes.addVersion({ runtimeId, ...artifact("10.0.0-rc1") });
    await adminCaller.runtimes.updateVersion({ versionId: v8.id, deprecated: true });
    await adminCaller.runtimes.updateVersion({ versionId: v10.id, enabled: false });
    const addon = await adminCaller.runtimes.create({
      name: "code-server",
      displayName: "code-server",
      kind: "addon",
    });
    await adminCaller.runtimes.addVersion({ runtimeId: addon.id, ...artifact("4.96.2") });
    const empty = await adminCaller.runtimes.create({ name: "ruby", displayName: "Ruby" });

    const catalog = await harness.callerFor(user).runtimes.catalog();
    const names = catalog.map((r) => r.name);
    expect(names).toContain("dotnet");
    expect(names).toContain("code-server");
    // Disabled (java) and version-less (ruby) runtimes are not offered.
    expect(names).not.toContain("java");
    expect(names).not.toContain(empty.name);
    expect(catalog.find((r) => r.name === "code-server")?.kind).toBe("addon");
    expect(catalog.find((r) => r.name === "dotnet")?.versions).toEqual([
      { id: v8.id, version: "8.0.11", isDefault: true, deprecated: true },
      { id: v9.id, version: "9.0.0", isDefault: false, deprecated: false },
    ]);
    expect(JSON.stringify(catalog)).not.toContain("artifacts.example");
  });

  it("lets a user read the catalog but change nothing", async () => {
    const caller = harness.callerFor(user);
    expect(await trpcCodeOf(caller.runtimes.catalog())).toBe("OK");
    const node = await db.prisma.runtime.findUniqueOrThrow({ where: { name: "node" } });
    expect(await trpcCodeOf(caller.runtimes.list())).toBe("FORBIDDEN");
    expect(await trpcCodeOf(caller.runtimes.create({ name: "evil", displayName: "Evil" }))).toBe(
      "FORBIDDEN",
    );
    expect(
      await trpcCodeOf(caller.runtimes.addVersion({ runtimeId: node.id, ...artifact("1.0.0") })),
    ).toBe("FORBIDDEN");
    expect(await trpcCodeOf(caller.runtimes.update({ runtimeId: node.id, enabled: false }))).toBe(
      "FORBIDDEN",
    );
    expect(await db.prisma.runtime.findUnique({ where: { name: "evil" } })).toBeNull();
    expect(await trpcCodeOf(harness.callerFor(null).runtimes.catalog())).toBe("UNAUTHORIZED");
  });
});

describe("choosing a runtime when creating a dev server", () => {
  it("refuses an addon's version or a disabled one as the runtime", async () => {
    const caller = harness.callerFor(user);
    const addon = await db.prisma.runtime.findUniqueOrThrow({
      where: { name: "code-server" },
      include: { versions: true },
    });
    const disabled = await db.prisma.runtimeVersion.findFirstOrThrow({
      where: { runtime: { name: "dotnet" }, enabled: false },
    });
    for (const runtimeVersionId of [addon.versions[0]!.id, disabled.id]) {
      await expect(
        caller.servers.create({ kind: "dev", name: "dev", memoryMb: 256, runtimeVersionId }),
      ).rejects.toThrow("That runtime version is not available.");
    }
  });
});
