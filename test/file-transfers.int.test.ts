// Bulk file bytes on real parts: a portal on port 0 with Postgres, the agent's real link (the hello
// answered with the grant key) and its real HTTP listener with the files routes over temp folders.
// A 1 GiB upload goes browser-side → portal → agent in tus requests, is cut at about half,
// resumed from the offset the server gives and lands whole (sha256 equal) and only at the end;
// the disk quota refuses what would not fit and leaves nothing; downloads stream files and
// folders (.tar.gz); sessions, ownership and grant scopes are enforced.
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import pino from "pino";
import * as tar from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@berth/api/services";
import { NODE_GRANT_HEADER, UPLOAD_PATH_METADATA } from "@berth/protocol";
import { createFilesRoutes, type FileRoot } from "../apps/agent/src/http/files-routes";
import { failingAfter, seededBytes, seededSha256 } from "../apps/agent/src/transfers/test-bytes";
import {
  createUpload,
  patchUpload,
  uploadOffset,
} from "../apps/agent/src/transfers/tus-test-client";
import { Uploads } from "../apps/agent/src/transfers/uploads";
import { createTestDatabase, type TestDatabase } from "./db";
import { startIdeNode, type IdeNode } from "./ide-node";
import { sessionCookie, startTestPortal, type TestPortal } from "./portal";

const GIB = 1024 * 1024 * 1024;

let db: TestDatabase;
let portal: TestPortal;
let node: IdeNode;
let uploads: Uploads;
let base: string;
let staging: string;
let ownerCookie: string;
let strangerCookie: string;
let adminCookie: string;
let serverId: string;
let tightId: string;
const roots = new Map<string, FileRoot>();

beforeAll(async () => {
  db = await createTestDatabase();
  portal = await startTestPortal({ databaseUrl: db.url, staleMs: 10 * 60_000 });
  const user = (email: string, role: "admin" | "user") =>
    createUser({ db: db.prisma, email, password: "password1", role });
  const owner = await user("owner@transfers.test", "user");
  const stranger = await user("stranger@transfers.test", "user");
  const admin = await user("admin@transfers.test", "admin");
  ownerCookie = await sessionCookie(portal.secret, { ...owner, role: "user" });
  strangerCookie = await sessionCookie(portal.secret, { ...stranger, role: "user" });
  adminCookie = await sessionCookie(portal.secret, { ...admin, role: "admin" });

  base = await mkdtemp(path.join(tmpdir(), "berth-transfers-"));
  staging = path.join(base, "uploads");
  uploads = new Uploads({ stagingRoot: staging, log: pino({ level: "silent" }) });
  node = await startIdeNode({
    prisma: db.prisma,
    portalUrl: portal.url,
    name: "transfers-node",
    upstreams: { resolve: async () => ({ ok: false, status: 404, message: "no IDE here" }) },
    files: createFilesRoutes({
      servers: { fileRoot: async (id) => roots.get(id) ?? null },
      uploads,
      log: pino({ level: "silent" }),
    }),
  });
  const server = (name: string) =>
    db.prisma.server.create({
      data: { name, kind: "game", ownerId: owner.id, nodeId: node.nodeId, memoryMb: 256 },
    });
  serverId = (await server("big")).id;
  tightId = (await server("tight")).id;
  for (const [id, diskMb] of [
    [serverId, null],
    [tightId, 1],
  ] as const) {
    const root = path.join(base, "servers", id, "data");
    await mkdir(root, { recursive: true });
    roots.set(id, { root, diskMb, owner: null });
  }
});

afterAll(async () => {
  await node?.close();
  uploads?.close();
  await portal?.close();
  await db?.drop();
  if (base) await rm(base, { recursive: true, force: true });
});

const endpoint = (id: string) => `${portal.url}/api/files/${id}/uploads/`;
const rootOf = (id: string) => roots.get(id)!.root;
const staged = (id: string) => readdir(path.join(staging, id)).catch(() => [] as string[]);

async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}

interface Downloaded {
  status: number;
  headers: Record<string, unknown>;
  sha256: string;
  bytes: number;
  /** The first 16 MiB. */
  body: Buffer;
}

