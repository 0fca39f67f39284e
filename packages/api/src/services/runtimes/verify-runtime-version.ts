import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import { measureStream, type ArtifactStore } from "../../lib/artifact-store";
import { TooLargeError, type Sha256Digest } from "../../lib/sha256-meter";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import { storedArtifactHash } from "./stored-artifact-url";

export interface VerifiedArtifact {
  ok: true;
  sha256: string;
  sizeBytes: number;
  /** How long the download and hashing took. */
  ms: number;
}

/** A verification that failed, with the reason an admin reads. */
class VerifyProblem extends Error {}

/**
 * Admins: downloads a version's artifact as a node would (streamed, hashed and counted on the
 * way, never more than the catalog's size plus one chunk, within `timeoutMs`) and compares it
 * with the catalog. An artifact stored by this portal is read from its file. Every verification
 * is audited with its outcome; a failed one throws its reason.
 */
export async function verifyRuntimeVersion({
  prisma,
  actor,
  artifacts,
  publicUrl,
  versionId,
  timeoutMs = 5 * 60_000,
}: {
  prisma: PrismaClient;
  actor: Actor;
  artifacts: ArtifactStore;
  publicUrl: string;
  versionId: string;
  timeoutMs?: number;
}): Promise<VerifiedArtifact> {
  const version = await prisma.runtimeVersion.findUnique({
    where: { id: versionId },
    include: { runtime: { select: { name: true } } },
  });
  if (!version) throw new AppError("NOT_FOUND", "No such runtime version.");
  const url = version.artifactUrl;
  const expected = { sha256: version.sha256, sizeBytes: Number(version.sizeBytes) };

  const started = performance.now();
  let outcome:
    { ok: true; digest: Sha256Digest } | { ok: false; digest?: Sha256Digest; error: string };
  try {
    const digest = await measureArtifact({ url, artifacts, publicUrl, expected, timeoutMs });
    const error =
      digest.sizeBytes !== expected.sizeBytes
        ? `size mismatch: the artifact at ${url} is ${digest.sizeBytes} bytes, the catalog says ${expected.sizeBytes}`
        : digest.sha256 !== expected.sha256
          ? `sha256 mismatch: the artifact at ${url} hashes to ${digest.sha256}, the catalog says ${expected.sha256}`
          : null;
    outcome = error === null ? { ok: true, digest } : { ok: false, digest, error };
  } catch (err) {
    if (!(err instanceof VerifyProblem)) throw err;
    outcome = { ok: false, error: err.message };
  }
  const ms = Math.round(performance.now() - started);

  await recordAudit(prisma, {
    actorId: actorUserId(actor),
    action: "runtime.version.verify",
    targetType: "runtimeVersion",
    targetId: version.id,
    data: {
      runtime: version.runtime.name,
      version: version.version,
      url,
      ok: outcome.ok,
      ms,
      ...outcome.digest,
      ...(outcome.ok ? {} : { error: outcome.error }),
    },
  });
  if (!outcome.ok) throw new AppError("BAD_REQUEST", outcome.error);
  return { ok: true, ...outcome.digest, ms };
}

async function measureArtifact({
  url,
  artifacts,
  publicUrl,
  expected,
  timeoutMs,
}: {
  url: string;
  artifacts: ArtifactStore;
  publicUrl: string;
  expected: Sha256Digest;
  timeoutMs: number;
}): Promise<Sha256Digest> {
  const tooLarge = `size mismatch: the artifact at ${url} is larger than the catalog's ${expected.sizeBytes} bytes`;
  const stored = storedArtifactHash(url, publicUrl);
  const file = stored ? await artifacts.open(stored) : null;
  if (file) {
    try {
      return await measureStream(file.stream, expected.sizeBytes);
    } catch (err) {
      if (err instanceof TooLargeError) throw new VerifyProblem(tooLarge);
      throw err;
    }
  }

  const signal = AbortSignal.timeout(timeoutMs);
  const timedOut = `download failed: no complete answer from ${url} within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`;
  try {
    const response = await fetch(url, { signal, redirect: "follow" });
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw new VerifyProblem(`download failed: HTTP ${response.status} from ${url}`);
    }
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>, { signal });
    return await measureStream(body, expected.sizeBytes);
  } catch (err) {
    if (err instanceof VerifyProblem) throw err;
    if (err instanceof TooLargeError) throw new VerifyProblem(tooLarge);
    if (signal.aborted) throw new VerifyProblem(timedOut);
    throw new VerifyProblem(`download failed: ${networkReason(err)} (${url})`);
  }
}

/** The most specific reason a fetch gives: undici wraps the socket's error in `cause`. */
function networkReason(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof Error && cause.message) return cause.message;
  if (cause && typeof cause === "object" && "code" in cause) return String(cause.code);
  return err instanceof Error ? err.message : String(err);
}
