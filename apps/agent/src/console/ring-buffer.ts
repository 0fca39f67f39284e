// Scrollback for one server: the most recent console output, bounded in UTF-8 bytes.
//
// Sequence numbers are character offsets (UTF-16 code units, i.e. JavaScript string indices) into
// everything the server has printed since the hub was made: a chunk's `seq` is the offset of its
// first character, and `lastSeq` is the offset just past the last one. A viewer that has seen output
// up to offset N resumes with `since(N)` and gets exactly the characters from N on, wherever the
// chunk and frame boundaries fell.

export interface RingChunk {
  /** Offset of the chunk's first character. */
  seq: number;
  text: string;
}

export interface Replay {
  /** Offset of the first character returned (where the held output starts when `gap` is set). */
  fromSeq: number;
  /** Offset just past the last character returned (`lastSeq`). */
  toSeq: number;
  chunks: RingChunk[];
  /** The requested offset is older than anything held: output in `[seq, fromSeq)` is gone. */
  gap: boolean;
}

export interface RingBufferOptions {
  /** Bytes (UTF-8) of output kept; at least 16. */
  capacityBytes?: number;
  /** Characters per chunk; small writes are merged up to it, large ones split at it. */
  chunkChars?: number;
}

export const DEFAULT_RING_CAPACITY_BYTES = 256 * 1024;
const DEFAULT_CHUNK_CHARS = 4096;

interface Held extends RingChunk {
  bytes: number;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export class RingBuffer {
  readonly capacityBytes: number;
  private readonly chunkChars: number;
  private chunks: Held[] = [];
  private held = 0;
  private end = 0;

  constructor({
    capacityBytes = DEFAULT_RING_CAPACITY_BYTES,
    chunkChars = DEFAULT_CHUNK_CHARS,
  }: RingBufferOptions = {}) {
    if (!Number.isInteger(capacityBytes) || capacityBytes < 16) {
      throw new RangeError("capacityBytes must be an integer of at least 16");
    }
    this.capacityBytes = capacityBytes;
    // A character is at most 3 UTF-8 bytes (a surrogate pair is 4 bytes for 2 characters), so a
    // chunk of this many characters always fits on its own.
    this.chunkChars = Math.max(2, Math.min(chunkChars, Math.floor(capacityBytes / 3)));
  }

  /** Offset just past the last character appended (0 before any output). */
  get lastSeq(): number {
    return this.end;
  }

  /** Offset of the oldest character still held (`lastSeq` when empty). */
  get firstSeq(): number {
    return this.chunks[0]?.seq ?? this.end;
  }

  /** UTF-8 bytes held; never above `capacityBytes`. */
  get bytes(): number {
    return this.held;
  }

  /** Adds output; returns the offset of its first character. */
  append(text: string): number {
    const seq = this.end;
    this.end += text.length;
    // A character needs at least one byte, so anything before the last `capacityBytes` characters
    // would be evicted at once; skipping it keeps a huge write cheap. What is left still fills the
    // capacity, so every older chunk goes too and no hole remains.
    let start = Math.max(0, text.length - this.capacityBytes);
    let last = this.chunks.at(-1);
    while (start < text.length) {
      const room =
        last && last.seq + last.text.length === seq + start
          ? this.chunkChars - last.text.length
          : 0;
      if (last && room > 0) {
        const piece = this.slicePiece(text, start, room);
        if (piece.length > 0) {
          const bytes = utf8Bytes(piece);
          last.text += piece;
          last.bytes += bytes;
          this.held += bytes;
          start += piece.length;
          continue;
        }
      }
      const piece = this.slicePiece(text, start, this.chunkChars);
      const chunk: Held = { seq: seq + start, text: piece, bytes: utf8Bytes(piece) };
      this.chunks.push(chunk);
      this.held += chunk.bytes;
      start += piece.length;
      last = chunk;
    }
    this.evict();
    return seq;
  }

  /**
   * Output from offset `seq` on. An offset older than what is held gives everything held and
   * `gap: true`; an offset past `lastSeq` (from another run of the hub) is treated the same way.
   */
  since(seq: number): Replay {
    const toSeq = this.end;
    if (seq < this.firstSeq || seq > toSeq) {
      return {
        fromSeq: this.firstSeq,
        toSeq,
        chunks: this.chunks.map(({ seq: s, text }) => ({ seq: s, text })),
        gap: true,
      };
    }
    const chunks: RingChunk[] = [];
    for (const chunk of this.chunks) {
      const chunkEnd = chunk.seq + chunk.text.length;
      if (chunkEnd <= seq) continue;
      if (chunk.seq >= seq) chunks.push({ seq: chunk.seq, text: chunk.text });
      else chunks.push({ seq, text: chunk.text.slice(seq - chunk.seq) });
    }
    return { fromSeq: seq, toSeq, chunks, gap: false };
  }

  /**
   * Up to `max` characters from `start`, not ending between the halves of a surrogate pair (so it
   * may be empty when `max` is 1; a new chunk has room for at least 2).
   */
  private slicePiece(text: string, start: number, max: number): string {
    let stop = Math.min(text.length, start + max);
    if (stop < text.length && isHighSurrogate(text.charCodeAt(stop - 1))) stop -= 1;
    return text.slice(start, stop);
  }

  private evict(): void {
    let drop = 0;
    while (this.held > this.capacityBytes && drop < this.chunks.length) {
      this.held -= this.chunks[drop]!.bytes;
      drop += 1;
    }
    if (drop > 0) this.chunks.splice(0, drop);
  }
}
