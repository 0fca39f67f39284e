import { describe, expect, it } from "vitest";
import type { Server, Template } from "@berth/db";
import { DEFAULT_RESTART_POLICY } from "@berth/protocol";
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
  diskMb: 4096,
  ports: [{ name: "game", hostPort: 25570, containerPort: 25565, protocol: "tcp" }],
  autoRestart: true,
  restartDelaysS: [30, 60, 120],
  restartResetS: 30,
  crashLoopAfter: 3,
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
  crashRules: [],
  liveness: null,
} as unknown as Template;

const forgeRule = {
  id: "forge-missing-mod",
  class: "missing_dependency",
  pattern: String.raw`Missing or unsupported mandatory dependencies.*mod (?<name>[\w-]+)`,
  suggestion: "Install {name}.",
};

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
      restart: DEFAULT_RESTART_POLICY,
      crashRules: [],
      liveness: null,
    });
    expect(spec.limits).toEqual({ memoryMb: 2048, cpuPercent: 150, pids: 512, diskMb: 4096 });
  });

  it("gives the agent no disk quota for a server whose quota is 0", () => {
    const spec = buildGameServerSpec({ ...server, diskMb: 0 }, template, { drivers: ["docker"] });
    expect(spec.limits).toEqual({ memoryMb: 2048, cpuPercent: 150, pids: 512 });
  });

  it("uses the host port for a local process, which has no port mapping", () => {
    expect(buildGameServerSpec(server, template, { drivers: ["process"] }).env.SERVER_PORT).toBe(
      "25570",
    );
  });

  it("takes the restart policy from the server's columns, seconds as milliseconds", () => {
    const custom = {
      ...server,
      autoRestart: false,
      restartDelaysS: [1, 2],
      restartResetS: 5,
      crashLoopAfter: 4,
    } as Server;
    expect(buildGameServerSpec(custom, template, { drivers: ["docker"] }).policy.restart).toEqual({
      enabled: false,
      delaysMs: [1000, 2000],
      resetAfterMs: 5000,
      maxConsecutiveCrashes: 4,
    });
  });

  it("falls back to the default policy, reported, when the stored columns are not valid", () => {
    const problems: string[] = [];
    const broken = { ...server, restartDelaysS: [] } as unknown as Server;
    const spec = buildGameServerSpec(broken, template, { drivers: ["docker"] }, (p) =>
      problems.push(p),
    );
    expect(spec.policy.restart).toEqual(DEFAULT_RESTART_POLICY);
    expect(problems).toEqual([expect.stringContaining("restart policy: delaysMs")]);
  });

  it("passes the template's valid crash rules and liveness check, skipping invalid rules", () => {
    const problems: string[] = [];
    const withRules = {
      ...template,
      crashRules: [
        forgeRule,
        { ...forgeRule, id: "bad-regex", pattern: "(unclosed" },
        { id: "no-class", pattern: "x", suggestion: "y" },
        "not even an object",
      ],
      liveness: {
        kind: "tcp",
        port: 25565,
        initialDelayMs: 60_000,
        intervalMs: 30_000,
        timeoutMs: 5_000,
        failures: 3,
      },
    } as unknown as Template;
    const spec = buildGameServerSpec(server, withRules, { drivers: ["docker"] }, (p) =>
      problems.push(p),
    );
    expect(spec.policy.crashRules).toEqual([forgeRule]);
    expect(spec.policy.liveness).toMatchObject({ kind: "tcp", port: 25565 });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^crashRules\.1: pattern not a valid regular expression/);
  });

  it("drops an invalid liveness check instead of failing the spec", () => {
    const problems: string[] = [];
    const badCheck = { ...template, liveness: { kind: "ping" } } as unknown as Template;
    const spec = buildGameServerSpec(server, badCheck, { drivers: ["docker"] }, (p) =>
      problems.push(p),
    );
    expect(spec.policy.liveness).toBeNull();
    expect(problems).toEqual([expect.stringMatching(/^liveness: /)]);
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
      limits: { memoryMb: 2048, cpuPercent: 150, pids: 512, diskMb: 4096 },
      policy: {
        stopCommand: null,
        donePattern: null,
        restart: DEFAULT_RESTART_POLICY,
        crashRules: [],
        liveness: null,
      },
    });
  });

  it("carries the chosen runtime; game servers and dev servers without one carry none", () => {
    const node = {
      name: "node",
      version: "20.11.0",
      url: "https://artifacts.example/node-20.11.0.tar.gz",
      sha256: "a".repeat(64),
      sizeBytes: 42,
      binPath: "bin",
    };
    expect(buildDevServerSpec(server, undefined, [node]).runtimes).toEqual([node]);
    expect(buildDevServerSpec(server).runtimes).toEqual([]);
    expect(buildGameServerSpec(server, template, { drivers: ["docker"] }).runtimes).toEqual([]);
  });
});
