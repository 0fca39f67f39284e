import type { Runtime, RuntimeVersion } from "@berth/db";
import { RuntimeArtifact } from "@berth/protocol";

export type RuntimeArtifactOutcome =
  { ok: true; artifact: RuntimeArtifact } | { ok: false; problem: string };

/** What a node needs to install a catalog version, checked against the wire's rules. */
export function runtimeArtifactOf(
  version: Pick<RuntimeVersion, "version" | "artifactUrl" | "sha256" | "sizeBytes" | "binPath"> & {
    runtime: Pick<Runtime, "name">;
  },
): RuntimeArtifactOutcome {
  const size = Number(version.sizeBytes);
  const parsed = RuntimeArtifact.safeParse({
    name: version.runtime.name,
    version: version.version,
    url: version.artifactUrl,
    sha256: version.sha256,
    ...(Number.isSafeInteger(size) && size > 0 ? { sizeBytes: size } : {}),
    binPath: version.binPath,
  });
  if (parsed.success) return { ok: true, artifact: parsed.data };
  const problems = parsed.error.issues.map((issue) => issue.message).join("; ");
  return {
    ok: false,
    problem: `The runtime ${version.runtime.name} ${version.version} cannot be installed: ${problems}`,
  };
}
