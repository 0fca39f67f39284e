import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { PrismaClient } from "@berth/db";
import { enrollNode, isAppError } from "@berth/api/services";
import { EnrollRequest, type EnrollResponse, type ErrorCode } from "@berth/protocol";
import { BodyTooLargeError, readJsonBody, sendJson } from "./json";

const statusFor: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

/** POST /api/agent/enroll — the one HTTP call an agent makes before it has a credential. */
export async function handleEnroll(
  req: IncomingMessage,
  res: ServerResponse,
  { prisma, log }: { prisma: PrismaClient; log: Logger },
): Promise<void> {
  if (req.method !== "POST") {
    return sendJson(res, 405, { code: "BAD_REQUEST", message: "Use POST." });
  }
  let body: unknown;
  try {
    body = await readJsonBody(req, 4096);
  } catch (err) {
    const message = err instanceof BodyTooLargeError ? "Request too large." : "Body must be JSON.";
    return sendJson(res, 400, { code: "BAD_REQUEST", message });
  }
  const parsed = EnrollRequest.safeParse(body);
  if (!parsed.success) {
    return sendJson(res, 400, {
      code: "BAD_REQUEST",
      message: "A valid enrollment token is required.",
    });
  }
  try {
    const enrolled = await enrollNode({ prisma, token: parsed.data.token });
    log.info({ nodeId: enrolled.nodeId }, "node enrolled");
    const response: EnrollResponse = enrolled;
    sendJson(res, 200, response);
  } catch (err) {
    if (isAppError(err)) {
      log.warn({ reason: err.message }, "enrollment refused");
      return sendJson(res, statusFor[err.code] ?? 400, { code: err.code, message: err.message });
    }
    log.error({ err }, "enrollment failed");
    sendJson(res, 500, { code: "INTERNAL", message: "Enrollment failed on the portal." });
  }
}
