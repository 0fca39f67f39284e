import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createServerMods, type ServerMods } from "./server-mods";
import { fabricJar, writeJar } from "./test-jars";

let root: string;
let mods: ServerMods;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "berth-mods-"));
  const servers: Record<string, { kind: "game" | "dev"; root: string }> = {
    game: { kind: "game", root },
    dev: { kind: "dev", root },
  };
  mods = createServerMods({
    locate: (serverId) => servers[serverId] ?? null,
    log: pino({ enabled: false }),
  });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("createServerMods", () => {
  it("lists a game server's jars and answers an action with the new listing", async () => {
    await writeJar(path.join(root, "mods/a.jar"), fabricJar("a"));
    const listed = await mods.list("game");
    expect(listed.ok && listed.data.mods.map((mod) => mod.file)).toEqual(["mods/a.jar"]);

    const after = await mods.action({ serverId: "game", file: "mods/a.jar", action: "disable" });
    expect(after.ok && after.data.mods.map((mod) => [mod.file, mod.enabled])).toEqual([
      ["mods/a.jar.disabled", false],
    ]);
    expect(await readdir(path.join(root, "mods"))).toEqual(["a.jar.disabled"]);
  });

  it("refuses dev servers and servers not on this node", async () => {
    expect(await mods.list("dev")).toEqual({
      ok: false,
      error: { code: "BAD_REQUEST", message: "Mods are for game servers" },
    });
    expect(await mods.action({ serverId: "dev", file: "mods/a.jar", action: "remove" })).toEqual({
      ok: false,
      error: { code: "BAD_REQUEST", message: "Mods are for game servers" },
    });
    expect(await mods.list("nope")).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });

  it("turns a refused action into an error result, with no path of the node in it", async () => {
    const result = await mods.action({ serverId: "game", file: "../x.jar", action: "remove" });
    expect(result).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    expect(JSON.stringify(result)).not.toContain(root);
    const missing = await mods.action({ serverId: "game", file: "mods/x.jar", action: "remove" });
    expect(missing).toEqual({
      ok: false,
      error: { code: "NOT_FOUND", message: "mods/x.jar does not exist" },
    });
  });
});
