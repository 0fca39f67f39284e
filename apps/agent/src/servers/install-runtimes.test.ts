import type { RuntimeArtifact } from "@berth/protocol";
import { describe, expect, it } from "vitest";
import type { Clock } from "../instance/clock";
import type { InstallRequest } from "../runtimes/runtime-store";
import { RuntimeError } from "../runtimes/runtime-errors";
import { installMessage, installRuntimes, type RuntimeInstaller } from "./install-runtimes";

const MB = 1024 ** 2;

function artifact(name: string, version: string): RuntimeArtifact {
  return {
    name,
    version,
    url: `https://artifacts.example/${name}.tar.gz`,
    sha256: "a".repeat(64),
    sizeBytes: 40 * MB,
    binPath: "bin",
  };
}

/** A clock moved by hand, and an installer that reports the given byte counts one tick apart. */
function fakes(steps: number[], failWith?: Error) {
  let now = 0;
  const clock: Clock = { now: () => now, setTimeout: () => ({}), clearTimeout: () => {} };
  const requests: InstallRequest[] = [];
  const installer: Pick<RuntimeInstaller, "install"> = {
    install: (request) => {
      requests.push(request);
      for (const bytes of steps) {
        request.onProgress?.(bytes, request.size);
        now += 200;
      }
      if (failWith) return Promise.reject(failWith);
      return Promise.resolve({
        name: request.name,
        version: request.version,
        sha256: request.sha256,
        url: request.url,
        installedAt: "2026-01-01T00:00:00.000Z",
        path: `/store/${request.name}/${request.version}`,
      });
    },
  };
  return { clock, installer, requests };
}

describe("installRuntimes", () => {
  it("installs each runtime and reports throttled progress within its share", async () => {
    const { clock, installer, requests } = fakes([0, 4 * MB, 8 * MB, 12 * MB, 40 * MB]);
    const reports: [number, string][] = [];
    await installRuntimes({
      installer,
      runtimes: [artifact("node", "20.11.0"), artifact("go", "1.22.1")],
      clock,
      report: (percent, message) => reports.push([percent, message]),
      from: 20,
      to: 40,
      intervalMs: 500,
    });
    expect(requests.map((r) => [r.name, r.version, r.size])).toEqual([
      ["node", "20.11.0", 40 * MB],
      ["go", "1.22.1", 40 * MB],
    ]);
    // Ticks at 0, 200, 400, 600, 800 ms: only 0 and 600 pass the 500 ms throttle.
    expect(reports).toEqual([
      [20, "Installing node 20.11.0"],
      [20, "Installing node 20.11.0 (0 MB of 40 MB)"],
      [23, "Installing node 20.11.0 (12 MB of 40 MB)"],
      [30, "Installing go 1.22.1"],
      [30, "Installing go 1.22.1 (0 MB of 40 MB)"],
      [33, "Installing go 1.22.1 (12 MB of 40 MB)"],
    ]);
  });

  it("fails with the runtime's name and the store's reason", async () => {
    const mismatch = new RuntimeError("hash_mismatch", "sha256 mismatch: expected aaa, got bbb");
    const { clock, installer } = fakes([], mismatch);
    await expect(
      installRuntimes({
        installer,
        runtimes: [artifact("node", "20.11.0")],
        clock,
        report: () => {},
        from: 20,
        to: 40,
      }),
    ).rejects.toThrow("Installing node 20.11.0 failed: sha256 mismatch: expected aaa, got bbb");
  });

  it("says how much arrived when the size is unknown", () => {
    expect(installMessage("node 20", 1.5 * MB, undefined)).toBe("Installing node 20 (1.5 MB)");
    expect(installMessage("node 20", 12 * MB, 40 * MB)).toBe("Installing node 20 (12 MB of 40 MB)");
  });
});
