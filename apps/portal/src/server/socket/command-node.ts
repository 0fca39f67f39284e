import type { PortalToAgentEvents } from "@berth/protocol";
import { AgentAckSchemas, rooms, type Result } from "@berth/protocol";
import type { z } from "zod";
import type { AgentNamespace } from "./types";

type CommandName = keyof typeof AgentAckSchemas & keyof PortalToAgentEvents;
type AckOf<E extends CommandName> = z.infer<(typeof AgentAckSchemas)[E]>;

/**
 * Sends a command to a node's agent and waits for its ack. Ends in exactly one of: the agent's
 * (validated) result, "node offline", or "node did not answer in N s". Works across portals when
 * the Redis adapter is installed, because it addresses the node's room.
 */
export async function commandNode<E extends CommandName>(
  agents: AgentNamespace,
  nodeId: string,
  event: E,
  payload: Parameters<PortalToAgentEvents[E]>[0],
  timeoutMs = 10_000,
): Promise<AckOf<E>> {
  if ((await agents.in(rooms.node(nodeId)).fetchSockets()).length === 0) {
    return offline() as AckOf<E>;
  }
  return askNode(agents, nodeId, event, payload, timeoutMs);
}

/**
 * `commandNode` without asking first whether the node is linked: the command is emitted before
 * this returns, so commands sent one after another (keystrokes) reach the agent in that order.
 * An unlinked node answers NODE_OFFLINE all the same (a broadcast to nobody has no replies).
 */
export async function askNode<E extends CommandName>(
  agents: AgentNamespace,
  nodeId: string,
  event: E,
  payload: Parameters<PortalToAgentEvents[E]>[0],
  timeoutMs = 10_000,
): Promise<AckOf<E>> {
  let replies: unknown[];
  try {
    // Broadcast acks resolve with one reply per socket in the room; a node has at most one link.
    const emitter = agents.in(rooms.node(nodeId)).timeout(timeoutMs) as unknown as {
      emitWithAck(event: string, payload: unknown): Promise<unknown[]>;
    };
    replies = await emitter.emitWithAck(event, payload);
  } catch {
    return {
      ok: false,
      error: {
        code: "NODE_TIMEOUT",
        message: `The node did not answer in ${Math.round(timeoutMs / 1000)} s.`,
      },
    } as AckOf<E>;
  }
  if (replies.length === 0) return offline() as AckOf<E>;
  const parsed = AgentAckSchemas[event].safeParse(replies[0]);
  if (!parsed.success) {
    const bad: Result<never> = {
      ok: false,
      error: { code: "INTERNAL", message: "The node sent a malformed answer." },
    };
    return bad as AckOf<E>;
  }
  return parsed.data as AckOf<E>;
}

function offline(): Result<never> {
  return { ok: false, error: { code: "NODE_OFFLINE", message: "The node is offline." } };
}
