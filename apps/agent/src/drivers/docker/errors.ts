import { DriverError } from "../driver";

/** The HTTP status of an Engine API error from dockerode, if it is one. */
export function dockerStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** The engine's own message (`{"message": …}`), or the error's. */
export function dockerMessage(error: unknown): string {
  const json = (error as { json?: unknown } | null)?.json;
  if (json && typeof json === "object" && "message" in json) {
    return String((json as { message: unknown }).message).trim();
  }
  if (Buffer.isBuffer(json)) return json.toString().trim();
  return error instanceof Error ? error.message : String(error);
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOENT", "EACCES", "ECONNRESET", "EPIPE"]);

/**
 * One DriverError for anything dockerode throws. `action` says what was attempted
 * ("start server abc"); 404 means the server's container is gone unless `notFound` says otherwise.
 */
export function toDriverError(
  error: unknown,
  action: string,
  { notFound }: { notFound?: string } = {},
): DriverError {
  if (error instanceof DriverError) return error;
  const status = dockerStatus(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (status === undefined && typeof code === "string" && UNREACHABLE.has(code)) {
    return new DriverError(
      "UNAVAILABLE",
      `Cannot ${action}: the Docker engine is not reachable (${code})`,
      {
        cause: error,
      },
    );
  }
  const message = dockerMessage(error);
  const taken = /Bind for [^\s]*:(\d+) failed: port is already allocated/.exec(message);
  if (taken) {
    return new DriverError("CONFLICT", `Port ${taken[1]} is already in use on this node.`, {
      cause: error,
    });
  }
  if (status === 404) {
    return new DriverError("NOT_FOUND", notFound ?? `Cannot ${action}: ${message}`, {
      cause: error,
    });
  }
  if (status === 409) {
    return new DriverError("CONFLICT", `Cannot ${action}: ${message}`, { cause: error });
  }
  return new DriverError("FAILED", `Cannot ${action}: ${message}`, { cause: error });
}
