// Provisioning on real parts. (1) create → running for the generic template on Docker through the
// whole platform (tRPC create → portal → agent → Docker → done line → state event in the database)
// against a raw `docker run` of the same image and command to the same line, interleaved. (2) How
// many idle process-driver servers one real agent process holds, and its RSS.
import { spawn, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { createCaller, createTRPCContext } from "@berth/api";
import { createUser } from "@berth/api/services";
import type { PrismaClient } from "@berth/db";
import { rssMb, startBenchAgent, until } from "./agent-node";
import { startBenchPlatform } from "./platform";
import { machine, round, summarize } from "./stats";

function rawDockerRun(image: string, startup: string, ready: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn("docker", [
      "run",
      "--rm",
      "-i",
      "--label",
      "berth.bench=1",
      image,
      "sh",
      "-c",
      startup,
    ]);
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes(ready)) {
        const elapsed = performance.now() - t0;
        child.stdin.end(); // the program's read loop ends, the container exits and is removed
        resolve(elapsed);
      }
    });
    child.once("error", reject);
  });
}

export async function run({ quick }: { quick: boolean }) {
  const pairs = quick ? 2 : 10;
  const heldTarget = quick ? 20 : 200;
  const platform = await startBenchPlatform("provision");
  const { dir, prisma, portal } = platform;
  const owner = await createUser({
    db: prisma,
    email: "bench@test",
    password: "password1",
    role: "user",
  });
  const caller = createCaller(
    createTRPCContext({ runtime: portal.runtime, sessionUser: owner, ip: "127.0.0.1" }),
  );
  const template = await prisma.template.findUniqueOrThrow({ where: { slug: "generic-console" } });
  const children: ChildProcess[] = [];

  async function agentNode(name: string, driver: "docker" | "process") {
    const agent = await startBenchAgent({ prisma, portalUrl: portal.url, dir, name, driver });
    children.push(agent.child);
    return agent;
  }

  const running = (db: PrismaClient, id: string) =>
    db.server
      .findUniqueOrThrow({ where: { id } })
      .then((s) => (s.observedState === "running" ? true : undefined));

  try {
    // --- (1) create → running on Docker vs raw docker run --------------------------------------
    const dockerNode = await agentNode("docker-node", "docker");
    const warm = await caller.servers.create({
      kind: "game",
      name: "warm",
      templateId: template.id,
      memoryMb: 64,
    });
    await until(() => running(prisma, warm.id), 120_000, "warm-up server"); // builds the image once
    await caller.servers.delete({ serverId: warm.id });
    const spec = await prisma.template.findUniqueOrThrow({ where: { id: template.id } });
    const startup = spec.startup
      .replace("{{SERVER_PORT}}", "8080")
      .replace(/^sh -c '(.*)'$/s, "$1");
    await rawDockerRun("berth/generic:1", startup, "Server ready"); // warm-up

    const viaBerth: number[] = [];
    const viaDocker: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const t0 = performance.now();
      const { id } = await caller.servers.create({
        kind: "game",
        name: `p${i}`,
        templateId: template.id,
        memoryMb: 64,
      });
      await until(() => running(prisma, id), 60_000, "server running");
      viaBerth.push(performance.now() - t0);
      viaDocker.push(await rawDockerRun("berth/generic:1", startup, "Server ready"));
      await caller.servers.delete({ serverId: id });
    }
    // Only the process node may take the next servers: its Docker sibling goes away for real
    // (a live agent's heartbeats would mark it online again).
    dockerNode.child.kill("SIGKILL");
    await until(
      async () =>
        (await prisma.node.findUniqueOrThrow({ where: { id: dockerNode.nodeId } })).status ===
        "offline"
          ? true
          : undefined,
      30_000,
      "docker node offline",
    );

    // --- (2) idle process-driver servers held by one agent ---------------------------------------
    const processNode = await agentNode("process-node", "process");
    await prisma.node.update({
      where: { id: processNode.nodeId },
      data: { portRangeEnd: 25565 + heldTarget + 50 },
    });
    const rssBefore = rssMb(processNode.pid);
    const ids: string[] = [];
    for (let i = 0; i < heldTarget; i++) {
      ids.push(
        (
          await caller.servers.create({
            kind: "game",
            name: `idle${i}`,
            templateId: template.id,
            memoryMb: 64,
          })
        ).id,
      );
    }
    let reported = 0;
    await until(
      async () => {
        const n = await prisma.server.count({
          where: { nodeId: processNode.nodeId, observedState: "running" },
        });
        if (Date.now() - reported > 5000) {
          reported = Date.now();
          const by = await prisma.server.groupBy({
            by: ["provisionStage", "observedState"],
            where: { nodeId: processNode.nodeId },
            _count: true,
          });
          console.error(
            `running ${n}/${heldTarget}`,
            JSON.stringify(
              by.map(
                (g: { provisionStage: string | null; observedState: string; _count: number }) => [
                  g.provisionStage,
                  g.observedState,
                  g._count,
                ],
              ),
            ),
          );
        }
        return n === heldTarget ? n : undefined;
      },
      150_000,
      `${heldTarget} servers running`,
    );
    await new Promise((r) => setTimeout(r, 3000)); // settle
    const rssHeld = rssMb(processNode.pid);
    const held = await prisma.server.count({
      where: { nodeId: processNode.nodeId, observedState: "running" },
    });

    const berth = summarize(viaBerth);
    const raw = summarize(viaDocker);
    return {
      bench: "provision",
      machine: machine(),
      figures: {
        ratio_vs_docker_run: round(berth.p50 / raw.p50, 2),
        create_to_running_p50_ms: round(berth.p50, 1),
        create_to_running_max_ms: round(Math.max(...viaBerth), 1),
        process_servers_held: held,
        agent_rss_mb_at_200_servers: heldTarget === 200 ? round(rssHeld, 1) : null,
        agent_rss_mb_idle: round(rssBefore, 1),
        agent_rss_mb_held: round(rssHeld, 1),
      },
      baseline: {
        docker_run_p50_ms: round(raw.p50, 1),
        docker_run_max_ms: round(Math.max(...viaDocker), 1),
        pairs,
      },
    };
  } finally {
    for (const child of children) child.kill("SIGKILL");
    await platform.close();
    spawn("sh", ["-c", "docker ps -aq --filter label=berth.bench=1 | xargs -r docker rm -f"], {
      stdio: "ignore",
    });
  }
}
