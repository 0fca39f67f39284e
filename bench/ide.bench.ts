// The IDE proxy's cost: a static asset's HTTP throughput and a WebSocket echo's round trip,
// through the portal's gate and the agent's listener against the same upstream reached directly,
// in the same run, alternating rounds. Two upstreams: the real code-server (from the cached
// artifact) serving workbench.js, the asset an IDE tab waits for, and an in-memory asset, the
// cheapest possible upstream, where the proxy's own cost shows most. The portal runs here; the agent (its real link and
// listener), the upstream and the client each run in a process of their own (ide-parts.ts), as
// they would in production, so no hop pays for another's event loop.
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createCaller, createTRPCContext } from "@berth/api";
import { createNode, createUser, enrollNode, systemActor } from "@berth/api/services";
import { startCodeServerUpstream } from "./code-server-upstream";
import { startBenchPlatform } from "./platform";
import { ASSET_BYTES, type LoadAnswer, type LoadRequest } from "./ide-parts";
import { machine, round, summarize } from "./stats";

const CONCURRENCY = 8;
const partsFile = join(import.meta.dirname, "ide-parts.ts");

/** Starts one part and waits for its first message. */
function startPart<T>(role: string, env: Record<string, string> = {}) {
  const child = fork(partsFile, [role], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ...env },
  });
  const first = new Promise<T>((resolve, reject) => {
    child.once("message", (message) => resolve(message as T));
    child.once("exit", (code) => reject(new Error(`bench part ${role} exited with ${code}`)));
  });
  return { child, first };
}

function ask(load: ChildProcess, request: LoadRequest): Promise<LoadAnswer> {
  return new Promise((resolve, reject) => {
    load.once("message", (answer: LoadAnswer | { error: string }) =>
      "error" in answer ? reject(new Error(answer.error)) : resolve(answer),
    );
    load.send(request);
  });
}

interface ThroughputPair {
  proxied: { target: string; headers: Record<string, string> };
  direct: { target: string; headers: Record<string, string> };
}

