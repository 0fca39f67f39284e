/** Where a listener binds: `host:port`, an IPv6 host in brackets (`[::1]:8080`). */
export interface ListenAddress {
  host: string;
  port: number;
}

const HOST_PORT = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/;

export function parseListenAddress(value: string): ListenAddress | null {
  const match = HOST_PORT.exec(value.trim());
  if (!match) return null;
  const port = Number(match[3]);
  if (port > 65_535) return null;
  return { host: (match[1] ?? match[2])!, port };
}

/** The URL a client uses to reach `host:port` over http. */
export function httpUrlOf({ host, port }: ListenAddress): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}
