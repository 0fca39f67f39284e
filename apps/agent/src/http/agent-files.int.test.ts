// The agent as a whole serves file bytes: its listener's `/files/…` routes reach the servers the
// manager holds (the process driver's data folders), with each server's disk quota from its spec,
// and stage uploads under the agent's data folder.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { NODE_GRANT_HEADER, UPLOAD_PATH_METADATA, type Result } from "@berth/protocol";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLinkedAgent, until, type LinkedAgent } from "../link/test-portal";
import { serverFolder } from "../servers/spec";
import { echoServerSpec } from "../servers/test-spec";
import { createUpload, patchUpload } from "../transfers/tus-test-client";
import { signTestGrant } from "./test-grants";

let linked: LinkedAgent;
let url: string;

beforeAll(async () => {
  linked = await startLinkedAgent("berth-agent-files-", { driver: "process" });
  const { portal, agent } = linked;
  url = (await agent.listener).url;
  await until("the grant key", () => agent.link.grantKey ?? undefined);
  for (const spec of [
    echoServerSpec("free1"),
    {
      ...echoServerSpec("tight1"),
      limits: { memoryMb: 128, cpuPercent: 100, pids: 64, diskMb: 1 },
    },
  ]) {
    const result = await portal.command<Result<unknown>>("server:provision", {
      spec,
      start: false,
    });
    expect(result.ok).toBe(true);
  }
}, 60_000);

afterAll(() => linked?.close());

const grant = async (serverId: string) => ({
  [NODE_GRANT_HEADER]: await signTestGrant({
    key: linked.portal.grantKey,
    nodeId: "n1",
    serverId,
    scope: "files",
  }),
});

it("puts an upload into the server's data folder, staged under the agent's data folder", async () => {
  const body = Buffer.from("plugin bytes ".repeat(10_000));
  const created = await createUpload(`${url}/files/free1/uploads/`, {
    length: body.length,
    metadata: { [UPLOAD_PATH_METADATA]: "plugins/a.jar" },
    headers: await grant("free1"),
  });
  expect(created.status).toBe(201);
  const uploadId = created.location!.split("/").pop()!;
  expect(await readdir(path.join(linked.dataDir, "uploads", "free1"))).toEqual([
    uploadId,
    `${uploadId}.json`,
  ]);
  const done = await patchUpload(`${url}${created.location}`, {
    offset: 0,
    length: body.length,
    body,
    headers: await grant("free1"),
  });
  expect(done.status).toBe(204);
  const placed = path.join(serverFolder(linked.dataDir, "free1"), "data", "plugins", "a.jar");
  expect(await readFile(placed)).toEqual(body);
  expect(await readdir(path.join(linked.dataDir, "uploads", "free1"))).toEqual([]);
});

it("takes the disk quota from the server's spec, and knows only its own servers", async () => {
  const refused = await createUpload(`${url}/files/tight1/uploads/`, {
    length: 2 * 1024 * 1024,
    metadata: { [UPLOAD_PATH_METADATA]: "world.zip" },
    headers: await grant("tight1"),
  });
  expect(refused.status).toBe(413);
  expect(JSON.parse(refused.body).message).toMatch(/of its 1 MiB disk quota/);
  const elsewhere = await createUpload(`${url}/files/other1/uploads/`, {
    length: 1,
    metadata: { [UPLOAD_PATH_METADATA]: "x" },
    headers: await grant("other1"),
  });
  expect(elsewhere.status).toBe(404);
  expect(JSON.parse(elsewhere.body)).toEqual({
    code: "NOT_FOUND",
    message: "Server other1 is not on this node",
  });
});
