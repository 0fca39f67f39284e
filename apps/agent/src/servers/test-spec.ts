import { DEFAULT_RESTART_POLICY, type ServerSpecPayload } from "@berth/protocol";

type Supervision = Pick<ServerSpecPayload["policy"], "restart" | "crashRules" | "liveness">;

/** Test support: the crash-supervision part of a policy as the portal sends it by default. */
export const DEFAULT_SUPERVISION: Supervision = {
  restart: DEFAULT_RESTART_POLICY,
  crashRules: [],
  liveness: null,
};

/** Test support: a console program that says it is ready, then echoes every line it reads. */
export function echoServerSpec(serverId: string, image = "berth/generic:1"): ServerSpecPayload {
  return {
    serverId,
    kind: "game",
    image,
    startup: `echo "Server ready"; while read l; do echo "> $l"; done`,
    env: {},
    limits: { memoryMb: 128, cpuPercent: 100, pids: 64 },
    ports: [],
    capabilities: [],
    policy: {
      stopCommand: null,
      donePattern: "Server ready",
      stopTimeoutMs: 5000,
      termTimeoutMs: 5000,
      ...DEFAULT_SUPERVISION,
    },
    runtimes: [],
    codeServer: null,
  };
}

/** Test support: a dev server whose own process only keeps it alive (as the portal's spec does). */
export function devServerSpec(serverId: string): ServerSpecPayload {
  return {
    serverId,
    kind: "dev",
    image: "berth/dev:1",
    startup: "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done",
    env: {},
    limits: { memoryMb: 512, cpuPercent: 100, pids: 256 },
    ports: [],
    capabilities: [],
    policy: {
      stopCommand: null,
      donePattern: null,
      stopTimeoutMs: 5000,
      termTimeoutMs: 5000,
      ...DEFAULT_SUPERVISION,
    },
    runtimes: [],
    codeServer: null,
  };
}
