// Bulk file bytes through the portal and the agent against a local copy, in the same run,
// interleaved round by round: an upload (tus: create, then streamed PATCHes of 8 MiB as the
// portal's upload panel sends them, through the portal's files gate and the agent's listener
// into its staging folder, renamed into place) and a download (one streamed GET through both)
// of the same file, each beside a streamed copy of that file on the same disk (what the bytes
// would cost without any network hop); the same transfers straight to the agent show the
// portal hop's share. The portal runs here; the agent (its real link and listener) and the
// client each run in a process of their own (files-parts.ts), as they would in production.
import { fork, type ChildProcess } from "node:child_process";
import { mkdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { createNode, createUser, enrollNode, systemActor } from "@berth/api/services";
import { NODE_GRANT_HEADER } from "@berth/protocol";
import { sessionCookie } from "../test/portal";
import type { ClientAnswer, ClientRequest } from "./files-parts";
import { BENCH_SECRET, startBenchPlatform } from "./platform";
import { machine, round } from "./stats";

const MIB = 1024 * 1024;
/** What the portal's upload panel uses (tus-js-client chunkSize). */
const UPLOAD_CHUNK_BYTES = 8 * MIB;
const partsFile = join(import.meta.dirname, "files-parts.ts");

function startPart(role: string, env: Record<string, string> = {}) {
  const child = fork(partsFile, [role], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ...env },
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => reject(new Error(`bench part ${role} exited with ${code}`)));
  });
  return { child, ready };
}

function ask(client: ChildProcess, request: ClientRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    client.once("message", (answer: ClientAnswer | { error: string }) =>
      "error" in answer ? reject(new Error(answer.error)) : resolve(answer.seconds),
    );
    client.send(request);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

export async function run({ quick }: { quick: boolean }) {
  const bytes = (quick ? 32 : 256) * MIB;
  const rounds = quick ? 2 : 5;
  const platform = await startBenchPlatform("files");
  const { prisma, portal, dir } = platform;
  const children: ChildProcess[] = [];
  try {
    const user = await createUser({
      db: prisma,
      email: "bench@files.test",
      password: "password1",
      role: "user",
    });
    const cookie = await sessionCookie(BENCH_SECRET, { ...user, role: "user" });
    const created = await createNode({
      prisma,
      name: "bench",
      actor: systemActor,
      publicUrl: portal.url,
    });
    const { nodeId, credential } = await enrollNode({ prisma, token: created.enrollmentToken });
    const server = await prisma.server.create({
      data: { name: "files", kind: "game", ownerId: user.id, nodeId },
    });
    const nodeDir = join(dir, "node");
    const node = startPart("node", {
      BENCH_PORTAL_URL: portal.url,
      BENCH_NODE_ID: nodeId,
      BENCH_NODE_CREDENTIAL: credential,
      BENCH_FILES_DIR: nodeDir,
    });
    children.push(node.child);
    await node.ready;
    const client = startPart("client");
    children.push(client.child);
    await client.ready;

    const clientDir = join(dir, "client");
    await mkdir(clientDir, { recursive: true });
    const source = join(clientDir, "source.bin");
    await ask(client.child, { type: "prepare", file: source, bytes });
    const placed = join(nodeDir, "servers", server.id, "bench.bin");

    // The same requests straight to the agent's listener (with a grant, as the portal sends
    // them) show what the portal's hop costs.
    const { address } = await prisma.node.findUniqueOrThrow({ where: { id: nodeId } });
    if (!address) throw new Error("the node has no address");
    const paths = {
      portal: {
        base: `${portal.url}/api/files/${server.id}`,
        headers: async () => ({ cookie }),
      },
      agent: {
        base: `${address}/files/${server.id}`,
        headers: async () => ({
          [NODE_GRANT_HEADER]: await portal.runtime.nodeGrants.sign({
            nodeId,
            userId: user.id,
            serverId: server.id,
            scope: "files",
          }),
        }),
      },
    };
    type Via = keyof typeof paths;
    const upload = async (via: Via = "portal") =>
      ask(client.child, {
        type: "upload",
        endpoint: `${paths[via].base}/uploads/`,
        headers: await paths[via].headers(),
        source,
        to: "bench.bin",
        chunkBytes: UPLOAD_CHUNK_BYTES,
      });
    const download = async (via: Via = "portal") => {
      const to = join(clientDir, "downloaded.bin");
      const seconds = await ask(client.child, {
        type: "download",
        url: `${paths[via].base}/download?path=bench.bin`,
        headers: await paths[via].headers(),
        to,
      });
      if ((await stat(to)).size !== bytes) throw new Error("download incomplete");
      await rm(to, { force: true });
      return seconds;
    };
    const copy = async (from: string) => {
      const to = join(clientDir, "copy.bin");
      const seconds = await ask(client.child, { type: "copy", from, to });
      await rm(to, { force: true });
      return seconds;
    };

    // Warm-up: one of each, not counted.
    await upload();
    await download();
    await copy(source);
    const up: number[] = [];
    const upCopy: number[] = [];
    const down: number[] = [];
    const downCopy: number[] = [];
    const upAgent: number[] = [];
    const downAgent: number[] = [];
    for (let i = 0; i < rounds; i++) {
      upCopy.push(await copy(source));
      up.push(await upload());
      if ((await stat(placed)).size !== bytes) throw new Error("upload incomplete");
      upAgent.push(await upload("agent"));
      downAgent.push(await download("agent"));
      down.push(await download());
      downCopy.push(await copy(placed));
    }
    const mbs = (seconds: number) => bytes / MIB / seconds;
    const upload_mb_s = mbs(median(up));
    const download_mb_s = mbs(median(down));
    const upload_copy_mb_s = mbs(median(upCopy));
    const download_copy_mb_s = mbs(median(downCopy));
    return {
      bench: "files",
      machine: machine(),
      figures: {
        upload_throughput_ratio: round(upload_mb_s / upload_copy_mb_s),
        download_throughput_ratio: round(download_mb_s / download_copy_mb_s),
        upload_mb_s: round(upload_mb_s, 1),
        download_mb_s: round(download_mb_s, 1),
      },
      baseline: {
        upload_copy_mb_s: round(upload_copy_mb_s, 1),
        download_copy_mb_s: round(download_copy_mb_s, 1),
        upload_agent_direct_mb_s: round(mbs(median(upAgent)), 1),
        download_agent_direct_mb_s: round(mbs(median(downAgent)), 1),
      },
      settings: {
        file_mb: bytes / MIB,
        upload_chunk_mb: UPLOAD_CHUNK_BYTES / MIB,
        rounds,
        statistic:
          "median per path; each round: copy, upload, upload to the agent, download from the agent, download, copy",
        baseline: "streamed copy of the same file on the same disk (fs read → write)",
        processes: "portal, agent (link + listener) and client each in its own",
      },
    };
  } finally {
    for (const child of children) child.kill();
    await platform.close();
  }
}
