import type { IncomingMessage, ServerResponse } from "node:http";
import { PassThrough } from "node:stream";
import type { Logger } from "pino";
import type { PrismaClient } from "@berth/db";
import { storedArtifactUrl, TooLargeError, type ArtifactStore } from "@berth/api/services";
import { formatBytes } from "../../lib/runtimes/field-errors";
import { sendJson } from "./json";
import { requestUser } from "./request-user";

export interface ArtifactUploaded {
  sha256: string;
  sizeBytes: number;
  /** The absolute, content-addressed URL nodes download it from. */
  url: string;
}

/**
 * POST /api/artifacts — an admin uploads a runtime artifact as the raw request body. It is streamed
 * to disk (never held in memory), hashed on the way and stored under its sha256.
 */
export async function handleArtifactUpload(
  req: IncomingMessage,
  res: ServerResponse,
  {
    prisma,
    log,
    artifacts,
    publicUrl,
    authSecret,
    secureCookies,
  }: {
    prisma: PrismaClient;
    log: Logger;
    artifacts: ArtifactStore;
    publicUrl: string;
    authSecret: string;
    secureCookies: boolean;
  },
): Promise<void> {
  if (req.method !== "POST") {
    return sendJson(res, 405, { code: "BAD_REQUEST", message: "Use POST." });
  }
  const user = await requestUser(req, { prisma, authSecret, secureCookies });
  if (!user) return refuse(res, 401, { code: "UNAUTHORIZED", message: "Please sign in." });
  if (user.role !== "admin") {
    return refuse(res, 403, { code: "FORBIDDEN", message: "Only administrators can do this." });
  }
  const tooLarge = {
    code: "BAD_REQUEST",
    message: `The artifact is larger than the upload limit of ${formatBytes(artifacts.maxBytes)}.`,
  };
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > artifacts.maxBytes) return refuse(res, 413, tooLarge);

  // The request stays readable after a failure, so the answer can still be sent.
  const body = new PassThrough();
  req.pipe(body);
  req.once("close", () => {
    if (!req.complete) body.destroy(new Error("The client went away mid-upload."));
  });
  try {
    const { sha256, sizeBytes } = await artifacts.save(body);
    const answer: ArtifactUploaded = {
      sha256,
      sizeBytes,
      url: storedArtifactUrl(publicUrl, sha256),
    };
    log.info({ userId: user.id, sha256, sizeBytes }, "artifact uploaded");
    sendJson(res, 200, answer);
  } catch (err) {
    req.unpipe(body);
    req.resume();
    if (err instanceof TooLargeError) return sendJson(res, 413, tooLarge);
    if (!req.complete) {
      log.warn({ userId: user.id }, "artifact upload aborted by the client");
      return;
    }
    log.error({ err, userId: user.id }, "artifact upload failed");
    sendJson(res, 500, { code: "INTERNAL", message: "The upload could not be stored." });
  }
}

/** Answers without reading the body; the connection closes instead of receiving it in vain. */
function refuse(res: ServerResponse, status: number, body: { code: string; message: string }) {
  res.setHeader("connection", "close");
  sendJson(res, status, body);
}
