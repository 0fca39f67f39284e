// Refusals as the listener sends them: a status and a `{ code, message }` JSON body.
import { STATUS_CODES, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { WireError } from "@berth/protocol";

export type Refusal = { status: number } & WireError;

export function sendRefusal(res: ServerResponse, { status, code, message }: Refusal): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ code, message });
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  res.end(body);
}

/** A refused upgrade gets a plain HTTP answer on its socket, which is then closed. */
export function writeRefusal(socket: Duplex, { status, code, message }: Refusal): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ code, message });
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      "Content-Type: application/json; charset=utf-8",
      `Content-Length: ${Buffer.byteLength(body)}`,
      "Connection: close",
      "",
      body,
    ].join("\r\n"),
  );
  socket.once("finish", () => socket.destroy());
}
