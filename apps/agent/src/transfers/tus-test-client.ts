// Test and bench support: raw tus 1.0 requests over node:http, streaming, so a test controls
// exactly when a request is cut and from which offset it resumes.
import { request, type IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";

export interface TusAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const TUS = { "tus-resumable": "1.0.0" };

/** `Upload-Metadata`: comma-separated `key base64(value)`. */
export function uploadMetadata(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString("base64")}`)
    .join(",");
}

function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: Readable | Buffer,
): Promise<TusAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...TUS, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    if (!body) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else {
      body.on("error", (error) => req.destroy(error));
      body.pipe(req);
    }
  });
}

/** POST: creates an upload of `length` bytes; `location` is the Location header as sent. */
export async function createUpload(
  endpoint: string,
  {
    length,
    metadata,
    headers = {},
  }: { length: number; metadata: Record<string, string>; headers?: Record<string, string> },
): Promise<TusAnswer & { location: string | null }> {
  const answer = await send(endpoint, "POST", {
    ...headers,
    "upload-length": String(length),
    ...(Object.keys(metadata).length > 0 ? { "upload-metadata": uploadMetadata(metadata) } : {}),
  });
  const location = answer.headers.location;
  return { ...answer, location: typeof location === "string" ? location : null };
}

/** HEAD: the server's offset of an upload (null when it has none to give). */
export async function uploadOffset(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; offset: number | null }> {
  const answer = await send(url, "HEAD", headers);
  const offset = answer.headers["upload-offset"];
  return { status: answer.status, offset: typeof offset === "string" ? Number(offset) : null };
}

/** PATCH: sends `body` (exactly `length` bytes) from `offset`. */
export function patchUpload(
  url: string,
  {
    offset,
    length,
    body,
    headers = {},
  }: { offset: number; length: number; body: Readable | Buffer; headers?: Record<string, string> },
): Promise<TusAnswer> {
  return send(
    url,
    "PATCH",
    {
      ...headers,
      "upload-offset": String(offset),
      "content-type": "application/offset+octet-stream",
      "content-length": String(length),
    },
    body,
  );
}

export function deleteUpload(
  url: string,
  headers: Record<string, string> = {},
): Promise<TusAnswer> {
  return send(url, "DELETE", headers);
}
