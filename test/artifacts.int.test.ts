import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTRPCContext, type SessionUser } from "@berth/api";
import { createUser } from "@berth/api/services";
import { verifyRuntimeVersion } from "../packages/api/src/services/runtimes/verify-runtime-version";
import { createTestDatabase, type TestDatabase } from "./db";
import { sessionCookie, startTestPortal, type TestPortal } from "./portal";

const LIMIT = 1024 * 1024;
const sha256Of = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const artifact = randomBytes(300_000);
const artifactSha = sha256Of(artifact);

let db: TestDatabase;
let portal: TestPortal;
let admin: SessionUser;
let user: SessionUser;
let adminCookie: string;
let userCookie: string;
let files: Server;
let filesUrl: string;
const dir = mkdtempSync(join(tmpdir(), "berth-artifacts-test-"));

/** Serves the test's artifact, a 404, and a URL that never answers, on a loopback port. */
function startFileServer(): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === "/good.tar.gz") {
      res.writeHead(200, { "content-length": artifact.length });
      return void res.end(artifact);
    }
    if (req.url === "/silent.tar.gz") return; // never answers
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  db = await createTestDatabase();
  portal = await startTestPortal({
    databaseUrl: db.url,
    artifactsDir: dir,
    artifactMaxBytes: LIMIT,
  });
  admin = await createUser({
    db: db.prisma,
    email: "admin@test",
    password: "password1",
    role: "admin",
  });
  user = await createUser({
    db: db.prisma,
    email: "user@test",
    password: "password1",
    role: "user",
  });
  adminCookie = await sessionCookie(portal.secret, { ...admin, role: "admin" });
  userCookie = await sessionCookie(portal.secret, { ...user, role: "user" });
  files = await startFileServer();
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterAll(async () => {
  files?.closeAllConnections();
  await new Promise((resolve) => files?.close(resolve));
  await portal?.close();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const upload = (body: Buffer, cookie?: string) =>
  fetch(`${portal.url}/api/artifacts`, {
    method: "POST",
    body,
    headers: { "content-type": "application/octet-stream", ...(cookie ? { cookie } : {}) },
  });

/** An upload without Content-Length (chunked), as a client streaming a file of unknown size. */
function uploadChunked(
  chunks: Buffer[],
  cookie: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${portal.url}/api/artifacts`, {
      method: "POST",
      headers: { cookie, "transfer-encoding": "chunked" },
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const stored = () => readdirSync(dir).sort();

describe("artifact upload and download", () => {
  it("stores an admin's upload under its sha256 and serves the same bytes", async () => {
    const response = await upload(artifact, adminCookie);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      sha256: artifactSha,
      sizeBytes: artifact.length,
      url: `http://localhost:3000/api/artifacts/${artifactSha}`,
    });
    expect(stored()).toEqual([artifactSha]);

    const served = await fetch(`${portal.url}/api/artifacts/${artifactSha}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("application/octet-stream");
    expect(served.headers.get("content-length")).toBe(String(artifact.length));
    expect(served.headers.get("cache-control")).toContain("immutable");
    expect(Buffer.from(await served.arrayBuffer()).equals(artifact)).toBe(true);

    // The same content again changes nothing.
    expect((await upload(artifact, adminCookie)).status).toBe(200);
    expect(stored()).toEqual([artifactSha]);
  });

  it("refuses anonymous and non-admin uploads, storing nothing", async () => {
    const other = randomBytes(1000);
    const anonymous = await upload(other);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ code: "UNAUTHORIZED", message: "Please sign in." });
    const plainUser = await upload(other, userCookie);
    expect(plainUser.status).toBe(403);
    expect(await plainUser.json()).toMatchObject({ code: "FORBIDDEN" });
    expect(stored()).toEqual([artifactSha]);
  });

  it("refuses an artifact over the limit, declared or streamed, and leaves no file", async () => {
    const declared = await upload(randomBytes(LIMIT + 1), adminCookie);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({
      code: "BAD_REQUEST",
      message: "The artifact is larger than the upload limit of 1.0 MiB.",
    });
    const streamed = await uploadChunked(
      Array.from({ length: 5 }, () => randomBytes(300_000)),
      adminCookie,
    );
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({
      message: "The artifact is larger than the upload limit of 1.0 MiB.",
    });
    expect(stored()).toEqual([artifactSha]);
  });

  it("answers 400 for a malformed hash and 404 for an unknown one", async () => {
    for (const name of ["nope", artifactSha.toUpperCase(), `${artifactSha}0`, ".upload-x"]) {
      const response = await fetch(`${portal.url}/api/artifacts/${name}`);
      expect(response.status, name).toBe(400);
      await response.body?.cancel();
    }
    const unknown = await fetch(`${portal.url}/api/artifacts/${"0".repeat(64)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ code: "NOT_FOUND", message: "No such artifact." });
  });
});

