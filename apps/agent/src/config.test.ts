import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, configPath, loadAgentConfig } from "./config";

const credential = "c".repeat(43);

function configFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "berth-agent-config-"));
  const path = join(dir, "agent.json");
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

describe("loadAgentConfig", () => {
  const base = {
    portalUrl: "http://portal.test:3000",
    nodeId: "n1",
    nodeName: "alpha",
    credential,
  };

  it("fills defaults under the file's values", () => {
    const config = loadAgentConfig({ env: {}, path: configFile(base) });
    expect(config).toMatchObject({ ...base, heartbeatMs: 5000, logLevel: "info" });
    expect(config.reconnect).toEqual({ minDelayMs: 100, maxDelayMs: 10_000 });
  });

  it("lets the environment override the file", () => {
    const config = loadAgentConfig({
      env: {
        BERTH_PORTAL_URL: "http://other:4000",
        BERTH_AGENT_HEARTBEAT_MS: "750",
        BERTH_AGENT_DATA_DIR: "/srv/agent",
      },
      path: configFile({ ...base, heartbeatMs: 2000, dataDir: "/from/file" }),
    });
    expect(config.portalUrl).toBe("http://other:4000");
    expect(config.heartbeatMs).toBe(750);
    expect(config.dataDir).toBe("/srv/agent");
  });

  it("picks the driver automatically unless told, and reads container labels from the env", () => {
    expect(loadAgentConfig({ env: {}, path: configFile(base) })).toMatchObject({
      driver: "auto",
      containerLabels: {},
    });
    const config = loadAgentConfig({
      env: {
        BERTH_AGENT_DRIVER: "process",
        BERTH_AGENT_CONTAINER_LABELS: "berth.test=1, berth.test.run=abc",
        BERTH_CACHE_DIR: "/var/cache/berth",
      },
      path: configFile(base),
    });
    expect(config.driver).toBe("process");
    expect(config.containerLabels).toEqual({ "berth.test": "1", "berth.test.run": "abc" });
    expect(config.cacheDir).toBe("/var/cache/berth");
  });

  it("refuses an unknown driver and malformed labels", () => {
    const path = configFile(base);
    expect(() =>
      loadAgentConfig({
        env: { BERTH_AGENT_DRIVER: "podman", BERTH_AGENT_CONTAINER_LABELS: "novalue" },
        path,
      }),
    ).toThrow(/driver[\s\S]*containerLabels/);
  });

  it("listens on a free loopback port unless told, and reads the listener's URL from the env", () => {
    const defaults = loadAgentConfig({ env: {}, path: configFile(base) });
    expect(defaults.httpListen).toEqual({ host: "127.0.0.1", port: 0 });
    expect(defaults.httpUrl).toBeUndefined();
    const config = loadAgentConfig({
      env: {
        BERTH_AGENT_HTTP_LISTEN: "[::]:7443",
        BERTH_AGENT_HTTP_URL: "http://node-a.internal:7443",
      },
      path: configFile({ ...base, httpListen: "0.0.0.0:7000" }),
    });
    expect(config.httpListen).toEqual({ host: "::", port: 7443 });
    expect(config.httpUrl).toBe("http://node-a.internal:7443");
  });

  it("refuses a listen address without a port and a listener URL that is not one", () => {
    const path = configFile(base);
    expect(() =>
      loadAgentConfig({
        env: { BERTH_AGENT_HTTP_LISTEN: "0.0.0.0", BERTH_AGENT_HTTP_URL: "node-a" },
        path,
      }),
    ).toThrow(/httpListen: expected "host:port"[\s\S]*httpUrl/);
  });

  it("reports every problem at once", () => {
    const path = configFile({ portalUrl: "not a url", nodeId: "", credential: "short" });
    let message = "";
    try {
      loadAgentConfig({ env: {}, path });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain("portalUrl");
    expect(message).toContain("nodeId");
    expect(message).toContain("credential");
  });

  it("says how to enroll when there is no config file", () => {
    expect(() => loadAgentConfig({ env: {}, path: "/nonexistent/agent.json" })).toThrow(
      /berth-agent enroll/,
    );
  });

  it("resolves the config path from flag, env, then data dir", () => {
    expect(configPath({}, "/x.json")).toBe("/x.json");
    expect(configPath({ BERTH_AGENT_CONFIG: "/y.json" })).toBe("/y.json");
    expect(configPath({ BERTH_AGENT_DATA_DIR: "/d" })).toBe("/d/agent.json");
  });
});
