// Test support: tarballs built by the test and an HTTP server on port 0 that serves them and
// counts the downloads.
import { createHash } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { Header, create } from "tar";

export interface ArtifactServer {
  url(name: string): string;
  serve(name: string, body: Buffer): void;
  downloads(name: string): number;
  /** Holds every response until `release()` is called. */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

export async function startArtifactServer(): Promise<ArtifactServer> {
  const bodies = new Map<string, Buffer>();
  const counts = new Map<string, number>();
  let held: (() => void)[] | undefined;

  const server = http.createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? "/").slice(1));
    const body = bodies.get(name);
    counts.set(name, (counts.get(name) ?? 0) + 1);
    const answer = () => {
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        "content-type": "application/gzip",
        "content-length": body.length,
      });
      res.end(body);
    };
    if (held) held.push(answer);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: (name) => `http://127.0.0.1:${port}/${encodeURIComponent(name)}`,
    serve: (name, body) => void bodies.set(name, body),
    downloads: (name) => counts.get(name) ?? 0,
    hold: () => {
      held = [];
    },
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const answer of waiting) answer();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sha256(body: Buffer): string {
  return createHash("sha256").update(body).digest("hex");
}

/** A runtime tarball with an executable `bin/hello` printing `message`, made by `tar`. */
export async function helloTarball(message: string): Promise<Buffer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "berth-runtime-src-"));
  try {
    await mkdir(path.join(dir, "bin"));
    const script = path.join(dir, "bin", "hello");
    await writeFile(script, `#!/bin/sh\necho "${message}"\n`);
    await chmod(script, 0o755);
    const out = path.join(dir, "out.tar.gz");
    await create({ gzip: true, cwd: dir, file: out, portable: true }, ["bin"]);
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface RawEntry {
  path: string;
  type?: "File" | "Directory" | "SymbolicLink" | "Link" | "CharacterDevice";
  linkpath?: string;
  body?: string;
}

/** A .tar.gz written header by header, so it can hold names no well-behaved tar would write. */
export function rawTarball(entries: RawEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? "");
    const type = entry.type ?? "File";
    const header = new Header({
      path: entry.path,
      type,
      linkpath: entry.linkpath,
      size: type === "File" ? body.length : 0,
      mode: type === "Directory" ? 0o755 : 0o644,
      mtime: new Date(0),
      uid: 0,
      gid: 0,
    });
    const block = Buffer.alloc(512);
    header.encode(block);
    blocks.push(block);
    if (type === "File" && body.length > 0) {
      blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}
