import { TRPCClientError } from "@trpc/client";
import { toast } from "sonner";

const FALLBACK = "Something went wrong. Please try again.";

/**
 * The short, user-facing text of an error. tRPC errors carry it in `message` (the server never
 * sends a stack there); anything else — a network failure, a bug — gets a generic line.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    // A fetch that never reached the server surfaces as a TypeError wrapped by tRPC.
    if (error.cause instanceof TypeError) return "Cannot reach the portal. Check your connection.";
    const message = typeof error.message === "string" ? error.message.trim() : "";
    return message.length > 0 && message.length <= 300 ? message : FALLBACK;
  }
  return FALLBACK;
}

/** The tRPC error code (`UNAUTHORIZED`, `FORBIDDEN`, …) of an error, when it has one. */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof TRPCClientError) {
    const data: unknown = error.data;
    if (data && typeof data === "object" && "code" in data && typeof data.code === "string") {
      return data.code;
    }
  }
  return undefined;
}

/** Shows an error as a toast; repeated identical errors replace each other instead of stacking. */
export function toastError(error: unknown): void {
  const message = errorMessage(error);
  toast.error(message, { id: `error:${message}` });
}

/** Shows an error that came over the socket (`{ code, message }`) as a toast; never a stack. */
export function toastWireError(error: { message: string }): void {
  const text = error.message.trim();
  const message = text.length > 0 && text.length <= 300 ? text : FALLBACK;
  toast.error(message, { id: `error:${message}` });
}
