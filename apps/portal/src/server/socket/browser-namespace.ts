import { parse as parseCookies } from "cookie";
import { getToken } from "next-auth/jwt";
import type { Logger } from "pino";
import type { PrismaClient } from "@berth/db";
import { loadServerFor } from "@berth/api/services";
import { BrowserToPortal, fail, handle, ok, rooms } from "@berth/protocol";
import type { ConsoleRelays } from "../console/console-relays";
import { attachConsoleHandlers } from "./console-handlers";
import type { AgentNamespace, BrowserNamespace } from "./types";

/** Browsers authenticate with the same next-auth session cookie the pages use. */
export function attachBrowserNamespace({
  browsers,
  agents,
  consoles,
  prisma,
  log,
  authSecret,
  secureCookies,
}: {
  browsers: BrowserNamespace;
  agents: AgentNamespace;
  consoles: ConsoleRelays;
  prisma: PrismaClient;
  log: Logger;
  authSecret: string;
  secureCookies: boolean;
}): void {
  browsers.use(async (socket, next) => {
    try {
      const cookies = parseCookies(socket.request.headers.cookie ?? "");
      const token = await getToken({
        req: { cookies, headers: {} } as never,
        secret: authSecret,
        secureCookie: secureCookies,
      });
      const uid = typeof token?.uid === "string" ? token.uid : null;
      if (!uid)
        return next(
          Object.assign(new Error("Please sign in."), { data: { code: "UNAUTHORIZED" } }),
        );
      // Roles come from the database, not the cookie, so a demoted admin loses access at once.
      const user = await prisma.user.findUnique({
        where: { id: uid },
        select: { id: true, email: true, name: true, role: true, disabledAt: true },
      });
      if (!user || user.disabledAt) {
        return next(
          Object.assign(new Error("Your session is no longer valid."), {
            data: { code: "UNAUTHORIZED" },
          }),
        );
      }
      socket.data = { user: { id: user.id, email: user.email, name: user.name, role: user.role } };
      next();
    } catch (err) {
      log.error({ err }, "browser socket authentication failed");
      next(
        Object.assign(new Error("Could not check your session."), { data: { code: "INTERNAL" } }),
      );
    }
  });

  browsers.on("connection", (socket) => {
    const { user } = socket.data;
    // Crashes of the user's servers reach every page, not only the server's own.
    void socket.join(rooms.user(user.id));
    if (user.role === "admin") void socket.join(rooms.nodeStatus);
    const actor = { kind: "user" as const, id: user.id, role: user.role };

    handle(
      socket,
      BrowserToPortal,
      "server:subscribe",
      async ({ serverId }) => {
        try {
          await loadServerFor({ prisma, actor, serverId });
        } catch {
          return fail("NOT_FOUND", "No such server.");
        }
        await socket.join(rooms.server(serverId));
        return ok({ serverId });
      },
      log,
    );
    handle(socket, BrowserToPortal, "server:unsubscribe", ({ serverId }) => {
      void socket.leave(rooms.server(serverId));
    });
    attachConsoleHandlers({ socket, prisma, agents, relays: consoles, log });
    log.debug({ userId: user.id }, "browser connected");
  });
}
