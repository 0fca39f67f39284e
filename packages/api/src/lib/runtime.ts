import type { PrismaClient } from "@berth/db";
import type { Logger } from "pino";
import type {
  CodeServerEvent,
  CodeServerRequest,
  CodeServerStatus,
  FileRequest,
  FileResult,
  ModActionRequest,
  ModListing,
  PowerAction,
  Result,
  ServerProgressEvent,
  ServerSnapshot,
  ServerSpecPayload,
  ServerStateEvent,
} from "@berth/protocol";
import type { ArtifactStore } from "./artifact-store";
import type { IdeLinks } from "./ide-links";
import type { NodeGrants } from "./node-grants";
import type { SecretBox } from "./secret-box";

/** Node-facing events the portal's socket layer turns into broadcasts and disconnects. */
export interface NodeEvents {
  nodeChanged(nodeId: string): void;
  nodeRevoked(nodeId: string): void;
}

/** Server changes the portal's socket layer broadcasts to the server's room. */
export interface ServerEvents {
  progress(event: ServerProgressEvent): void;
  state(event: ServerStateEvent): void;
  codeServer(event: CodeServerEvent): void;
}

/**
 * Commands to a node's agent. The portal implements them over Socket.IO acks; each ends in exactly
 * one of: the agent's result, NODE_OFFLINE, NODE_TIMEOUT.
 */
export interface AgentCommands {
  provision(
    nodeId: string,
    request: { spec: ServerSpecPayload; start: boolean },
  ): Promise<Result<ServerSnapshot>>;
  power(
    nodeId: string,
    request: { serverId: string; action: PowerAction },
  ): Promise<Result<ServerSnapshot>>;
  remove(nodeId: string, request: { serverId: string }): Promise<Result<{ deleted: boolean }>>;
  codeServer(nodeId: string, request: CodeServerRequest): Promise<Result<CodeServerStatus>>;
  /** One operation on a server's data folder (the node confines its paths). */
  files(nodeId: string, request: FileRequest): Promise<Result<FileResult>>;
  /** The jars in a game server's mods/ and plugins/. */
  listMods(nodeId: string, request: { serverId: string }): Promise<Result<ModListing>>;
  /** Enable, disable or remove one jar; the listing after the change. */
  modAction(nodeId: string, request: ModActionRequest): Promise<Result<ModListing>>;
}

/** Everything the services need from the process that hosts them, built once at start. */
export interface ApiRuntime {
  prisma: PrismaClient;
  log: Logger;
  /** The URL users and agents reach the portal at, e.g. http://localhost:3000. */
  publicUrl: string;
  events: NodeEvents;
  serverEvents: ServerEvents;
  agents: AgentCommands;
  /** Seals users' webhook signing secrets (key derived from BERTH_SECRET). */
  webhookSecrets: SecretBox;
  /** Runtime artifacts uploaded to the portal, named by their sha256. */
  artifacts: ArtifactStore;
  /** Signs the portal's requests to nodes' HTTP listeners (the IDE proxy). */
  nodeGrants: NodeGrants;
  /** Signs and checks IDE links and the browser sessions they open. */
  ide: IdeLinks;
}
