import type { CodeServerTarget } from "../servers/server-manager";

export type IdeUpstream =
  { ok: true; host: string; port: number } | { ok: false; status: 404 | 409; message: string };

/** Where a server's code-server is, or why a request for it cannot go anywhere. */
export interface IdeUpstreams {
  resolve(serverId: string): Promise<IdeUpstream>;
}

/**
 * The node's servers as upstreams: the manager says whether code-server is up and on which port,
 * the driver where the server's network is (a container's address; the host for local processes).
 */
export function serverIdeUpstreams({
  servers,
  hostOf,
}: {
  servers: { codeServerTarget(serverId: string): CodeServerTarget };
  hostOf: (serverId: string) => Promise<string | null>;
}): IdeUpstreams {
  return {
    async resolve(serverId) {
      const target = servers.codeServerTarget(serverId);
      if (!target.ok) {
        return {
          ok: false,
          status: target.reason === "absent" ? 404 : 409,
          message: target.message,
        };
      }
      const host = await hostOf(serverId);
      if (!host) return { ok: false, status: 409, message: "The server has no network address" };
      return { ok: true, host, port: target.port };
    },
  };
}
