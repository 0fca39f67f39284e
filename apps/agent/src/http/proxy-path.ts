import { AGENT_PROXY_PATH } from "@berth/protocol";

const SERVER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * `/proxy/<serverId>/<rest>?<query>` → the server and the path code-server gets (`/<rest>?<query>`);
 * null for any other path. `/proxy/<serverId>` alone is code-server's root.
 */
export function parseProxyPath(url: string): { serverId: string; path: string } | null {
  if (!url.startsWith(AGENT_PROXY_PATH)) return null;
  const afterPrefix = url.slice(AGENT_PROXY_PATH.length);
  const end = afterPrefix.search(/[/?]/);
  const serverId = end === -1 ? afterPrefix : afterPrefix.slice(0, end);
  if (!SERVER_ID.test(serverId)) return null;
  const rest = end === -1 ? "" : afterPrefix.slice(end);
  return { serverId, path: rest.startsWith("/") ? rest : `/${rest}` };
}
