import type { ServerSpecPayload } from "@berth/protocol";

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
    },
  };
}
