import type { AgentCommands, ServerEvents } from "@berth/api";
import { rooms } from "@berth/protocol";
import { commandNode } from "./command-node";
import type { AgentNamespace, BrowserNamespace } from "./types";

// Provisioning may build an image first; a stop waits for the template's stop and term timeouts.
const PROVISION_TIMEOUT_MS = 120_000;
const POWER_TIMEOUT_MS = 90_000;
const REMOVE_TIMEOUT_MS = 60_000;
// A start waits until code-server answers (the agent gives it 45 s).
const CODE_SERVER_TIMEOUT_MS = 60_000;

export function createAgentCommands(agents: AgentNamespace): AgentCommands {
  return {
    provision: (nodeId, request) =>
      commandNode(agents, nodeId, "server:provision", request, PROVISION_TIMEOUT_MS),
    power: (nodeId, request) =>
      commandNode(agents, nodeId, "server:power", request, POWER_TIMEOUT_MS),
    remove: (nodeId, request) =>
      commandNode(agents, nodeId, "server:delete", request, REMOVE_TIMEOUT_MS),
    codeServer: (nodeId, request) =>
      commandNode(agents, nodeId, "server:code-server", request, CODE_SERVER_TIMEOUT_MS),
  };
}

export function createServerBroadcaster(browsers: BrowserNamespace): ServerEvents {
  return {
    progress: (event) => browsers.to(rooms.server(event.serverId)).emit("server:progress", event),
    state: (event) => browsers.to(rooms.server(event.serverId)).emit("server:state", event),
    codeServer: (event) =>
      browsers.to(rooms.server(event.serverId)).emit("server:code-server", event),
  };
}
