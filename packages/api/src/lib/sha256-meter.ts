import { createHash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

/** A stream went past the byte limit its meter was given. */
export class TooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`More than ${limitBytes} bytes`);
    this.name = "TooLargeError";
  }
}

export interface Sha256Digest {
  /** 64 lowercase hex characters. */
  sha256: string;
  sizeBytes: number;
}

/**
 * Passes bytes through while hashing and counting them; fails with TooLargeError as soon as more
 * than `maxBytes` went by. The one place artifacts are hashed, for uploads and verifications alike.
 */
export class Sha256Meter extends Transform {
  private readonly hash = createHash("sha256");
  private count = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.count += chunk.length;
    if (this.count > this.maxBytes) return done(new TooLargeError(this.maxBytes));
    this.hash.update(chunk);
    done(null, chunk);
  }

  /** Valid once the stream has ended. */
  digest(): Sha256Digest {
    return { sha256: this.hash.digest("hex"), sizeBytes: this.count };
  }
}
