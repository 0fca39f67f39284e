// console:* and terminal:* from a browser. Every event is authorized (owner or admin, the same
// answer as for a missing server otherwise); a grant is cached per socket and server for at most
// ACCESS_TTL_MS so keystrokes stay cheap. A refusal also takes the socket out of that server's rooms.
import type { Logger } from "pino";
import type { PrismaClient } from "@berth/db";
import { BrowserToPortal, fail, handle, ok, rooms, type Result } from "@berth/protocol";
import { AccessCache } from "../console/access-cache";
import type { FeedGate } from "../console/console-feed";
import type { ConsoleRelays } from "../console/console-relays";
import { InputLimiter } from "../console/input-limits";
import { checkServerAccess, type ServerAccess } from "../console/server-access";
import { socketTransport } from "../console/socket-transport";
import { askNode, commandNode } from "./command-node";
import type { AgentNamespace, BrowserSocket } from "./types";

export const ACCESS_TTL_MS = 2000;
const INPUT_TIMEOUT_MS = 5000;
const TERMINAL_TIMEOUT_MS = 15_000;

const NO_SUCH_SERVER = fail("NOT_FOUND", "No such server.");
const TERMINALS_ARE_DEV_ONLY = fail("BAD_REQUEST", "Terminals exist only on dev servers.");

export function attachConsoleHandlers({
  socket,
  prisma,
  agents,
  relays,
  log,
  now = Date.now,
}: {
  socket: BrowserSocket;
  prisma: PrismaClient;
  agents: AgentNamespace;
  relays: ConsoleRelays;
  log: Logger;
  now?: () => number;
}): void {
  const { user } = socket.data;
  const access = new AccessCache<ServerAccess>({
    ttlMs: ACCESS_TTL_MS,
    now,
    check: (serverId) => checkServerAccess({ prisma, userId: user.id, serverId }),
  });
  const limiter = new InputLimiter(now);
  const transport = socketTransport(socket);

  const revoke = (serverId: string) => {
    access.forget(serverId);
    limiter.forgetServer(serverId);
    relays.leaveServer(socket.id, serverId);
    void socket.leave(rooms.server(serverId));
  };

  async function authorize(
    serverId: string,
    { terminal }: { terminal: boolean },
  ): Promise<Result<ServerAccess>> {
    const server = await access.get(serverId);
    if (!server) {
      revoke(serverId);
      return NO_SUCH_SERVER;
    }
    if (terminal && server.kind !== "dev") return TERMINALS_ARE_DEV_ONLY;
    return ok(server);
  }

  const gateFor = (serverId: string): FeedGate => ({
    allowed: () => access.fresh(serverId) !== undefined,
    recheck: () =>
      access.get(serverId).then(
        (server) => (server ? "allowed" : "denied"),
        (err: unknown) => {
          log.warn({ err, serverId }, "console access check failed");
          return "unknown";
        },
      ),
  });

  handle(
    socket,
    BrowserToPortal,
    "console:join",
    async ({ serverId, terminalId, resumeFromSeq, runId }) => {
      const granted = await authorize(serverId, { terminal: terminalId !== null });
      if (!granted.ok) return granted;
      if (socket.disconnected) return fail("CONFLICT", "The socket disconnected.");
      const joined = await relays.join({
        ref: { serverId, terminalId },
        nodeId: granted.data.nodeId,
        resume: { resumeFromSeq, runId },
        transport,
        gate: gateFor(serverId),
        onRevoked: () => revoke(serverId),
      });
      // A disconnect while the agent answered has already cleaned up; this join must not linger.
      if (socket.disconnected) relays.leaveAll(socket.id);
      if (!joined.ok) return joined;
      return ok({ serverId, terminalId, runId: joined.data.runId });
    },
    log,
  );

  handle(
    socket,
    BrowserToPortal,
    "console:leave",
    async (ref) => {
      if ((await authorize(ref.serverId, { terminal: false })).ok) relays.leave(socket.id, ref);
    },
    log,
  );

  handle(
    socket,
    BrowserToPortal,
    "console:input",
    async ({ serverId, terminalId, data }) => {
      const granted = await authorize(serverId, { terminal: terminalId !== null });
      if (!granted.ok) return granted;
      const refused = limiter.checkInput({ serverId, terminalId }, data);
      if (refused) return { ok: false, error: refused };
      return askNode(
        agents,
        granted.data.nodeId,
        "console:input",
        { serverId, terminalId, data },
        INPUT_TIMEOUT_MS,
      );
    },
    log,
  );

  handle(
    socket,
    BrowserToPortal,
    "console:resize",
    async (resize) => {
      const granted = await authorize(resize.serverId, { terminal: resize.terminalId !== null });
      if (!granted.ok || !limiter.allowResize(resize)) return;
      agents.to(rooms.node(granted.data.nodeId)).emit("console:resize", resize);
    },
    log,
  );

  handle(
    socket,
    BrowserToPortal,
    "terminal:list",
    async ({ serverId }) => {
      const granted = await authorize(serverId, { terminal: true });
      if (!granted.ok) return granted;
      return commandNode(agents, granted.data.nodeId, "terminal:list", { serverId });
    },
    log,
  );

  handle(
    socket,
    BrowserToPortal,
    "terminal:create",
    async (request) => {
      const granted = await authorize(request.serverId, { terminal: true });
      if (!granted.ok) return granted;
      return commandNode(
        agents,
        granted.data.nodeId,
        "terminal:create",
        request,
        TERMINAL_TIMEOUT_MS,
      );
    },
    log,
  );

  handle(
    socket,
    BrowserToPortal,
    "terminal:rename",
    async (request) => {
      const granted = await authorize(request.serverId, { terminal: true });
      if (!granted.ok) return granted;
      return commandNode(agents, granted.data.nodeId, "terminal:rename", request);
    },
    log,
  );

  handle(
    socket,
    BrowserToPortal,
    "terminal:close",
    async (request) => {
      const granted = await authorize(request.serverId, { terminal: true });
      if (!granted.ok) return granted;
      return commandNode(
        agents,
        granted.data.nodeId,
        "terminal:close",
        request,
        TERMINAL_TIMEOUT_MS,
      );
    },
    log,
  );

  socket.on("disconnect", () => {
    relays.leaveAll(socket.id);
    access.clear();
  });
}
