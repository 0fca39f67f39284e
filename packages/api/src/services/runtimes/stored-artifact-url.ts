import { isArtifactHash } from "../../lib/artifact-store";
import { AppError } from "../../lib/app-error";

/** Where the portal serves its stored artifacts: `GET <public URL>/api/artifacts/<sha256>`. */
export const ARTIFACTS_PATH = "/api/artifacts";

/** The absolute, content-addressed URL of a stored artifact. */
export const storedArtifactUrl = (publicUrl: string, sha256: string): string =>
  `${publicUrl.replace(/\/+$/, "")}${ARTIFACTS_PATH}/${sha256}`;

/**
 * The hash a URL names when it points at an artifact stored by this portal (the public URL's
 * origin and path, then `/api/artifacts/<sha256>`), or null for any other URL.
 */
export function storedArtifactHash(url: string, publicUrl: string): string | null {
  let parsed: URL;
  let portal: URL;
  try {
    parsed = new URL(url);
    portal = new URL(publicUrl);
  } catch {
    return null;
  }
  if (parsed.origin !== portal.origin || parsed.search) return null;
  const prefix = `${portal.pathname.replace(/\/+$/, "")}${ARTIFACTS_PATH}/`;
  if (!parsed.pathname.startsWith(prefix)) return null;
  const hash = parsed.pathname.slice(prefix.length);
  return isArtifactHash(hash) ? hash : null;
}

/** A version pointing at a stored artifact must carry that artifact's hash: refused otherwise. */
export function checkStoredArtifactHash({
  artifactUrl,
  sha256,
  publicUrl,
}: {
  artifactUrl: string;
  sha256: string;
  publicUrl: string;
}): void {
  const stored = storedArtifactHash(artifactUrl, publicUrl);
  if (stored && stored !== sha256) {
    throw new AppError(
      "BAD_REQUEST",
      `sha256: The sha256 does not match the uploaded artifact (${stored}).`,
    );
  }
}
