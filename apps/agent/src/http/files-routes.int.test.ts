// The listener's `/files/…` routes on a real file system: tus uploads staged outside the server's
// folder and renamed into place, resumed after a cut connection, refused past the disk quota
// (before and while bytes stream) with nothing left behind, expired ones swept; downloads of files
// and folders (.tar.gz) confined to the folder; grants of one scope never open the other.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { NODE_GRANT_HEADER, UPLOAD_PATH_METADATA } from "@berth/protocol";
import pino from "pino";
import * as tar from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiskUsage } from "../transfers/disk-usage";
import { failingAfter, seededBytes, seededSha256 } from "../transfers/test-bytes";
import {
  createUpload,
  deleteUpload,
  patchUpload,
  uploadOffset,
} from "../transfers/tus-test-client";
import { Uploads } from "../transfers/uploads";
import { createFilesRoutes, type FileRoot } from "./files-routes";
import { startIdeListener, type IdeListener } from "./ide-listener";
import { signTestGrant, testGrantKey } from "./test-grants";

const NODE = "node-f";
const key = testGrantKey();
let base: string;
let staging: string;
let listener: IdeListener;
let uploads: Uploads;
const roots = new Map<string, FileRoot>();

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), "berth-files-routes-"));
  staging = path.join(base, "uploads");
  for (const [serverId, diskMb] of [
    ["s1", null],
    ["small", 1],
    ["grows", 12],
    ["owned", null],
  ] as const) {
    const root = path.join(base, "servers", serverId, "data");
    await mkdir(root, { recursive: true });
    // "owned" stands for a container's folder: what lands there is given to its user.
    const owner = serverId === "owned" ? { uid: 1000, gid: 1000 } : null;
    roots.set(serverId, { root, diskMb, owner });
  }
  // No cache: the "while streaming" check must see a file written a moment before.
  uploads = new Uploads({
    stagingRoot: staging,
    log: pino({ enabled: false }),
    usage: new DiskUsage({ ttlMs: 0 }),
  });
  listener = await startIdeListener({
    listen: { host: "127.0.0.1", port: 0 },
    nodeId: NODE,
    grantKey: () => key,
    upstreams: { resolve: async () => ({ ok: true, host: "127.0.0.1", port: 9 }) },
    files: createFilesRoutes({
      servers: { fileRoot: async (serverId) => roots.get(serverId) ?? null },
      uploads,
      log: pino({ enabled: false }),
    }),
    log: pino({ enabled: false }),
  });
});

afterAll(async () => {
  await listener?.close();
  uploads?.close();
  await rm(base, { recursive: true, force: true });
});

const grant = async (serverId: string, scope: "files" | "ide" = "files") => ({
  [NODE_GRANT_HEADER]: await signTestGrant({ key, nodeId: NODE, serverId, scope }),
});
const endpoint = (serverId: string) => `${listener.url}/files/${serverId}/uploads/`;
const rootOf = (serverId: string) => roots.get(serverId)!.root;
const stagedOf = async (serverId: string) =>
  readdir(path.join(staging, serverId)).catch(() => [] as string[]);

async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  hash.update(await readFile(file));
  return hash.digest("hex");
}

function get(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      request(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
        .on("error", reject)
        .end();
    },
  );
}

