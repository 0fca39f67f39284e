import type { ServerSpecPayload } from "@berth/protocol";
import { describe, expect, it } from "vitest";
import { DEV_IMAGE } from "../images/dev-image";
import { GENERIC_IMAGE } from "../images/ensure-image";
import {
  imageTag,
  localImageOf,
  sameSpec,
  toServerSpec,
  toTemplatePolicy,
  toWireSnapshot,
} from "./spec";
import { DEFAULT_SUPERVISION } from "./test-spec";

const payload: ServerSpecPayload = {
  serverId: "abc123",
  kind: "game",
  image: "berth/generic:1",
  startup: "java -Xmx1G -jar server.jar",
  env: { EULA: "true" },
  limits: { memoryMb: 1024, cpuPercent: 150, pids: 256 },
  ports: [{ hostPort: 30001, containerPort: 25565, protocol: "tcp" }],
  capabilities: ["NET_BIND_SERVICE"],
  policy: {
    stopCommand: "stop",
    donePattern: null,
    stopTimeoutMs: 30_000,
    termTimeoutMs: 10_000,
    ...DEFAULT_SUPERVISION,
  },
  runtimes: [],
  codeServer: null,
};

describe("toServerSpec", () => {
  it("runs the startup through sh -c in the server's data folder", () => {
    expect(toServerSpec(payload, { dataDir: "/srv/agent", labels: { "berth.test": "1" } })).toEqual(
      {
        serverId: "abc123",
        image: GENERIC_IMAGE,
        command: ["sh", "-c", "java -Xmx1G -jar server.jar"],
        env: { EULA: "true" },
        dataDir: "/srv/agent/servers/abc123/data",
        workdir: "/data",
        limits: { memoryMb: 1024, cpuPercent: 150, pids: 256 },
        ports: [{ hostPort: 30001, containerPort: 25565, protocol: "tcp" }],
        capabilities: ["NET_BIND_SERVICE"],
        labels: { "berth.test": "1" },
      },
    );
  });

  it("mounts a dev server's data folder as the dev user's workspace", () => {
    const spec = toServerSpec({ ...payload, kind: "dev", image: "berth/dev:1" }, { dataDir: "/a" });
    expect(spec.workdir).toBe("/home/dev/workspace");
    expect(spec.image).toBe(DEV_IMAGE);
  });

  it("mounts a dev server's code-server read-only, beside its runtimes and not on its PATH", () => {
    const artifact = {
      name: "code-server",
      version: "4.139.1",
      url: "https://artifacts.example/cs.tar.gz",
      sha256: "b".repeat(64),
      binPath: "bin",
    };
    const spec = toServerSpec(
      { ...payload, kind: "dev", image: "berth/dev:1", codeServer: { artifact, port: 6000 } },
      { dataDir: "/a", driver: "docker" },
    );
    expect(spec.mounts).toEqual([
      { source: "/a/runtimes/code-server/4.139.1", target: "/opt/berth/addons/code-server" },
    ]);
    expect(spec.env.PATH).toBeUndefined();
  });

  it("mounts a dev server's runtimes and puts them first on its PATH", () => {
    const dev = {
      ...payload,
      kind: "dev" as const,
      image: "berth/dev:1",
      runtimes: [
        {
          name: "node",
          version: "20.11.0",
          url: "https://artifacts.example/node.tar.gz",
          sha256: "a".repeat(64),
          binPath: "bin",
        },
      ],
    };
    const docker = toServerSpec(dev, { dataDir: "/a", driver: "docker" });
    expect(docker.mounts).toEqual([
      { source: "/a/runtimes/node/20.11.0", target: "/opt/berth/runtimes/node" },
    ]);
    expect(docker.env.PATH).toMatch(/^\/opt\/berth\/runtimes\/node\/bin:\/usr\/local\/sbin:/);
    // Login shells get it back from BERTH_PATH (the dev image's profile.d hook).
    expect(docker.env.BERTH_PATH).toBe(docker.env.PATH);

    const host = toServerSpec(dev, { dataDir: "/a", driver: "process", runtimeRoot: "/store" });
    expect(host.mounts).toBeUndefined();
    expect(host.env.PATH?.startsWith("/store/node/20.11.0/bin:")).toBe(true);

    const none = toServerSpec(payload, { dataDir: "/a", driver: "process" });
    expect(none.env.PATH).toBeUndefined();
    expect(none.mounts).toBeUndefined();
  });

  it("maps the policy, leaving out what the template does not set", () => {
    expect(toTemplatePolicy(payload)).toEqual({
      stopCommand: "stop",
      stopTimeoutMs: 30_000,
      termTimeoutMs: 10_000,
    });
  });
});

describe("images", () => {
  it("knows the node-built images by name, whatever their tag", () => {
    expect(localImageOf("berth/generic:latest")).toBe("generic");
    expect(localImageOf("berth/dev:1")).toBe("dev");
    expect(localImageOf("itzg/minecraft-server:java21")).toBeNull();
    expect(imageTag("berth/generic:latest")).toBe(GENERIC_IMAGE);
    expect(imageTag("berth/dev:0")).toBe(DEV_IMAGE);
    expect(imageTag("example/game:7")).toBe("example/game:7");
  });
});

describe("sameSpec", () => {
  it("ignores key order and sees any changed value", () => {
    expect(
      sameSpec(payload, { ...payload, limits: { pids: 256, cpuPercent: 150, memoryMb: 1024 } }),
    ).toBe(true);
    expect(
      sameSpec(payload, Object.fromEntries(Object.entries(payload).reverse()) as ServerSpecPayload),
    ).toBe(true);
    expect(sameSpec(payload, { ...payload, startup: "other" })).toBe(false);
    expect(sameSpec(payload, { ...payload, ports: [] })).toBe(false);
  });
});

describe("toWireSnapshot", () => {
  const base = { serverId: "abc123", since: 5, lastTransitionReason: "x" };

  it("carries the restart time of a crashed server, null otherwise", () => {
    expect(toWireSnapshot({ ...base, state: "crashed", restartAt: 30_005 })).toEqual({
      serverId: "abc123",
      state: "crashed",
      since: 5,
      exit: null,
      restartAt: 30_005,
      codeServer: null,
    });
    expect(toWireSnapshot({ ...base, state: "running" }).restartAt).toBeNull();
  });
});
