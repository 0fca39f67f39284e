import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { Logger } from "pino";
import { isArtifactHash, type ArtifactStore } from "@berth/api/services";
import { sendJson } from "./json";

/**
 * GET /api/artifacts/<sha256> — a stored runtime artifact. No sign-in: nodes download it by URL
 * and the content is not secret. The name is the content's hash, so it never changes.
 */
export async function handleArtifactDownload(
  req: IncomingMessage,
  res: ServerResponse,
  sha256: string,
  { log, artifacts }: { log: Logger; artifacts: ArtifactStore },
): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    return sendJson(res, 405, { code: "BAD_REQUEST", message: "Use GET." });
  }
  if (!isArtifactHash(sha256)) {
    return sendJson(res, 400, {
      code: "BAD_REQUEST",
      message: "An artifact is named by its sha256: 64 lowercase hex characters.",
    });
  }
  const artifact = await artifacts.open(sha256);
  if (!artifact) return sendJson(res, 404, { code: "NOT_FOUND", message: "No such artifact." });
  res.writeHead(200, {
    "content-type": "application/octet-stream",
    "content-length": artifact.sizeBytes,
    "cache-control": "public, max-age=31536000, immutable",
    etag: `"${sha256}"`,
  });
  if (req.method === "HEAD") {
    artifact.stream.destroy();
    return void res.end();
  }
  try {
    await pipeline(artifact.stream, res);
  } catch (err) {
    // Usually a node that went away mid-download; the response is already under way.
    log.debug({ err, sha256 }, "artifact download ended early");
  }
}
