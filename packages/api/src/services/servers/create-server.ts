import { z } from "zod";
import type { PrismaClient, Server } from "@berth/db";
import { AppError } from "../../lib/app-error";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import { allocatePorts, chooseNode } from "./placement";

const TemplatePort = z.object({
  name: z.string(),
  containerPort: z.number().int(),
  protocol: z.enum(["tcp", "udp"]),
});

export interface AllocatedPort {
  name: string;
  hostPort: number;
  containerPort: number;
  protocol: "tcp" | "udp";
}

export interface CreateServerRequest {
  kind: "game" | "dev";
  name: string;
  templateId?: string;
  runtimeVersionId?: string;
  codeServer?: boolean;
  memoryMb: number;
  cpuPercent: number;
  diskMb: number;
  requestId?: string;
}

// Serializes placements, so two creates cannot both take the last free memory or the same port.
const PLACEMENT_LOCK = 4242002;

export async function createServer({
  prisma,
  actor,
  request,
}: {
  prisma: PrismaClient;
  actor: Actor & { kind: "user" };
  request: CreateServerRequest;
}): Promise<{ server: Server; created: boolean }> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PLACEMENT_LOCK})`;

    if (request.requestId) {
      const earlier = await tx.server.findUnique({ where: { requestId: request.requestId } });
      if (earlier) {
        if (earlier.ownerId !== actor.id)
          throw new AppError("CONFLICT", "This request id is taken.");
        return { server: earlier, created: false };
      }
    }

    let templatePorts: z.infer<typeof TemplatePort>[] = [];
    if (request.kind === "game") {
      if (!request.templateId) throw new AppError("BAD_REQUEST", "Choose a template.");
      const template = await tx.template.findUnique({ where: { id: request.templateId } });
      if (!template) throw new AppError("NOT_FOUND", "No such template.");
      templatePorts = z.array(TemplatePort).parse(template.ports);
    } else if (request.runtimeVersionId) {
      const version = await tx.runtimeVersion.findUnique({
        where: { id: request.runtimeVersionId },
        include: { runtime: true },
      });
      if (
        !version ||
        !version.enabled ||
        !version.runtime.enabled ||
        version.runtime.kind !== "runtime"
      ) {
        throw new AppError("NOT_FOUND", "That runtime version is not available.");
      }
    }
    if (request.kind === "dev" && request.codeServer) {
      const available = await tx.runtimeVersion.count({
        where: {
          enabled: true,
          runtime: { name: "code-server", kind: "addon", enabled: true },
        },
      });
      if (available === 0) {
        throw new AppError(
          "BAD_REQUEST",
          "code-server is not available: no enabled version in the runtime catalog",
        );
      }
    }

    const nodes = await tx.node.findMany({
      where: { status: "online", revokedAt: null, enrolledAt: { not: null } },
      select: { id: true, name: true, memoryMb: true, portRangeStart: true, portRangeEnd: true },
    });
    const allocated = await tx.server.groupBy({
      by: ["nodeId"],
      _sum: { memoryMb: true },
      where: { nodeId: { in: nodes.map((n) => n.id) } },
    });
    const allocatedOn = new Map(allocated.map((a) => [a.nodeId, a._sum.memoryMb ?? 0]));
    const chosen = chooseNode(
      nodes.map((n) => ({ ...n, allocatedMb: allocatedOn.get(n.id) ?? 0 })),
      request.memoryMb,
    );
    if (!chosen) {
      throw new AppError(
        "CONFLICT",
        nodes.length === 0
          ? "No node is online to place this server on."
          : `No online node has ${request.memoryMb} MB of memory free.`,
      );
    }
    const node = nodes.find((n) => n.id === chosen.id)!;

    const neighbours = await tx.server.findMany({
      where: { nodeId: node.id },
      select: { ports: true },
    });
    const used = new Set(
      neighbours.flatMap((s) => (s.ports as unknown as AllocatedPort[]).map((p) => p.hostPort)),
    );
    const hostPorts = allocatePorts(
      { start: node.portRangeStart, end: node.portRangeEnd },
      used,
      templatePorts.length,
    );
    if (!hostPorts) throw new AppError("CONFLICT", `No free ports left on node ${node.name}.`);
    const ports: AllocatedPort[] = templatePorts.map((p, i) => ({ ...p, hostPort: hostPorts[i]! }));

    const server = await tx.server.create({
      data: {
        name: request.name,
        kind: request.kind,
        ownerId: actor.id,
        nodeId: node.id,
        templateId: request.templateId ?? null,
        runtimeVersionId: request.runtimeVersionId ?? null,
        codeServer: request.codeServer ?? false,
        memoryMb: request.memoryMb,
        cpuPercent: request.cpuPercent,
        diskMb: request.diskMb,
        ports: ports as unknown as object[],
        desiredState: "running",
        provisionStage: "queued",
        provisionPercent: 0,
        requestId: request.requestId ?? null,
      },
    });
    await recordAudit(tx, {
      actorId: actorUserId(actor),
      action: "server.create",
      targetType: "server",
      targetId: server.id,
      data: { nodeId: node.id, kind: request.kind, memoryMb: request.memoryMb },
    });
    return { server, created: true };
  });
}
