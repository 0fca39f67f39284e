import type { IncomingMessage } from "node:http";

/**
 * server.ts overwrites this header with the socket's address before Next sees the request, so a
 * client cannot choose its own rate-limit bucket.
 */
export const CLIENT_IP_HEADER = "x-berth-client-ip";

export function stampClientIp(req: IncomingMessage): void {
  req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "unknown";
}

export function clientIpFrom(headers: Headers | Record<string, unknown> | undefined): string {
  if (!headers) return "unknown";
  const value =
    headers instanceof Headers ? headers.get(CLIENT_IP_HEADER) : headers[CLIENT_IP_HEADER];
  return typeof value === "string" && value ? value : "unknown";
}