describe("uploads", () => {
  it("stages the bytes outside the folder, resumes after a cut connection and places the file atomically", async () => {
    const length = 6 * 1024 * 1024 + 123;
    const seed = "resume";
    const headers = await grant("s1");
    const created = await createUpload(endpoint("s1"), {
      length,
      metadata: { [UPLOAD_PATH_METADATA]: "mods/new folder/ä b.jar", filename: "ä b.jar" },
      headers,
    });
    expect(created.status).toBe(201);
    expect(created.location).toMatch(/^\/files\/s1\/uploads\/[A-Za-z0-9_-]+$/);
    const url = `${listener.url}${created.location}`;

    const half = Math.floor(length / 2);
    await expect(
      patchUpload(url, {
        offset: 0,
        length,
        body: failingAfter(seededBytes({ seed, length }), half),
        headers: await grant("s1"),
      }),
    ).rejects.toThrow();
    const destination = path.join(rootOf("s1"), "mods/new folder/ä b.jar");
    // The server may still be writing what reached it; its offset settles.
    let offset = 0;
    for (let i = 0; i < 50; i++) {
      const head = await uploadOffset(url, await grant("s1"));
      expect(head.status).toBe(200);
      offset = head.offset!;
      if (offset > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(half);
    expect(existsSync(destination)).toBe(false);
    expect(existsSync(path.join(rootOf("s1"), "mods"))).toBe(false);

    const rest = await patchUpload(url, {
      offset,
      length: length - offset,
      body: seededBytes({ seed, offset, length: length - offset }),
      headers: await grant("s1"),
    });
    expect(rest.status).toBe(204);
    expect(rest.headers["upload-offset"]).toBe(String(length));
    expect(await sha256File(destination)).toBe(await seededSha256(seed, length));
    // The staged file was moved, and tus's sidecar removed.
    expect(await stagedOf("s1")).toEqual([]);
  });

  it("refuses a destination outside the folder, a missing one and a folder", async () => {
    await mkdir(path.join(rootOf("s1"), "world"), { recursive: true });
    for (const [wanted, status, message] of [
      ["../escape.txt", 400, /cannot go up/],
      ["/etc/passwd", 400, /relative/],
      ["world", 409, /world is a folder/],
      ["", 400, /must name the destination/],
    ] as const) {
      const answer = await createUpload(endpoint("s1"), {
        length: 10,
        metadata: wanted === "" ? {} : { [UPLOAD_PATH_METADATA]: wanted },
        headers: await grant("s1"),
      });
      expect(answer.status, wanted).toBe(status);
      expect(JSON.parse(answer.body)).toMatchObject({ message: expect.stringMatching(message) });
    }
    expect(await stagedOf("s1")).toEqual([]);
  });

  it("refuses an upload larger than the room left under the quota, leaving nothing", async () => {
    const answer = await createUpload(endpoint("small"), {
      length: 2 * 1024 * 1024,
      metadata: { [UPLOAD_PATH_METADATA]: "big.bin" },
      headers: await grant("small"),
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      code: "BAD_REQUEST",
      message:
        "Not enough room: this upload needs 2 MiB, and the server's folder already holds 0 bytes of its 1 MiB disk quota",
    });
    expect(await stagedOf("small")).toEqual([]);
    expect(await readdir(rootOf("small"))).toEqual([]);
  });

  it("stops an upload once the folder reaches the quota while it streams, and removes its bytes", async () => {
    const length = 10 * 1024 * 1024;
    const created = await createUpload(endpoint("grows"), {
      length,
      metadata: { [UPLOAD_PATH_METADATA]: "upload.bin" },
      headers: await grant("grows"),
    });
    expect(created.status).toBe(201);
    // A second one would not fit beside the first one's reservation.
    const second = await createUpload(endpoint("grows"), {
      length: 3 * 1024 * 1024,
      metadata: { [UPLOAD_PATH_METADATA]: "second.bin" },
      headers: await grant("grows"),
    });
    expect(second.status).toBe(413);
    expect(JSON.parse(second.body).message).toMatch(/10 MiB more reserved by unfinished uploads/);
    // Meanwhile the server itself writes 4 MiB: 10 + 4 > 12.
    await writeFile(path.join(rootOf("grows"), "world.dat"), Buffer.alloc(4 * 1024 * 1024));
    const answer = await patchUpload(`${listener.url}${created.location}`, {
      offset: 0,
      length,
      body: seededBytes({ seed: "grows", length }),
      headers: await grant("grows"),
    }).catch((error: unknown) => ({ status: 0, body: String(error) }));
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).message).toMatch(/reached its disk quota of 12 MiB/);
    expect(await stagedOf("grows")).toEqual([]);
    expect(await readdir(rootOf("grows"))).toEqual(["world.dat"]);
  });

  it("deletes an upload on request, and sweeps expired ones and those of servers gone", async () => {
    const created = await createUpload(endpoint("s1"), {
      length: 100,
      metadata: { [UPLOAD_PATH_METADATA]: "later.txt" },
      headers: await grant("s1"),
    });
    const url = `${listener.url}${created.location}`;
    expect((await deleteUpload(url, await grant("s1"))).status).toBe(204);
    expect(await stagedOf("s1")).toEqual([]);

    await createUpload(endpoint("s1"), {
      length: 100,
      metadata: { [UPLOAD_PATH_METADATA]: "later.txt" },
      headers: await grant("s1"),
    });
    expect(await stagedOf("s1")).toHaveLength(2);
    const sweeper = new Uploads({
      stagingRoot: staging,
      log: pino({ enabled: false }),
      expiryMs: 60_000,
      now: () => Date.now() + 61_000,
    });
    await mkdir(path.join(staging, "gone"), { recursive: true });
    await writeFile(path.join(staging, "gone", "abc"), "x");
    expect(await sweeper.sweep((serverId) => serverId !== "gone")).toBe(1);
    expect(await stagedOf("s1")).toEqual([]);
    expect(existsSync(path.join(staging, "gone"))).toBe(false);
  });

  it("gives the placed file and the folders made for it to the server's user", async () => {
    const created = await createUpload(endpoint("owned"), {
      length: 5,
      metadata: { [UPLOAD_PATH_METADATA]: "new/deeper/file.txt" },
      headers: await grant("owned"),
    });
    const done = await patchUpload(`${listener.url}${created.location}`, {
      offset: 0,
      length: 5,
      body: Buffer.from("hello"),
      headers: await grant("owned"),
    });
    expect(done.status).toBe(204);
    for (const made of ["new", "new/deeper", "new/deeper/file.txt"]) {
      const info = await lstat(path.join(rootOf("owned"), made));
      expect({ made, uid: info.uid, gid: info.gid }).toEqual({ made, uid: 1000, gid: 1000 });
    }
  });

  it("refuses to finish when a folder on the way became a symlink out of the folder, and drops the bytes", async () => {
    const root = rootOf("s1");
    await mkdir(path.join(root, "swap"), { recursive: true });
    const outside = path.join(base, "outside");
    await mkdir(outside, { recursive: true });
    const created = await createUpload(endpoint("s1"), {
      length: 10,
      metadata: { [UPLOAD_PATH_METADATA]: "swap/x.txt" },
      headers: await grant("s1"),
    });
    const url = `${listener.url}${created.location}`;
    const first = await patchUpload(url, {
      offset: 0,
      length: 5,
      body: Buffer.from("01234"),
      headers: await grant("s1"),
    });
    expect(first.status).toBe(204);
    // The server swaps the folder for a symlink to somewhere else on the node.
    await rm(path.join(root, "swap"), { recursive: true });
    await symlink(outside, path.join(root, "swap"));
    const last = await patchUpload(url, {
      offset: 5,
      length: 5,
      body: Buffer.from("56789"),
      headers: await grant("s1"),
    });
    expect(last.status).toBe(403);
    expect(JSON.parse(last.body).message).toMatch(/swap leads outside the server's folder/);
    expect(await readdir(outside)).toEqual([]);
    expect(await stagedOf("s1")).toEqual([]);
    await rm(path.join(root, "swap"));
  });

  it("refuses tus GET: bytes are read through a download", async () => {
    const answer = await get(`${endpoint("s1")}abc`, await grant("s1"));
    expect(answer.status).toBe(405);
  });
});

describe("downloads", () => {
  beforeAll(async () => {
    const root = rootOf("s1");
    await mkdir(path.join(root, "world/region"), { recursive: true });
    await writeFile(path.join(root, "world/level.dat"), "level");
    await writeFile(path.join(root, "world/region/r.0.0.mca"), Buffer.alloc(300_000, 7));
    await writeFile(path.join(base, "secret.txt"), "outside");
    await symlink(path.join(base, "secret.txt"), path.join(root, "world/leak"));
  });

  it("streams a file with its length and an RFC 5987 name", async () => {
    const root = rootOf("s1");
    const answer = await get(
      `${listener.url}/files/s1/download?path=${encodeURIComponent("mods/new folder/ä b.jar")}`,
      await grant("s1"),
    );
    expect(answer.status).toBe(200);
    expect(answer.headers["content-length"]).toBe(String(answer.body.length));
    expect(answer.headers["content-disposition"]).toBe(
      `attachment; filename="_ b.jar"; filename*=UTF-8''%C3%A4%20b.jar`,
    );
    expect(createHash("sha256").update(answer.body).digest("hex")).toBe(
      await sha256File(path.join(root, "mods/new folder/ä b.jar")),
    );
  });

  it("streams a folder as a .tar.gz that keeps symlinks as links", async () => {
    const answer = await get(`${listener.url}/files/s1/download?path=world`, await grant("s1"));
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/gzip");
    expect(answer.headers["content-disposition"]).toContain('filename="world.tar.gz"');
    const entries: { path: string; type: string; size: number }[] = [];
    await pipeline(
      Readable.from([answer.body]),
      tar.t({ onReadEntry: (e) => entries.push({ path: e.path, type: e.type, size: e.size }) }),
    );
    expect(entries.map((e) => `${e.type} ${e.path}`).sort()).toEqual([
      "Directory world/region/",
      "File world/level.dat",
      "File world/region/r.0.0.mca",
      "SymbolicLink world/leak",
    ]);
    expect(answer.body.includes(Buffer.from("outside"))).toBe(false);
  });

  it("makes a server user's folder archive as that user", async () => {
    // Only root can read this one: an archive made as the server's user cannot hold it.
    await writeFile(path.join(rootOf("owned"), "root-only"), "secret", { mode: 0o600 });
    const answer = await get(`${listener.url}/files/owned/download?path=`, await grant("owned"));
    expect(answer.status).toBe(200);
    expect(answer.headers["content-disposition"]).toContain('filename="owned.tar.gz"');
    const entries: string[] = [];
    await pipeline(
      Readable.from([answer.body]),
      tar.t({ onReadEntry: (e) => entries.push(`${e.type} ${e.path}`) }),
    );
    expect(entries.sort()).toEqual([
      "Directory owned/new/",
      "Directory owned/new/deeper/",
      "File owned/new/deeper/file.txt",
    ]);
  });

  it("refuses paths that leave the folder, missing ones and other methods", async () => {
    const headers = await grant("s1");
    const at = (p: string) => `${listener.url}/files/s1/download?path=${encodeURIComponent(p)}`;
    expect((await get(at("world/leak"), headers)).status).toBe(403);
    expect((await get(at("../s1"), headers)).status).toBe(400);
    const missing = await get(at("nope.txt"), headers);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString())).toEqual({
      code: "NOT_FOUND",
      message: "nope.txt does not exist",
    });
    expect(
      (await get(`${listener.url}/files/elsewhere/download?path=a`, await grant("elsewhere")))
        .status,
    ).toBe(404);
  });
});

describe("grants", () => {
  it("needs a files grant for the path's server; an IDE grant opens no file, a files grant no IDE", async () => {
    const at = `${listener.url}/files/s1/download?path=world/level.dat`;
    expect((await get(at, {})).status).toBe(401);
    const ide = await get(at, await grant("s1", "ide"));
    expect(ide.status).toBe(401);
    expect(JSON.parse(ide.body.toString()).message).toBe("Grant refused: wrong scope");
    const other = await get(at, await grant("small"));
    expect(JSON.parse(other.body.toString()).message).toBe("Grant refused: wrong server");
    const proxy = await get(`${listener.url}/proxy/s1/`, await grant("s1"));
    expect(proxy.status).toBe(401);
    expect(JSON.parse(proxy.body.toString()).message).toBe("Grant refused: wrong scope");
    const upload = await createUpload(endpoint("s1"), {
      length: 1,
      metadata: { [UPLOAD_PATH_METADATA]: "x" },
      headers: await grant("s1", "ide"),
    });
    expect(upload.status).toBe(401);
  });
});
