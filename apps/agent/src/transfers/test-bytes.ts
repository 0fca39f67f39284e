// Test and bench support: large deterministic contents without holding them in memory. The bytes
// are an AES-256-CTR key stream from a seed (a seeded PRNG that can start at any offset, so an
// interrupted upload resumes from wherever the server says it is).
import { createCipheriv, createHash } from "node:crypto";
import { Readable } from "node:stream";

const CHUNK = 1024 * 1024;
const BLOCK = 16;

function cipherAt(seed: string, block: bigint) {
  const key = createHash("sha256").update(`berth-test-bytes:${seed}`).digest();
  const iv = Buffer.alloc(16);
  iv.writeBigUInt64BE(block, 8);
  return createCipheriv("aes-256-ctr", key, iv);
}

/** Bytes `offset` … `offset + length` of the stream named by `seed`. */
export function seededBytes({
  seed,
  offset = 0,
  length,
}: {
  seed: string;
  offset?: number;
  length: number;
}): Readable {
  const cipher = cipherAt(seed, BigInt(Math.floor(offset / BLOCK)));
  let skip = offset % BLOCK;
  let left = length;
  const zeros = Buffer.alloc(CHUNK + BLOCK);
  return new Readable({
    highWaterMark: CHUNK,
    read() {
      if (left === 0) {
        this.push(null);
        return;
      }
      const take = Math.min(CHUNK, left);
      const out = cipher.update(zeros.subarray(0, take + skip)).subarray(skip);
      skip = 0;
      left -= out.length;
      this.push(out);
    },
  });
}

/** sha256 (hex) of `length` bytes of the stream named by `seed`, computed as they are made. */
export async function seededSha256(seed: string, length: number): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of seededBytes({ seed, length })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** A stream that passes `source` on and fails after `bytes` (a connection that drops). */
export function failingAfter(source: Readable, bytes: number): Readable {
  let passed = 0;
  const out = new Readable({ read: () => source.resume() });
  source.on("data", (chunk: Buffer) => {
    if (out.destroyed) return;
    const room = bytes - passed;
    if (chunk.length >= room) {
      if (room > 0) out.push(chunk.subarray(0, room));
      passed = bytes;
      source.destroy();
      // Let what was pushed reach the socket before the connection goes.
      setTimeout(() => out.destroy(new Error("connection dropped (test)")), 50);
      return;
    }
    passed += chunk.length;
    if (!out.push(chunk)) source.pause();
  });
  source.on("end", () => out.push(null));
  return out;
}