export async function run({ quick }: { quick: boolean }) {
  const platform = await startBenchPlatform("ide");
  const { prisma, portal } = platform;
  const children: ChildProcess[] = [];
  const codeServer = await startCodeServerUpstream();
  try {
    const upstream = startPart<{ port: number }>("upstream");
    children.push(upstream.child);
    const upstreamPort = (await upstream.first).port;

    const user = await createUser({
      db: prisma,
      email: "bench@ide.test",
      password: "password1",
      role: "user",
    });
    const created = await createNode({
      prisma,
      name: "bench",
      actor: systemActor,
      publicUrl: portal.url,
    });
    const { nodeId, credential } = await enrollNode({ prisma, token: created.enrollmentToken });
    const devServer = (name: string) =>
      prisma.server.create({
        data: {
          name,
          kind: "dev",
          ownerId: user.id,
          nodeId,
          codeServer: true,
          codeServerState: "running",
        },
      });
    const memoryServer = await devServer("in-memory");
    const codeServerServer = await devServer("code-server");
    const node = startPart("node", {
      BENCH_PORTAL_URL: portal.url,
      BENCH_NODE_ID: nodeId,
      BENCH_NODE_CREDENTIAL: credential,
      BENCH_UPSTREAMS: JSON.stringify({
        [memoryServer.id]: upstreamPort,
        ...(codeServer ? { [codeServerServer.id]: codeServer.port } : {}),
      }),
    });
    children.push(node.child);
    await node.first;
    const load = startPart("load");
    children.push(load.child);
    await load.first;

    // Real links, redeemed at the gate for the session cookies a browser would hold.
    const caller = createCaller(
      createTRPCContext({ runtime: portal.runtime, sessionUser: user, ip: "127.0.0.1" }),
    );
    const sessionFor = async (serverId: string) => {
      const { url } = await caller.ide.createToken({ serverId });
      // The link names the public URL; the bench's portal listens on a free port.
      const link = new URL(url);
      const redeemed = await fetch(`${portal.url}${link.pathname}${link.search}`, {
        redirect: "manual",
      });
      const cookie = redeemed.headers.get("set-cookie")?.split(";")[0];
      if (redeemed.status !== 302 || !cookie) {
        throw new Error(`link not redeemed: ${redeemed.status}`);
      }
      return cookie;
    };

    const throughput = async (path: ThroughputPair["direct"], requests: number) => {
      const answer = await ask(load.child, {
        type: "http",
        ...path,
        requests,
        concurrency: CONCURRENCY,
      });
      if (answer.type !== "http") throw new Error("unexpected answer");
      return answer.bytesPerSecond;
    };
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
    /** Median bytes per second of each path over alternating rounds. */
    async function compare(pair: ThroughputPair, perRound: number) {
      const rounds = quick ? 2 : 6;
      await throughput(pair.proxied, Math.ceil(perRound / 4));
      await throughput(pair.direct, Math.ceil(perRound / 4));
      const proxied: number[] = [];
      const direct: number[] = [];
      for (let i = 0; i < rounds; i++) {
        proxied.push(await throughput(pair.proxied, perRound));
        direct.push(await throughput(pair.direct, perRound));
      }
      return { proxied: median(proxied), direct: median(direct), rounds };
    }

    const memoryCookie = await sessionFor(memoryServer.id);
    const memory = await compare(
      {
        proxied: {
          target: `${portal.url}/ide/${memoryServer.id}/static/app.js`,
          headers: { cookie: memoryCookie },
        },
        direct: { target: `http://127.0.0.1:${upstreamPort}/static/app.js`, headers: {} },
      },
      quick ? 100 : 600,
    );
    const real = codeServer
      ? await compare(
          {
            proxied: {
              target: `${portal.url}/ide/${codeServerServer.id}${codeServer.assetPath}`,
              headers: { cookie: await sessionFor(codeServerServer.id) },
            },
            direct: {
              target: `http://127.0.0.1:${codeServer.port}${codeServer.assetPath}`,
              headers: {},
            },
          },
          quick ? 10 : 40,
        )
      : null;

    const samples = quick ? 300 : 3000;
    const echo = await ask(load.child, {
      type: "ws",
      proxied: {
        url: `${portal.url.replace(/^http/, "ws")}/ide/${memoryServer.id}/echo`,
        headers: { cookie: memoryCookie, origin: portal.url },
      },
      direct: { url: `ws://127.0.0.1:${upstreamPort}/echo`, headers: {} },
      warmup: 200,
      samples,
    });
    if (echo.type !== "ws") throw new Error("unexpected answer");
    const p = summarize(echo.proxied);
    const d = summarize(echo.direct);
    const mbs = (bps: number) => round(bps / 1024 ** 2, 1);

    return {
      bench: "ide",
      machine: machine(),
      figures: {
        // The real upstream when this machine has the code-server artifact, else the in-memory one.
        http_throughput_ratio: round((real ?? memory).proxied / (real ?? memory).direct),
        http_throughput_ratio_in_memory_upstream: round(memory.proxied / memory.direct),
        ...(real
          ? {
              http_throughput_ratio_code_server: round(real.proxied / real.direct),
              http_code_server_proxied_mb_s: mbs(real.proxied),
            }
          : {}),
        http_in_memory_proxied_mb_s: mbs(memory.proxied),
        ws_echo_overhead_p50_ms: round(p.p50 - d.p50),
        ws_echo_overhead_p99_ms: round(p.p99 - d.p99),
        ws_echo_proxied_p50_ms: round(p.p50),
      },
      baseline: {
        ...(real ? { http_code_server_direct_mb_s: mbs(real.direct) } : {}),
        http_in_memory_direct_mb_s: mbs(memory.direct),
        ws_echo_direct_p50_ms: round(d.p50),
        ws_echo_direct_p99_ms: round(d.p99),
      },
      settings: {
        upstream: real
          ? "real code-server (workbench.js) and an in-memory asset"
          : "in-memory asset only: no code-server artifact cached (npm run artifact:code-server)",
        in_memory_asset_bytes: ASSET_BYTES,
        concurrency: CONCURRENCY,
        rounds: memory.rounds,
        samples,
        processes: "portal, agent, upstream and client each in its own",
      },
    };
  } finally {
    for (const child of children) child.kill();
    await codeServer?.close();
    await platform.close();
  }
}
