import { rooms } from "@berth/protocol";
import type { ConsoleLink } from "../console/console-relay";
import { askNode } from "./command-node";
import type { AgentNamespace } from "./types";

const OPEN_TIMEOUT_MS = 10_000;

/** Consoles reach the agent through its node's room, so this works from any portal. */
export function createConsoleLink(agents: AgentNamespace): ConsoleLink {
  return {
    // Emitted at once (no presence round trip first), so an open never overtakes an earlier close.
    open: (nodeId, request) => askNode(agents, nodeId, "console:open", request, OPEN_TIMEOUT_MS),
    close: (nodeId, ref) => void agents.to(rooms.node(nodeId)).emit("console:close", ref),
    // The adapter's own room table only lists this portal's sockets.
    isLocal: (nodeId) => (agents.adapter.rooms.get(rooms.node(nodeId))?.size ?? 0) > 0,
  };
}
