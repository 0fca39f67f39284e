// The files bench's other processes, so no two hops share an event loop: `node` (the agent's real
// link and HTTP listener with the files routes over a folder) and `client` (what a browser does:
// a tus upload and a streamed download through the portal, and the local copies they are
// compared with, measured the same way). Each talks to the bench over IPC.
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { request } from "node:http";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pipeline } from "node:stream/promises";
import pino from "pino";
import { UPLOAD_PATH_METADATA } from "@berth/protocol";
import { createFilesRoutes } from "../apps/agent/src/http/files-routes";
import { seededBytes } from "../apps/agent/src/transfers/test-bytes";
import { createUpload, patchUpload } from "../apps/agent/src/transfers/tus-test-client";
import { Uploads } from "../apps/agent/src/transfers/uploads";
import { linkIdeNode } from "../test/ide-node";

export type ClientRequest =
  | { type: "prepare"; file: string; bytes: number }
  | {
      type: "upload";
      /** The tus endpoint (the portal's, or the agent's own). */
      endpoint: string;
      headers: Record<string, string>;
      source: string;
      to: string;
      chunkBytes: number;
    }
  | { type: "download"; url: string; headers: Record<string, string>; to: string }
  | { type: "copy"; from: string; to: string };
/** Seconds the transfer took, from the first request to the last byte. */
export type ClientAnswer = { seconds: number };

const send = (message: unknown) => process.send!(message);

async function node(): Promise<void> {
  const dir = process.env.BENCH_FILES_DIR!;
  const log = pino({ level: "silent" });
  const uploads = new Uploads({ stagingRoot: path.join(dir, "uploads"), log });
  await linkIdeNode({
    portalUrl: process.env.BENCH_PORTAL_URL!,
    nodeId: process.env.BENCH_NODE_ID!,
    credential: process.env.BENCH_NODE_CREDENTIAL!,
    upstreams: { resolve: async () => ({ ok: false, status: 404, message: "No IDE here" }) },
    files: createFilesRoutes({
      servers: {
        fileRoot: async (serverId) => {
          const root = path.join(dir, "servers", serverId);
          await mkdir(root, { recursive: true });
          return { root, diskMb: null, owner: null };
        },
      },
      uploads,
      log,
    }),
  });
  send({ ready: true });
}

const seconds = (since: number) => (performance.now() - since) / 1000;

async function answer(message: ClientRequest): Promise<ClientAnswer> {
  const started = performance.now();
  switch (message.type) {
    case "prepare": {
      await pipeline(
        seededBytes({ seed: "files-bench", length: message.bytes }),
        createWriteStream(message.file),
      );
      return { seconds: seconds(started) };
    }
    case "copy": {
      await pipeline(
        createReadStream(message.from, { highWaterMark: 1024 * 1024 }),
        createWriteStream(message.to),
      );
      return { seconds: seconds(started) };
    }
    case "upload": {
      const { size } = await stat(message.source);
      const created = await createUpload(message.endpoint, {
        length: size,
        metadata: { [UPLOAD_PATH_METADATA]: message.to },
        headers: message.headers,
      });
      if (created.status !== 201 || !created.location) {
        throw new Error(`upload not created: ${created.status} ${created.body}`);
      }
      // In chunks, as the portal's upload panel sends them (tus-js-client's chunkSize).
      let offset = 0;
      while (offset < size) {
        const length = Math.min(message.chunkBytes, size - offset);
        const done = await patchUpload(new URL(created.location, message.endpoint).href, {
          offset,
          length,
          body: createReadStream(message.source, {
            start: offset,
            end: offset + length - 1,
            highWaterMark: 1024 * 1024,
          }),
          headers: message.headers,
        });
        if (done.status !== 204) throw new Error(`upload failed: ${done.status} ${done.body}`);
        offset += length;
      }
      return { seconds: seconds(started) };
    }
    case "download": {
      await new Promise<void>((resolve, reject) => {
        request(message.url, { headers: message.headers }, (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`download failed: ${res.statusCode}`));
            res.resume();
            return;
          }
          pipeline(res, createWriteStream(message.to)).then(resolve, reject);
        })
          .on("error", reject)
          .end();
      });
      return { seconds: seconds(started) };
    }
  }
}

async function client(): Promise<void> {
  process.on("message", (message: ClientRequest) => {
    answer(message).then(send, (error: unknown) => send({ error: String(error) }));
  });
  send({ ready: true });
}

const role = process.argv[2];
if (role === "node") await node();
else if (role === "client") await client();
