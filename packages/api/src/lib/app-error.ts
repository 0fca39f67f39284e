import type { ErrorCode } from "@berth/protocol";

/**
 * The one error type services throw. `message` is short and safe to show to the user; the cause is
 * only logged.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  override readonly cause: unknown;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.cause = options.cause;
  }
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;
