import { describe, expect, it } from "vitest";
import type { Server, Template } from "@berth/db";
import {
  buildDevServerSpec,
  buildGameServerSpec,
  DEV_IMAGE_REF,
  DEV_KEEPALIVE,
  renderStartup,
} from "./build-spec";

const server = {
  id: "srv1",
  name: "My server",
  memoryMb: 2048,
  cpuPercent: 150,
  ports: [{ name: "game", hostPort: 25570, containerPort: 25565, protocol: "tcp" }],
} as unknown as Server;
const template = {
  image: "eclipse-temurin:21-jre",
  startup: "java -Xmx{{SERVER_MEMORY}}M -jar paper.jar --port {{SERVER_PORT}} {{UNKNOWN}}",
  env: { EULA: "TRUE" },
  capabilities: [],
  stopCommand: "stop",
  donePattern: "Done",
  stopTimeoutS: 30,
  termTimeoutS: 10,
} as unknown as Template;

describe("buildGameServerSpec", () => {
  it("substitutes variables, using the container port inside Docker", () => {
    const spec = buildGameServerSpec(server, template, { drivers: ["docker", "process"] });
    expect(spec.startup).toBe("java -Xmx2048M -jar paper.jar --port 25565 {{UNKNOWN}}");
    expect(spec.env).toMatchObject({ EULA: "TRUE", SERVER_PORT: "25565", PORT_GAME: "25565" });
    expect(spec.policy).toEqual({
      stopCommand: "stop",
      donePattern: "Done",
      stopTimeoutMs: 30_000,
      termTimeoutMs: 10_000,
    });
    expect(spec.limits).toEqual({ memoryMb: 2048, cpuPercent: 150, pids: 512 });
  });

  it("uses the host port for a local process, which has no port mapping", () => {
    expect(buildGameServerSpec(server, template, { drivers: ["process"] }).env.SERVER_PORT).toBe(
      "25570",
    );
  });

  it("leaves unknown variables as written", () => {
    expect(renderStartup("a {{NOPE}} b", {})).toBe("a {{NOPE}} b");
  });
});

describe("buildDevServerSpec", () => {
  it("runs the keep-alive in the dev image with the server's limits and no ports", () => {
    const spec = buildDevServerSpec(server);
    expect(spec).toMatchObject({
      kind: "dev",
      image: DEV_IMAGE_REF,
      startup: DEV_KEEPALIVE,
      ports: [],
      limits: { memoryMb: 2048, cpuPercent: 150, pids: 512 },
      policy: { stopCommand: null, donePattern: null },
    });
  });
});
