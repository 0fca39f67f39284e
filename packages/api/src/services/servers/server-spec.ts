import type { PrismaClient } from "@berth/db";
import type { ServerSpecPayload } from "@berth/protocol";
import type { Logger } from "pino";
import { buildDevServerSpec, buildGameServerSpec } from "./build-spec";
import { runtimeArtifactOf, type RuntimeArtifactOutcome } from "./runtime-artifact";

/** The catalog addon that provides code-server. */
export const CODE_SERVER_RUNTIME = "code-server";

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
    const codeServer = server.codeServer ? await codeServerArtifact(prisma) : null;
    if (codeServer && !codeServer.ok)
      return { found: true, spec: null, problem: codeServer.problem };
    spec = buildDevServerSpec(
      server,
      report,
      runtime ? [runtime.artifact] : [],
      codeServer ? codeServer.artifact : null,
    );
  } else if (server.template)
    spec = buildGameServerSpec(server, server.template, server.node, report);
  else return { found: true, spec: null, problem: "This server's template no longer exists." };
  return { found: true, spec, nodeId: server.nodeId, desiredState: server.desiredState };
}

/** The catalog's code-server: its default enabled version, else the newest enabled one. */
async function codeServerArtifact(prisma: PrismaClient): Promise<RuntimeArtifactOutcome> {
  const version = await prisma.runtimeVersion.findFirst({
    where: {
      enabled: true,
      runtime: { name: CODE_SERVER_RUNTIME, kind: "addon", enabled: true },
    },
    orderBy: [{ isDefault: "desc" }, { createdAt: "desc" }],
    include: { runtime: true },
  });
  if (!version) {
    return {
      ok: false,
      problem:
        "code-server is enabled for this server, but the runtime catalog has no enabled version of it.",
    };
  }
  return runtimeArtifactOf(version);
}
