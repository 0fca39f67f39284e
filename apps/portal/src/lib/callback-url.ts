/** Only same-site paths are followed after login, never another origin ("//evil" included). */
export function safeCallbackUrl(
  value: string | string[] | undefined,
  fallback = "/servers",
): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\"))
    return fallback;
  if (raw.startsWith("/login") || raw.startsWith("/signup")) return fallback;
  return raw;
}
