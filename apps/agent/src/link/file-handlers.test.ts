// files:op as the link registers it: validated, answered for servers on this node only, and a
// refusal always acked as { ok: false, error } with the FileError's code and message.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HandlerSocket } from "@berth/protocol";
import { registerFileHandlers, type LinkFiles } from "./file-handlers";

function fakeSocket() {
  const listeners = new Map<string, (...args: unknown[]) => void>();
  const socket: HandlerSocket = {
    on: (event, listener) => listeners.set(event, listener),
  };
  const emit = (event: string, payload: unknown) =>
    new Promise<unknown>((resolve) => listeners.get(event)!(payload, resolve));
  return { socket, emit };
}
const log = { warn: () => undefined, error: () => undefined };

describe("files:op handler", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "berth-file-handlers-"));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const files = async (): Promise<LinkFiles> => ({
    root: (serverId) => (serverId === "here" ? { root, owner: null } : null),
  });

  it("runs the operation on the server's folder", async () => {
    const { socket, emit } = fakeSocket();
    registerFileHandlers(socket, { files, log });
    const reply = await emit("files:op", {
      serverId: "here",
      operation: { op: "write", path: "eula.txt", content: "eula=true\n" },
    });
    expect(reply).toMatchObject({ ok: true, data: { kind: "entry", entry: { name: "eula.txt" } } });
    expect(await readFile(path.join(root, "eula.txt"), "utf8")).toBe("eula=true\n");
  });

  it("answers refusals, unknown servers, bad payloads and a serverless agent", async () => {
    const { socket, emit } = fakeSocket();
    registerFileHandlers(socket, { files, log });
    expect(
      await emit("files:op", { serverId: "here", operation: { op: "read", path: "../x" } }),
    ).toEqual({
      ok: false,
      error: { code: "BAD_REQUEST", message: "A path cannot go up with .." },
    });
    expect(
      await emit("files:op", { serverId: "elsewhere", operation: { op: "list", path: "" } }),
    ).toEqual({
      ok: false,
      error: { code: "NOT_FOUND", message: "Server elsewhere is not on this node" },
    });
    expect(
      await emit("files:op", { serverId: "here", operation: { op: "chmod", path: "" } }),
    ).toMatchObject({
      ok: false,
      error: { code: "BAD_REQUEST" },
    });
    const bare = fakeSocket();
    registerFileHandlers(bare.socket, { log });
    expect(
      await bare.emit("files:op", { serverId: "here", operation: { op: "list", path: "" } }),
    ).toEqual({
      ok: false,
      error: { code: "INTERNAL", message: "This agent does not run servers" },
    });
  });
});