/** GET, hashing the body as it streams (never held whole). */
function download(url: string, headers: Record<string, string>): Promise<Downloaded> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const hash = createHash("sha256");
      const kept: Buffer[] = [];
      let bytes = 0;
      res.on("data", (chunk: Buffer) => {
        hash.update(chunk);
        bytes += chunk.length;
        if (bytes <= 16 * 1024 * 1024) kept.push(chunk);
      });
      res.on("end", () =>
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          sha256: hash.digest("hex"),
          bytes,
          body: Buffer.concat(kept),
        }),
      );
      res.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
}

describe("a 1 GiB upload through portal and agent", () => {
  const length = GIB;
  const seed = "transfers-int-1gib";
  const destination = () => path.join(rootOf(serverId), "worlds/big world.bin");

  it(
    "is cut at about half, resumes from the server's offset, lands whole and only at the end, and downloads equal",
    async () => {
      const expected = seededSha256(seed, length);
      const created = await createUpload(endpoint(serverId), {
        length,
        metadata: { [UPLOAD_PATH_METADATA]: "worlds/big world.bin", filename: "big world.bin" },
        headers: { cookie: ownerCookie },
      });
      expect(created.status).toBe(201);
      expect(created.headers["tus-resumable"]).toBe("1.0.0");
      // The node's address never reaches the browser.
      expect(created.location).toMatch(
        new RegExp(`^/api/files/${serverId}/uploads/[A-Za-z0-9_-]+$`),
      );
      const url = `${portal.url}${created.location}`;

      const half = length / 2;
      await expect(
        patchUpload(url, {
          offset: 0,
          length,
          body: failingAfter(seededBytes({ seed, length }), half),
          headers: { cookie: ownerCookie },
        }),
      ).rejects.toThrow();

      // What reached the node before the cut is kept; the offset settles once its write ends.
      let offset = -1;
      for (let i = 0, same = 0; i < 150 && same < 3; i++) {
        const head = await uploadOffset(url, { cookie: ownerCookie });
        expect(head.status).toBe(200);
        same = head.offset === offset && offset > 0 ? same + 1 : 0;
        offset = head.offset!;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(offset).toBeGreaterThan(length * 0.4);
      expect(offset).toBeLessThanOrEqual(half);
      expect(existsSync(destination())).toBe(false);

      // Half-way through the rest, the bytes are in staging and nothing is at the destination.
      let seenMidway: { destination: boolean; stagedBytes: number } | null = null;
      let sent = 0;
      const uploadId = created.location!.split("/").pop()!;
      const watch = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          sent += chunk.length;
          if (!seenMidway && offset + sent > length * 0.75) {
            seenMidway = { destination: true, stagedBytes: 0 };
            void stat(path.join(staging, serverId, uploadId)).then((info) => {
              seenMidway = { destination: existsSync(destination()), stagedBytes: info.size };
            });
          }
          done(null, chunk);
        },
      });
      seededBytes({ seed, offset, length: length - offset }).pipe(watch);
      const rest = await patchUpload(url, {
        offset,
        length: length - offset,
        body: watch,
        headers: { cookie: ownerCookie },
      });
      expect(rest.status).toBe(204);
      expect(rest.headers["upload-offset"]).toBe(String(length));
      expect(seenMidway).toEqual({ destination: false, stagedBytes: expect.any(Number) });
      expect(seenMidway!.stagedBytes).toBeGreaterThan(half);

      expect((await stat(destination())).size).toBe(length);
      expect(await sha256File(destination())).toBe(await expected);
      expect(await staged(serverId)).toEqual([]);

      const down = await download(
        `${portal.url}/api/files/${serverId}/download?path=${encodeURIComponent("worlds/big world.bin")}`,
        { cookie: ownerCookie },
      );
      expect(down.status).toBe(200);
      expect(down.headers["content-length"]).toBe(String(length));
      expect(down.headers["content-disposition"]).toContain("filename*=UTF-8''big%20world.bin");
      expect(down.bytes).toBe(length);
      expect(down.sha256).toBe(await expected);
    },
    10 * 60_000,
  );
});