describe("runtimes.verifyVersion", () => {
  const caller = (who: SessionUser) =>
    createCaller(createTRPCContext({ runtime: portal.runtime, sessionUser: who, ip: "127.0.0.1" }));
  let runtimeId: string;
  let n = 0;
  const addVersion = (fields: { artifactUrl: string; sha256?: string; sizeBytes?: number }) =>
    caller(admin).runtimes.addVersion({
      runtimeId,
      version: `1.0.${n++}`,
      sha256: artifactSha,
      sizeBytes: artifact.length,
      ...fields,
    });
  const verifyAudit = (versionId: string) =>
    db.prisma.auditLog.findMany({
      where: { targetId: versionId, action: "runtime.version.verify" },
    });

  beforeAll(async () => {
    ({ id: runtimeId } = await caller(admin).runtimes.create({
      name: "hello",
      displayName: "Hello",
    }));
  });

  it("downloads the artifact and reports its hash, size and time when they match", async () => {
    const version = await addVersion({ artifactUrl: `${filesUrl}/good.tar.gz` });
    const result = await caller(admin).runtimes.verifyVersion({ versionId: version.id });
    expect(result).toEqual({
      ok: true,
      sha256: artifactSha,
      sizeBytes: artifact.length,
      ms: expect.any(Number),
    });
    expect(await verifyAudit(version.id)).toEqual([
      expect.objectContaining({
        actorId: admin.id,
        targetType: "runtimeVersion",
        data: expect.objectContaining({
          runtime: "hello",
          url: `${filesUrl}/good.tar.gz`,
          ok: true,
          sha256: artifactSha,
          sizeBytes: artifact.length,
        }),
      }),
    ]);
  });

  it("names both hashes on a sha256 mismatch, and both sizes on a size mismatch", async () => {
    const url = `${filesUrl}/good.tar.gz`;
    const wrongHash = await addVersion({ artifactUrl: url, sha256: "b".repeat(64) });
    const message = `sha256 mismatch: the artifact at ${url} hashes to ${artifactSha}, the catalog says ${"b".repeat(64)}`;
    await expect(caller(admin).runtimes.verifyVersion({ versionId: wrongHash.id })).rejects.toThrow(
      message,
    );
    expect(await verifyAudit(wrongHash.id)).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ ok: false, error: message }) }),
    ]);

    const smaller = await addVersion({ artifactUrl: url, sizeBytes: artifact.length + 10 });
    await expect(caller(admin).runtimes.verifyVersion({ versionId: smaller.id })).rejects.toThrow(
      `size mismatch: the artifact at ${url} is ${artifact.length} bytes, the catalog says ${artifact.length + 10}`,
    );
    const larger = await addVersion({ artifactUrl: url, sizeBytes: 1000 });
    await expect(caller(admin).runtimes.verifyVersion({ versionId: larger.id })).rejects.toThrow(
      `size mismatch: the artifact at ${url} is larger than the catalog's 1000 bytes`,
    );
  });

  it("says why a download failed: an HTTP status, a refused connection, a timeout", async () => {
    const missing = await addVersion({ artifactUrl: `${filesUrl}/missing.tar.gz` });
    await expect(caller(admin).runtimes.verifyVersion({ versionId: missing.id })).rejects.toThrow(
      `download failed: HTTP 404 from ${filesUrl}/missing.tar.gz`,
    );

    // A port nothing listens on: take a free one and close it again.
    const closed = await startFileServer();
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await addVersion({
      artifactUrl: `http://127.0.0.1:${closedPort}/a.tar.gz`,
    });
    await expect(
      caller(admin).runtimes.verifyVersion({ versionId: unreachable.id }),
    ).rejects.toThrow(/^download failed: connect ECONNREFUSED 127\.0\.0\.1:\d+ \(http:/);
    expect(await verifyAudit(unreachable.id)).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          ok: false,
          error: expect.stringContaining("ECONNREFUSED"),
        }),
      }),
    ]);

    const silent = await addVersion({ artifactUrl: `${filesUrl}/silent.tar.gz` });
    await expect(
      verifyRuntimeVersion({
        prisma: db.prisma,
        actor: { kind: "user", id: admin.id, role: "admin" },
        artifacts: portal.runtime.artifacts,
        publicUrl: portal.runtime.publicUrl,
        versionId: silent.id,
        timeoutMs: 300,
      }),
    ).rejects.toThrow(
      `download failed: no complete answer from ${filesUrl}/silent.tar.gz within 300 ms`,
    );
  });

  it("checks a portal-stored artifact from its file, and its hash already at save time", async () => {
    const url = `${portal.runtime.publicUrl}/api/artifacts/${artifactSha}`;
    await expect(addVersion({ artifactUrl: url, sha256: "c".repeat(64) })).rejects.toThrow(
      "sha256: The sha256 does not match the uploaded artifact",
    );
    const version = await addVersion({ artifactUrl: url });
    await expect(
      caller(admin).runtimes.updateVersion({ versionId: version.id, sha256: "c".repeat(64) }),
    ).rejects.toThrow("sha256 does not match the uploaded artifact");
    expect(await caller(admin).runtimes.verifyVersion({ versionId: version.id })).toMatchObject({
      ok: true,
      sha256: artifactSha,
    });
  });

  it("is for admins only", async () => {
    const version = await db.prisma.runtimeVersion.findFirstOrThrow({ where: { runtimeId } });
    await expect(caller(user).runtimes.verifyVersion({ versionId: version.id })).rejects.toThrow(
      "Only administrators can do this.",
    );
  });
});
