// A real agent process on its own node, for benchmarks that measure it apart from the portal.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createNode, enrollNode, systemActor } from "@berth/api/services";
import type { PrismaClient } from "@berth/db";
import { writeFileAtomic } from "../apps/agent/src/write-file-atomic";

const agentBin = join(import.meta.dirname, "../apps/agent/bin/berth-agent.js");
export const BENCH_LABELS = "berth.test=1,berth.bench=1";

export async function until<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

export interface BenchAgent {
  nodeId: string;
  pid: number;
  child: ChildProcess;
}

/** Creates and enrolls a node, starts the agent CLI for it and waits until the node is online. */
export async function startBenchAgent({
  prisma,
  portalUrl,
  dir,
  name,
  driver,
}: {
  prisma: PrismaClient;
  portalUrl: string;
  dir: string;
  name: string;
  driver: "docker" | "process";
}): Promise<BenchAgent> {
  const created = await createNode({ prisma, name, actor: systemActor, publicUrl: portalUrl });
  const enrolled = await enrollNode({ prisma, token: created.enrollmentToken });
  const configFile = join(dir, `${name}.json`);
  await writeFileAtomic(configFile, JSON.stringify({ portalUrl, ...enrolled, nodeName: name }));
  const child = spawn(process.execPath, [agentBin, "run"], {
    env: {
      ...process.env,
      BERTH_AGENT_CONFIG: configFile,
      BERTH_AGENT_DATA_DIR: join(dir, name),
      BERTH_AGENT_DRIVER: driver,
      BERTH_AGENT_CONTAINER_LABELS: BENCH_LABELS,
      BERTH_AGENT_LOG_LEVEL: "warn",
    },
    stdio: "ignore",
  });
  await until(
    async () =>
      (await prisma.node.findUniqueOrThrow({ where: { id: enrolled.nodeId } })).status === "online"
        ? true
        : undefined,
    30_000,
    `${name} online`,
  );
  return { nodeId: enrolled.nodeId, pid: child.pid!, child };
}
