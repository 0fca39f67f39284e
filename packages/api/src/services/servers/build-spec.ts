import type { Node, Server, Template } from "@berth/db";
import { CODE_SERVER_PORT, type RuntimeArtifact, type ServerSpecPayload } from "@berth/protocol";
import { templateSupervision } from "../templates/template-supervision";
import type { AllocatedPort } from "./create-server";
import { restartPolicyOf } from "./restart-policy";

const DEFAULT_PIDS_LIMIT = 512;

/** Told about stored settings that were not valid and left out of a spec (the caller logs them). */
export type SpecProblemReporter = (problem: string) => void;

/** Node-built image for dev containers (the agent maps `berth/dev:*` to its current build). */
export const DEV_IMAGE_REF = "berth/dev:1";
/**
 * A dev container's own process only keeps it alive; people work in terminals and the IDE. The
 * trap lets SIGTERM end it at once (a shell that is PID 1 would otherwise ignore the signal).
 */
export const DEV_KEEPALIVE = "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done";

/** The server's limits as the agent enforces them; a disk quota of 0 means none. */
function limitsOf(server: Server): ServerSpecPayload["limits"] {
  return {
    memoryMb: server.memoryMb,
    cpuPercent: server.cpuPercent,
    pids: DEFAULT_PIDS_LIMIT,
    ...(server.diskMb > 0 ? { diskMb: server.diskMb } : {}),
  };
}

/** `{{NAME}}` variables a template's startup command may use. */
export function startupVariables(
  server: Server,
  node: Pick<Node, "drivers">,
): Record<string, string> {
  const ports = server.ports as unknown as AllocatedPort[];
  // In a container the program listens on the container port (Docker maps the host port to it);
  // a local process has no mapping and must listen on the host port itself.
  const inContainer = node.drivers[0] === "docker";
  const listenPort = (p: AllocatedPort) => String(inContainer ? p.containerPort : p.hostPort);
  return {
    SERVER_ID: server.id,
    SERVER_NAME: server.name,
    SERVER_MEMORY: String(server.memoryMb),
    SERVER_PORT: ports[0] ? listenPort(ports[0]) : "",
    ...Object.fromEntries(ports.map((p) => [`PORT_${p.name.toUpperCase()}`, listenPort(p)])),
  };
}

export function renderStartup(startup: string, variables: Record<string, string>): string {
  return startup.replace(
    /\{\{([A-Z0-9_]+)\}\}/g,
    (whole, name: string) => variables[name] ?? whole,
  );
}

/**
 * The spec an agent needs to run a game server, resolved from its template, limits and ports.
 * Invalid stored crash rules or liveness checks are skipped and reported, never thrown.
 */
export function buildGameServerSpec(
  server: Server,
  template: Template,
  node: Pick<Node, "drivers">,
  report: SpecProblemReporter = () => undefined,
): ServerSpecPayload {
  const variables = startupVariables(server, node);
  const { policy: restart, problem } = restartPolicyOf(server);
  if (problem) report(problem);
  const { crashRules, liveness, problems } = templateSupervision(template);
  problems.forEach(report);
  return {
    serverId: server.id,
    kind: "game",
    image: template.image,
    startup: renderStartup(template.startup, variables),
    env: { ...(template.env as Record<string, string>), ...variables },
    limits: limitsOf(server),
    ports: (server.ports as unknown as AllocatedPort[]).map(
      ({ hostPort, containerPort, protocol }) => ({
        hostPort,
        containerPort,
        protocol,
      }),
    ),
    capabilities: template.capabilities,
    policy: {
      stopCommand: template.stopCommand,
      donePattern: template.donePattern,
      stopTimeoutMs: template.stopTimeoutS * 1000,
      termTimeoutMs: template.termTimeoutS * 1000,
      restart,
      crashRules,
      liveness,
    },
    runtimes: [],
    codeServer: null,
  };
}

/**
 * The spec of a dev container: the dev image, the keep-alive process, the server's limits and the
 * runtime chosen for it (the node installs it and puts it on PATH). It has no template, so no
 * crash rules or liveness check; the restart policy is the server's own (the defaults unless
 * someone changed it).
 */
export function buildDevServerSpec(
  server: Server,
  report: SpecProblemReporter = () => undefined,
  runtimes: RuntimeArtifact[] = [],
  codeServer: RuntimeArtifact | null = null,
): ServerSpecPayload {
  const { policy: restart, problem } = restartPolicyOf(server);
  if (problem) report(problem);
  return {
    serverId: server.id,
    kind: "dev",
    image: DEV_IMAGE_REF,
    startup: DEV_KEEPALIVE,
    env: {},
    limits: limitsOf(server),
    ports: [],
    capabilities: [],
    policy: {
      stopCommand: null,
      donePattern: null,
      stopTimeoutMs: 5_000,
      termTimeoutMs: 10_000,
      restart,
      crashRules: [],
      liveness: null,
    },
    runtimes,
    codeServer: codeServer ? { artifact: codeServer, port: CODE_SERVER_PORT } : null,
  };
}