describe("quota", () => {
  it("refuses an upload past the server's disk quota with a clear message and leaves nothing", async () => {
    const created = await createUpload(endpoint(tightId), {
      length: 2 * 1024 * 1024,
      metadata: { [UPLOAD_PATH_METADATA]: "mods/huge.jar" },
      headers: { cookie: ownerCookie },
    });
    expect(created.status).toBe(413);
    expect(JSON.parse(created.body)).toEqual({
      code: "BAD_REQUEST",
      message:
        "Not enough room: this upload needs 2 MiB, and the server's folder already holds 0 bytes of its 1 MiB disk quota",
    });
    expect(await staged(tightId)).toEqual([]);
    expect(await readdir(rootOf(tightId))).toEqual([]);
  });
});

describe("downloads", () => {
  it("streams a folder as a .tar.gz whose entries are listed", async () => {
    const root = rootOf(serverId);
    await mkdir(path.join(root, "config/nested"), { recursive: true });
    await writeFile(path.join(root, "config/server.properties"), "motd=hi\n");
    await writeFile(path.join(root, "config/nested/ops.json"), "[]");
    const down = await download(`${portal.url}/api/files/${serverId}/download?path=config`, {
      cookie: ownerCookie,
    });
    expect(down.status).toBe(200);
    expect(down.headers["content-type"]).toBe("application/gzip");
    expect(down.headers["content-disposition"]).toContain('filename="config.tar.gz"');
    const entries: string[] = [];
    const list = tar.t({ onReadEntry: (entry) => entries.push(`${entry.type} ${entry.path}`) });
    const listed = new Promise((resolve) => list.on("end", resolve));
    list.end(down.body);
    await listed;
    expect(entries.sort()).toEqual([
      "Directory config/nested/",
      "File config/nested/ops.json",
      "File config/server.properties",
    ]);
  });

  it("answers a missing file with 404 and a message", async () => {
    const down = await download(`${portal.url}/api/files/${serverId}/download?path=nope.txt`, {
      cookie: ownerCookie,
    });
    expect(down.status).toBe(404);
    expect(JSON.parse(down.body.toString())).toEqual({
      code: "NOT_FOUND",
      message: "nope.txt does not exist",
    });
  });
});

describe("access", () => {
  it("needs a session (401) of the owner or an admin; someone else's server is not found", async () => {
    const at = `${portal.url}/api/files/${serverId}/download?path=config/server.properties`;
    const anonymous = await download(at, {});
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body.toString()).code).toBe("UNAUTHORIZED");
    expect((await download(at, { cookie: strangerCookie })).status).toBe(404);
    const admin = await download(at, { cookie: adminCookie });
    expect(admin.status).toBe(200);
    expect(admin.body.toString()).toBe("motd=hi\n");

    const metadata = { [UPLOAD_PATH_METADATA]: "x.txt" };
    const stranger = await createUpload(endpoint(serverId), {
      length: 1,
      metadata,
      headers: { cookie: strangerCookie },
    });
    expect(stranger.status).toBe(404);
    expect((await createUpload(endpoint(serverId), { length: 1, metadata })).status).toBe(401);
    expect(await staged(serverId)).toEqual([]);
  });

  it("a files grant never reaches the IDE, nor an IDE grant the files", async () => {
    const sign = (scope: "files" | "ide") =>
      portal.runtime.nodeGrants.sign({ nodeId: node.nodeId, userId: "u", serverId, scope });
    const listener = node.listener.url;
    const file = `${listener}/files/${serverId}/download?path=config/server.properties`;
    const ideWithFiles = await download(`${listener}/proxy/${serverId}/`, {
      [NODE_GRANT_HEADER]: await sign("files"),
    });
    expect(ideWithFiles.status).toBe(401);
    expect(JSON.parse(ideWithFiles.body.toString()).message).toBe("Grant refused: wrong scope");
    const filesWithIde = await download(file, { [NODE_GRANT_HEADER]: await sign("ide") });
    expect(filesWithIde.status).toBe(401);
    expect(JSON.parse(filesWithIde.body.toString()).message).toBe("Grant refused: wrong scope");
    const filesWithFiles = await download(file, { [NODE_GRANT_HEADER]: await sign("files") });
    expect(filesWithFiles.status).toBe(200);
  });
});
