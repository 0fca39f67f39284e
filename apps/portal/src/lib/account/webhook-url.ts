const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * A first check of a webhook URL, with the portal's rules (it checks again): https anywhere,
 * plain http only to the portal's own machine, for trying a receiver out.
 */
export function webhookUrlProblem(raw: string): string | null {
  const text = raw.trim();
  if (text === "") return "Enter a URL.";
  if (text.length > 2048) return "Use a URL of at most 2048 characters.";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "Enter a full URL, starting with https://.";
  }
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname)) return null;
  return "Use an https:// URL (http:// only for localhost).";
}

/** The toast after a test that did not arrive. */
export function testFailure(result: { status: number | null; error: string | null }): string {
  if (result.status !== null) return `The receiver answered HTTP ${result.status}.`;
  return result.error ? `Not delivered: ${result.error}` : "The test was not delivered.";
}
