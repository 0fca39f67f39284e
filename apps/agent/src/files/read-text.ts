// files: read — a text file for the editor: at most TEXT_FILE_MAX_BYTES, UTF-8, no NUL bytes.
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { TEXT_FILE_MAX_BYTES, type TextFile } from "@berth/protocol";
import { explained, shown } from "./file-failures";
import type { FileRoot } from "./file-root";
import { FileError, displayPath, resolveInside } from "./server-paths";

export async function readText(where: FileRoot, userPath: string): Promise<TextFile> {
  const file = await resolveInside(where.root, userPath);
  const asked = displayPath(userPath);
  const what = shown(asked);
  // The path is resolved already: a symlink appearing there since is refused, not followed.
  const handle = await explained(asked, "read", () =>
    open(file.absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK),
  );
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new FileError("BAD_REQUEST", `${what} is a folder`);
    if (!info.isFile()) throw new FileError("BAD_REQUEST", `${what} is not a regular file`);
    if (info.size > TEXT_FILE_MAX_BYTES) {
      throw new FileError(
        "BAD_REQUEST",
        `${what} is too large to edit (${formatBytes(info.size)}; the editor opens up to ${formatBytes(TEXT_FILE_MAX_BYTES)}). Download it instead`,
      );
    }
    const buffer = Buffer.alloc(TEXT_FILE_MAX_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > TEXT_FILE_MAX_BYTES) {
        throw new FileError("BAD_REQUEST", `${what} grew too large to edit while being read`);
      }
    }
    const bytes = buffer.subarray(0, length);
    const content = decodeText(bytes);
    if (content === null) {
      throw new FileError(
        "BAD_REQUEST",
        `${what} looks like a binary file, not text. Download it instead`,
      );
    }
    return { path: asked, content, size: length, mtimeMs: info.mtimeMs };
  } finally {
    await handle.close();
  }
}

/** Control bytes a text file may hold: tab, line feed, form feed, carriage return, escape. */
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x1b]);

/**
 * The text, or null when the bytes do not look like text: a NUL byte, not valid UTF-8, or more
 * than 1 % other control bytes (which would also swell sixfold on the wire as JSON escapes).
 */
export function decodeText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  let controls = 0;
  for (const byte of bytes)
    if ((byte < 0x20 || byte === 0x7f) && !TEXT_CONTROLS.has(byte)) controls++;
  if (controls > bytes.length / 100) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
