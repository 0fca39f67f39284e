// The agent link: how long a portal → agent command takes through the node's room and the ack
// machinery (commandNode), against a raw Socket.IO ack on the very same socket, interleaved; and
// how long an agent takes from start to "online" in the database.
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pino from "pino";
import { createNode, enrollNode, systemActor } from "@berth/api/services";
import { loadAgentConfig, startAgent } from "../apps/agent/src/index";
import { writeFileAtomic } from "../apps/agent/src/write-file-atomic";
import { commandNode } from "../apps/portal/src/server/socket/command-node";
import { rooms } from "@berth/protocol";
import { startBenchPlatform } from "./platform";
import { machine, round, summarize } from "./stats";

export async function run({ quick }: { quick: boolean }) {
  const samples = quick ? 200 : 3000;
  const starts = quick ? 2 : 10;
  const platform = await startBenchPlatform("link");
  const { dir, prisma, portal } = platform;
  const silent = pino({ level: "silent" });

  async function enrolledConfig(name: string) {
    const created = await createNode({ prisma, name, actor: systemActor, publicUrl: portal.url });
    const enrolled = await enrollNode({ prisma, token: created.enrollmentToken });
    const path = join(dir, `${name}.json`);
    await writeFileAtomic(
      path,
      JSON.stringify({ portalUrl: portal.url, ...enrolled, nodeName: name }),
    );
    return {
      nodeId: enrolled.nodeId,
      config: loadAgentConfig({ env: { BERTH_AGENT_DATA_DIR: dir }, path }),
    };
  }

  // Start → online, measured to the database row the admin page reads.
  const startToOnline: number[] = [];
  for (let i = 0; i < starts; i++) {
    const { nodeId, config } = await enrolledConfig(`start-${i}`);
    const t0 = performance.now();
    const agent = startAgent({ config, log: silent });
    while ((await prisma.node.findUniqueOrThrow({ where: { id: nodeId } })).status !== "online") {
      await new Promise((r) => setTimeout(r, 2));
    }
    startToOnline.push(performance.now() - t0);
    await agent.stop();
  }

  const { nodeId, config } = await enrolledConfig("rtt");
  const agent = startAgent({ config, log: silent });
  while (!(await portal.agents.in(rooms.node(nodeId)).fetchSockets()).length) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const [socket] = await portal.agents.in(rooms.node(nodeId)).fetchSockets();
  const direct = portal.agents.sockets.get(socket!.id)!;

  const viaCommand: number[] = [];
  const viaRawAck: number[] = [];
  for (let i = 0; i < samples + 100; i++) {
    const a = performance.now();
    const result = await commandNode(portal.agents, nodeId, "node:ping", { sentAt: Date.now() });
    const b = performance.now();
    if (!result.ok) throw new Error(result.error.message);
    await direct.timeout(5000).emitWithAck("node:ping", { sentAt: Date.now() });
    const c = performance.now();
    if (i >= 100) {
      viaCommand.push(b - a);
      viaRawAck.push(c - b);
    }
  }

  await agent.stop();
  await platform.close();

  const command = summarize(viaCommand);
  const raw = summarize(viaRawAck);
  const online = summarize(startToOnline);
  return {
    bench: "link",
    machine: machine(),
    samples,
    figures: {
      command_rtt_p50_ms: round(command.p50),
      command_rtt_p99_ms: round(command.p99),
      command_overhead_p50_ms: round(command.p50 - raw.p50),
      agent_start_to_online_p50_ms: round(online.p50, 1),
      agent_start_to_online_max_ms: round(Math.max(...startToOnline), 1),
    },
    baseline: { raw_ack_rtt_p50_ms: round(raw.p50), raw_ack_rtt_p99_ms: round(raw.p99) },
  };
}
