import { spawn, type ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";
import type { PrismaClient } from "@berth/db";
import { enrollTestNode, waitFor } from "./portal";

const agentBin = resolve(import.meta.dirname, "../apps/agent/bin/berth-agent.js");

export interface AgentProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** The real agent CLI as a separate process, exactly as an operator runs it. */
export function spawnAgent(args: string[], env: Record<string, string>): AgentProcess {
  const child = spawn(process.execPath, [agentBin, ...args], {
    env: { ...process.env, BERTH_AGENT_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((res) => child.once("exit", (code) => res(code)));
  return { child, output: () => output, exited };
}

/**
 * A node enrolled through the portal and the real agent CLI running for it with the process
 * driver, resolved once the portal sees the node online.
 */
export async function startProcessAgent({
  prisma,
  portalUrl,
  name,
  dir,
}: {
  prisma: PrismaClient;
  portalUrl: string;
  name: string;
  /** Holds the agent's config file and its data folder (`<dir>/agent`). */
  dir: string;
}): Promise<{ nodeId: string; agent: AgentProcess }> {
  const { nodeId, configFile } = await enrollTestNode({ prisma, portalUrl, name, dir });
  const agent = spawnAgent(["run"], {
    BERTH_AGENT_CONFIG: configFile,
    BERTH_AGENT_DATA_DIR: join(dir, "agent"),
    BERTH_AGENT_DRIVER: "process",
    BERTH_AGENT_HEARTBEAT_MS: "1000",
  });
  await waitFor(
    async () =>
      (await prisma.node.findUnique({ where: { id: nodeId } }))?.status === "online" || undefined,
    { what: `node ${name} online` },
  );
  return { nodeId, agent };
}
