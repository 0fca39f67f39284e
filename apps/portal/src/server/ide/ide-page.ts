import type { ServerResponse } from "node:http";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The gate's answer when it will not open the IDE: a small page, never a stack, never proxied. */
export function sendIdePage(
  res: ServerResponse,
  status: number,
  {
    title,
    message,
    serverId,
    publicUrl,
  }: {
    title: string;
    message: string;
    serverId: string;
    publicUrl: string;
  },
): void {
  const back = `${publicUrl}/servers/${encodeURIComponent(serverId)}`;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)} · Berth</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}a{color:#2563eb}</style>
</head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>
<p><a href="${escapeHtml(back)}">Back to the server page</a></p></body></html>`;
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(html),
  });
  res.end(html);
}
