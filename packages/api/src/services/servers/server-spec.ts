import type { PrismaClient } from "@berth/db";
import type { ServerSpecPayload } from "@berth/protocol";
import type { Logger } from "pino";
import { buildDevServerSpec, buildGameServerSpec } from "./build-spec";
import { runtimeArtifactOf } from "./runtime-artifact";

export type LoadedSpec =
  | { found: false }
  | { found: true; spec: ServerSpecPayload; nodeId: string; desiredState: string }
  | { found: true; spec: null; problem: string };

/**
 * A server's spec as it would be sent now, built from the database. Stored settings that are not
 * valid are logged and left out (see build-spec), so only a missing template, or a dev server's
 * runtime version that a node could not install, stops it.
 */
export async function loadServerSpec({
  prisma,
  log,
  serverId,
}: {
  prisma: PrismaClient;
  log: Logger;
  serverId: string;
}): Promise<LoadedSpec> {
  const server = await prisma.server.findUnique({
    where: { id: serverId },
    include: { template: true, node: true, runtimeVersion: { include: { runtime: true } } },
  });
  if (!server) return { found: false };
  const report = (problem: string) =>
    log.warn({ serverId, templateId: server.templateId, problem }, "spec setting skipped");
  let spec: ServerSpecPayload;
  if (server.kind === "dev") {
    const runtime = server.runtimeVersion ? runtimeArtifactOf(server.runtimeVersion) : null;
    if (runtime && !runtime.ok) return { found: true, spec: null, problem: runtime.problem };
    spec = buildDevServerSpec(server, report, runtime ? [runtime.artifact] : []);
  } else if (server.template)
    spec = buildGameServerSpec(server, server.template, server.node, report);
  else return { found: true, spec: null, problem: "This server's template no longer exists." };
  return { found: true, spec, nodeId: server.nodeId, desiredState: server.desiredState };
}
