export type RuntimeErrorCode =
  | "invalid_artifact"
  | "download_failed"
  | "too_large"
  | "size_mismatch"
  | "hash_mismatch"
  | "unsafe_archive"
  | "conflict";

/** Every failure of the runtime store; `message` is written to be shown to an admin as is. */
export class RuntimeError extends Error {
  override readonly name = "RuntimeError";

  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
