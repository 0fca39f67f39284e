import { z } from "zod";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** https anywhere; plain http only to this machine (for trying a receiver out locally). */
export const WebhookUrl = z
  .string()
  .trim()
  .max(2048, "Use a URL of at most 2048 characters.")
  .pipe(z.url({ message: "Enter a valid URL." }))
  .refine((value) => {
    if (!URL.canParse(value)) return true; // already reported as not a URL
    const url = new URL(value);
    return url.protocol === "https:" || (url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname));
  }, "Use an https:// URL (http:// only for localhost).");

/** Only the origin is ever logged or audited: webhook URLs often carry a token in the path. */
export function webhookOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid url)";
  }
}
