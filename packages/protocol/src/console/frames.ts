// Console output on the wire. Sequence numbers are character offsets (UTF-16 code units) into
// everything one console has printed during one run of its hub (`runId`): a frame covers
// `[fromSeq, toSeq)`. A viewer that has everything up to N resumes from N and gets exactly the
// characters from N on, wherever frame boundaries fell.
import { z } from "zod";

export interface OutputFrame {
  /** Offset of the frame's first character. */
  fromSeq: number;
  /** Offset just past its last character. */
  toSeq: number;
  data: string;
}

/** Shown where a viewer lost output (evicted from scrollback, or dropped while it was slow). */
export const GAP_NOTICE = "\r\n[berth] earlier output dropped\r\n";

const Seq = z.number().int().nonnegative();

export const ConsoleFrame = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("output"), fromSeq: Seq, toSeq: Seq, data: z.string() }),
  /** Output in `[fromSeq, toSeq)` is lost for this viewer; `data` is a line to show instead. */
  z.object({ kind: z.literal("gap"), fromSeq: Seq, toSeq: Seq, data: z.string() }),
]);
export type ConsoleFrame = z.infer<typeof ConsoleFrame>;

/** UTF-8 length without encoding (Buffer's native count where there is one). */
export function utf8Bytes(text: string): number {
  const buffer = (globalThis as { Buffer?: { byteLength(s: string, e: "utf8"): number } }).Buffer;
  if (buffer) return buffer.byteLength(text, "utf8");
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}
