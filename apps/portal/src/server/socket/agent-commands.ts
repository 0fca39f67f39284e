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
// Copying, packing or unpacking a large world takes a while; the rest answers at once.
const FILES_TIMEOUT_MS = { quick: 15_000, slow: 300_000 };
const SLOW_FILE_OPS = new Set(["copy", "delete", "compress", "extract"]);
// Reading every jar's metadata of a large modpack takes a while on a slow disk.
const MODS_TIMEOUT_MS = 30_000;

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
    files: (nodeId, request) =>
      commandNode(
        agents,
        nodeId,
        "files:op",
        request,
        SLOW_FILE_OPS.has(request.operation.op) ? FILES_TIMEOUT_MS.slow : FILES_TIMEOUT_MS.quick,
      ),
    listMods: (nodeId, request) =>
      commandNode(agents, nodeId, "mods:list", request, MODS_TIMEOUT_MS),
    modAction: (nodeId, request) =>
      commandNode(agents, nodeId, "mods:action", request, MODS_TIMEOUT_MS),
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
