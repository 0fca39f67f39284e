import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TRPCError } from "@trpc/server";
import pino from "pino";
import type { PrismaClient } from "@berth/db";
import { ArtifactStore } from "./lib/artifact-store";
import type { ApiRuntime } from "./lib/runtime";
import { createSecretBox } from "./lib/secret-box";
import { createNodeGrants } from "./lib/node-grants";
import { createIdeLinks } from "./lib/ide-links";
import { createCaller } from "./root";
import { createTRPCContext, type SessionUser } from "./trpc";

const offline = {
  ok: false as const,
  error: { code: "NODE_OFFLINE" as const, message: "The node is offline." },
};

/**
 * A runtime for tests of the api alone: real Prisma, silent log, events recorded instead of
 * broadcast, and no agent behind the commands (every node answers "offline", as a node with no
 * agent would). The real agent path is tested in test/servers-lifecycle.int.test.ts.
 */
export function testRuntime(prisma: PrismaClient) {
  const events: Array<{ kind: "changed" | "revoked"; nodeId: string }> = [];
  const commands: Array<{ command: string; nodeId: string; serverId: string }> = [];
  const runtime: ApiRuntime = {
    prisma,
    log: pino({ level: "silent" }),
    publicUrl: "http://portal.test",
    events: {
      nodeChanged: (nodeId) => events.push({ kind: "changed", nodeId }),
      nodeRevoked: (nodeId) => events.push({ kind: "revoked", nodeId }),
    },
    serverEvents: {
      progress: () => undefined,
      state: () => undefined,
      codeServer: () => undefined,
    },
    webhookSecrets: createSecretBox("test-secret-test-secret-test-secret", "webhook-secret"),
    nodeGrants: createNodeGrants("test-secret-test-secret-test-secret"),
    ide: createIdeLinks({
      masterSecret: "test-secret-test-secret-test-secret",
      publicUrl: "http://portal.test",
      tokenTtlS: 300,
      hostSuffix: null,
    }),
    artifacts: new ArtifactStore({
      dir: mkdtempSync(join(tmpdir(), "berth-artifacts-")),
      maxBytes: 64 * 1024 * 1024,
    }),
    agents: {
      provision: async (nodeId, { spec }) => {
        commands.push({ command: "provision", nodeId, serverId: spec.serverId });
        return offline;
      },
      power: async (nodeId, { serverId }) => {
        commands.push({ command: "power", nodeId, serverId });
        return offline;
      },
      remove: async (nodeId, { serverId }) => {
        commands.push({ command: "remove", nodeId, serverId });
        return offline;
      },
      codeServer: async (nodeId, { serverId }) => {
        commands.push({ command: "code-server", nodeId, serverId });
        return offline;
      },
      files: async (nodeId, { serverId }) => {
        commands.push({ command: "files", nodeId, serverId });
        return offline;
      },
      listMods: async (nodeId, { serverId }) => {
        commands.push({ command: "mods:list", nodeId, serverId });
        return offline;
      },
      modAction: async (nodeId, { serverId }) => {
        commands.push({ command: "mods:action", nodeId, serverId });
        return offline;
      },
    },
  };
  const callerFor = (sessionUser: SessionUser | null, ip = "10.0.0.1") =>
    createCaller(createTRPCContext({ runtime, sessionUser, ip }));
  return { runtime, events, commands, callerFor };
}

/** "OK", or the tRPC error code the call failed with. */
export async function trpcCodeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (err) {
    return err instanceof TRPCError ? err.code : "THREW";
  }
}
