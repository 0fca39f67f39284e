import { describe, expect, it } from "vitest";
import type { ServerSpec } from "../driver";
import { containerName, containerOptions } from "./container-options";

const defaults = { user: "1000:1000", logMaxSize: "10m", logMaxFiles: 2, network: "berth-servers" };

function spec(overrides: Partial<ServerSpec> = {}): ServerSpec {
  return {
    serverId: "srv1",
    image: "berth/generic:1",
    command: ["sh", "-c", "echo hi"],
    env: { A: "1", B: "two words" },
    dataDir: "/srv/berth/srv1",
    workdir: "/data",
    limits: { memoryMb: 512, cpuPercent: 150, pids: 100 },
    ports: [
      { hostPort: 25565, containerPort: 25565, protocol: "tcp" },
      { hostPort: 25566, containerPort: 25565, protocol: "udp" },
    ],
    capabilities: ["NET_BIND_SERVICE"],
    labels: { "berth.test": "1", "berth.server": "spoofed" },
    ...overrides,
  };
}

describe("containerOptions", () => {
  it("applies limits, hardening, ports, labels and the TTY", () => {
    const options = containerOptions(spec(), defaults);
    expect(options).toMatchObject({
      name: "berth-srv1",
      Image: "berth/generic:1",
      Cmd: ["sh", "-c", "echo hi"],
      Env: ["A=1", "B=two words"],
      WorkingDir: "/data",
      User: "1000:1000",
      Labels: { "berth.test": "1", "berth.server": "srv1" },
      Tty: true,
      OpenStdin: true,
      StdinOnce: false,
      ExposedPorts: { "25565/tcp": {}, "25565/udp": {} },
    });
    expect(options.HostConfig).toMatchObject({
      Binds: ["/srv/berth/srv1:/data"],
      Memory: 512 * 2 ** 20,
      MemorySwap: 512 * 2 ** 20,
      NanoCpus: 1_500_000_000,
      PidsLimit: 100,
      Privileged: false,
      SecurityOpt: ["no-new-privileges"],
      CapDrop: ["ALL"],
      CapAdd: ["NET_BIND_SERVICE"],
      Init: true,
      RestartPolicy: { Name: "no" },
      NetworkMode: "berth-servers",
      PortBindings: {
        "25565/tcp": [{ HostIp: "0.0.0.0", HostPort: "25565" }],
        "25565/udp": [{ HostIp: "0.0.0.0", HostPort: "25566" }],
      },
    });
  });

  it("treats zero limits as unlimited", () => {
    const options = containerOptions(
      spec({ limits: { memoryMb: 0, cpuPercent: 0, pids: 0 } }),
      defaults,
    );
    expect(options.HostConfig).toMatchObject({
      Memory: 0,
      MemorySwap: 0,
      NanoCpus: 0,
      PidsLimit: 0,
    });
  });

  it("refuses relative paths", () => {
    expect(() => containerOptions(spec({ dataDir: "data" }), defaults)).toThrow(/absolute/);
    expect(() => containerOptions(spec({ workdir: "data" }), defaults)).toThrow(/absolute/);
    const mount = { source: "runtimes/node/20", target: "/opt/berth/runtimes/node" };
    expect(() => containerOptions(spec({ mounts: [mount] }), defaults)).toThrow(/absolute/);
  });

  it("mounts extra folders read-only beside the data folder", () => {
    const options = containerOptions(
      spec({
        mounts: [{ source: "/var/lib/berth/runtimes/node/20", target: "/opt/berth/runtimes/node" }],
      }),
      defaults,
    );
    expect(options.HostConfig?.Binds).toEqual([
      "/srv/berth/srv1:/data",
      "/var/lib/berth/runtimes/node/20:/opt/berth/runtimes/node:ro",
    ]);
  });
});

describe("containerName", () => {
  it("accepts ids Docker can name", () => {
    expect(containerName("clx1abc_2.3-x")).toBe("berth-clx1abc_2.3-x");
  });
  it("refuses anything else", () => {
    for (const id of ["", "../x", "a/b", "-x", "a b"]) {
      expect(() => containerName(id)).toThrow(/Invalid server id/);
    }
  });
});
