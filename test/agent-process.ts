import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

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
