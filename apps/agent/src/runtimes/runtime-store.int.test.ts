import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RuntimeError } from "./runtime-errors";
import { MANIFEST_FILE, RuntimeStore } from "./runtime-store";
import {
  helloTarball,
  rawTarball,
  sha256,
  startArtifactServer,
  type ArtifactServer,
  type RawEntry,
} from "./test-artifacts";

const run = promisify(execFile);

/** Every path under `dir`, relative, sorted. */
async function listing(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}

describe("RuntimeStore against a real HTTP artifact server", () => {
  let server: ArtifactServer;
  let hello: Buffer;
  let base: string;
  let root: string;

  beforeAll(async () => {
    server = await startArtifactServer();
    hello = await helloTarball("hello from node 20");
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), "berth-runtimes-"));
    root = path.join(base, "store");
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it("installs a good artifact whose binary runs from <store>/<name>/<version>/bin", async () => {
    server.serve("good-1", hello);
    const store = await RuntimeStore.open({ root });
    const progress: [number, number | undefined][] = [];

    const installed = await store.install({
      name: "node",
      version: "20.11.0",
      url: server.url("good-1"),
      sha256: sha256(hello),
      size: hello.length,
      onProgress: (bytes, total) => progress.push([bytes, total]),
    });

    expect(installed.path).toBe(path.join(root, "node", "20.11.0"));
    expect(store.pathOf("node", "20.11.0")).toBe(installed.path);
    const { stdout } = await run(path.join(installed.path, "bin", "hello"));
    expect(stdout.trim()).toBe("hello from node 20");
    expect(progress.at(-1)).toEqual([hello.length, hello.length]);
    expect(await listing(root)).toEqual([
      "node",
      "node/20.11.0",
      `node/20.11.0/${MANIFEST_FILE}`,
      "node/20.11.0/bin",
      "node/20.11.0/bin/hello",
    ]);
    expect(await store.list()).toEqual([
      expect.objectContaining({ name: "node", version: "20.11.0", sha256: sha256(hello) }),
    ]);
  });

  it("refuses a wrong hash and leaves the store as it was", async () => {
    server.serve("good-2", hello);
    const store = await RuntimeStore.open({ root });
    const before = await listing(root);
    const wrong = "0".repeat(64);

    const error = await store
      .install({ name: "node", version: "20.11.0", url: server.url("good-2"), sha256: wrong })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).code).toBe("hash_mismatch");
    expect((error as Error).message).toBe(
      `sha256 mismatch: expected ${wrong}, got ${sha256(hello)}`,
    );
    expect(await listing(root)).toEqual(before);
    expect(await store.list()).toEqual([]);
  });

  it("refuses names that are not folder-safe before downloading", async () => {
    const store = await RuntimeStore.open({ root });
    await expect(
      store.install({ name: "..", version: "1", url: server.url("x"), sha256: sha256(hello) }),
    ).rejects.toMatchObject({ code: "invalid_artifact" });
    await expect(
      store.install({ name: "node", version: "1", url: "file:///etc/passwd", sha256: "a" }),
    ).rejects.toThrow(/url: must be an http or https URL; sha256: 64 hex characters/);
    expect(server.downloads("x")).toBe(0);
  });

  it("cuts off a download longer than its declared size", async () => {
    server.serve("good-3", hello);
    const store = await RuntimeStore.open({ root });
    await expect(
      store.install({
        name: "node",
        version: "20.11.0",
        url: server.url("good-3"),
        sha256: sha256(hello),
        size: 10,
      }),
    ).rejects.toThrow(/size mismatch: expected 10 bytes/);
    expect(await store.list()).toEqual([]);
  });

  it("shares one download among concurrent installs and re-installs without downloading", async () => {
    server.serve("shared", hello);
    const store = await RuntimeStore.open({ root });
    const request = {
      name: "node",
      version: "20.11.0",
      url: server.url("shared"),
      sha256: sha256(hello),
    };

    server.hold();
    const installs = [store.install(request), store.install(request), store.install(request)];
    await new Promise((resolve) => setTimeout(resolve, 100));
    server.release();
    const results = await Promise.all(installs);

    expect(server.downloads("shared")).toBe(1);
    expect(new Set(results.map((r) => r.path)).size).toBe(1);

    const again = await store.install(request);
    expect(again.installedAt).toBe(results[0]?.installedAt);
    expect(server.downloads("shared")).toBe(1);

    // A reopened store (agent restart) also finds it installed.
    const reopened = await RuntimeStore.open({ root });
    await reopened.install(request);
    expect(server.downloads("shared")).toBe(1);
  });

  it("runs installs of different artifacts in parallel", async () => {
    const other = await helloTarball("hello from python");
    server.serve("par-node", hello);
    server.serve("par-python", other);
    const store = await RuntimeStore.open({ root });

    server.hold();
    const both = Promise.all([
      store.install({
        name: "node",
        version: "20",
        url: server.url("par-node"),
        sha256: sha256(hello),
      }),
      store.install({
        name: "python",
        version: "3.12.1",
        url: server.url("par-python"),
        sha256: sha256(other),
      }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Both requests reached the server before either was answered.
    expect(server.downloads("par-node")).toBe(1);
    expect(server.downloads("par-python")).toBe(1);
    server.release();
    await both;
    expect((await store.list()).map((r) => `${r.name}/${r.version}`)).toEqual([
      "node/20",
      "python/3.12.1",
    ]);
  });

  it("refuses another hash for an installed version", async () => {
    const other = await helloTarball("other bytes");
    server.serve("pin-a", hello);
    server.serve("pin-b", other);
    const store = await RuntimeStore.open({ root });
    await store.install({
      name: "go",
      version: "1.22.0",
      url: server.url("pin-a"),
      sha256: sha256(hello),
    });

    await expect(
      store.install({
        name: "go",
        version: "1.22.0",
        url: server.url("pin-b"),
        sha256: sha256(other),
      }),
    ).rejects.toMatchObject({ code: "conflict" });
    expect(server.downloads("pin-b")).toBe(0);
    expect((await store.get("go", "1.22.0"))?.sha256).toBe(sha256(hello));
  });

  it("removes an installed version", async () => {
    server.serve("rm", hello);
    const store = await RuntimeStore.open({ root });
    const request = { name: "java", version: "21", url: server.url("rm"), sha256: sha256(hello) };
    await store.install(request);

    expect(await store.remove("java", "21")).toBe(true);
    expect(await store.remove("java", "21")).toBe(false);
    expect(await store.list()).toEqual([]);
    expect((await listing(root)).filter((p) => !p.startsWith("."))).toEqual([]);

    await store.install(request);
    expect(server.downloads("rm")).toBe(2);
  });

  it("cleans what a crash left in staging when opened", async () => {
    const first = await RuntimeStore.open({ root });
    await mkdir(path.join(root, ".staging", "abc", "bin"), { recursive: true });
    await writeFile(path.join(root, ".staging", "abc.download"), "partial");
    await mkdir(path.join(root, ".trash", "node-20-x"), { recursive: true });
    expect(first.root).toBe(root);

    await RuntimeStore.open({ root });
    expect(await listing(root)).toEqual([]);
  });

  const outside = () => path.join(base, "evil");
  const hostile: [string, (base: string) => RawEntry[]][] = [
    ["../evil", () => [{ path: "../evil", body: "x" }]],
    ["../../../evil", () => [{ path: "bin/../../../evil", body: "x" }]],
    ["an absolute path", (dir) => [{ path: path.join(dir, "evil"), body: "x" }]],
    [
      "a symlink out and a file through it",
      () => [
        { path: "bin", type: "Directory" },
        { path: "bin/out", type: "SymbolicLink", linkpath: "../../../.." },
        { path: "bin/out/evil", body: "x" },
      ],
    ],
    ["an absolute symlink", (dir) => [{ path: "lib", type: "SymbolicLink", linkpath: dir }]],
    ["a hardlink out", () => [{ path: "h", type: "Link", linkpath: "../../evil" }]],
    ["a device file", () => [{ path: "dev/null", type: "CharacterDevice" }]],
  ];

  it.each(hostile)("refuses a tarball with %s and writes nothing", async (_label, make) => {
    const body = rawTarball([{ path: "bin/ok", body: "fine" }, ...make(base)]);
    server.serve("hostile", body);
    const store = await RuntimeStore.open({ root });
    const before = await listing(base);

    const error = await store
      .install({ name: "evil", version: "1", url: server.url("hostile"), sha256: sha256(body) })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).code).toBe("unsafe_archive");
    expect((error as Error).message).toMatch(/^unsafe archive: /);
    expect(await listing(base)).toEqual(before);
    await expect(stat(outside())).rejects.toThrow(/ENOENT/);
  });
});
