import { describe, expect, it } from "vitest";
import { runtimeArtifactOf } from "./runtime-artifact";

const version = {
  version: "20.11.0",
  artifactUrl: "https://artifacts.example/node.tar.gz",
  sha256: "AB".repeat(32),
  sizeBytes: BigInt(40 * 1024 ** 2),
  binPath: "node-v20/bin",
  runtime: { name: "node" },
};

describe("runtimeArtifactOf", () => {
  it("maps a catalog version to the wire's artifact", () => {
    expect(runtimeArtifactOf(version)).toEqual({
      ok: true,
      artifact: {
        name: "node",
        version: "20.11.0",
        url: "https://artifacts.example/node.tar.gz",
        sha256: "ab".repeat(32),
        sizeBytes: 40 * 1024 ** 2,
        binPath: "node-v20/bin",
      },
    });
  });

  it("leaves out a size that is not a positive safe integer", () => {
    const outcome = runtimeArtifactOf({ ...version, sizeBytes: BigInt(0) });
    expect(outcome.ok && outcome.artifact.sizeBytes).toBeUndefined();
  });

  it("names the runtime and the problem when a stored value breaks the wire's rules", () => {
    expect(runtimeArtifactOf({ ...version, binPath: "../escape" })).toEqual({
      ok: false,
      problem: expect.stringMatching(/^The runtime node 20\.11\.0 cannot be installed: binPath/),
    });
  });
});
