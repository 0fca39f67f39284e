import type { Namespace, Server, Socket } from "socket.io";
import type {
  AgentToPortalEvents,
  BrowserToPortalEvents,
  PortalToAgentEvents,
  PortalToBrowserEvents,
} from "@berth/protocol";
import type { SessionUser } from "@berth/api";

export interface AgentSocketData {
  nodeId: string;
  nodeName: string;
}
export interface BrowserSocketData {
  user: SessionUser;
}

export type AgentNamespace = Namespace<
  AgentToPortalEvents,
  PortalToAgentEvents,
  object,
  AgentSocketData
>;
export type BrowserNamespace = Namespace<
  BrowserToPortalEvents,
  PortalToBrowserEvents,
  object,
  BrowserSocketData
>;
export type AgentSocket = Socket<AgentToPortalEvents, PortalToAgentEvents, object, AgentSocketData>;
export type BrowserSocket = Socket<
  BrowserToPortalEvents,
  PortalToBrowserEvents,
  object,
  BrowserSocketData
>;
export type PortalIo = Server;
