// The listener with the real resolver on a real Docker engine: a dev container provisioned through
// the ServerManager, whose "code-server" (a stand-in artifact: a small perl HTTP server, launched,
// health-checked and stopped by the real supervisor) is reached at the container's own address.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request, type IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  NODE_GRANT_HEADER,
  type ServerProgressEvent,
  type ServerSpecPayload,
} from "@berth/protocol";
import Docker from "dockerode";
import pino from "pino";
import { create } from "tar";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeIf, dockerAvailable } from "../../../../test/require-dependency";
import { DockerDriver } from "../drivers/docker-driver";
import { DEV_IMAGE } from "../images/dev-image";
import { inspectImage } from "../images/image-build";
import { RuntimeStore } from "../runtimes/runtime-store";
import { sha256, startArtifactServer, type ArtifactServer } from "../runtimes/test-artifacts";
import { dockerImages } from "../servers/server-images";
import { ServerManager } from "../servers/server-manager";
import { runtimeFolder } from "../servers/spec";
import { SpecStore } from "../servers/spec-store";
import { devServerSpec } from "../servers/test-spec";
import { startIdeListener, type IdeListener } from "./ide-listener";
import { serverIdeUpstreams } from "./ide-upstreams";
import { signTestGrant, testGrantKey } from "./test-grants";
import { TEST_CACHE_DIR, removeRunContainers, testRun } from "../servers/test-docker";

const { run: RUN, labels: LABELS } = testRun();
const CACHE_DIR = TEST_CACHE_DIR;
const NODE = "node-a";
const quiet = pino({ enabled: false });

const engine = new Docker();
const hasEngine = await dockerAvailable();
const devImageReady =
  hasEngine && (await inspectImage(engine, DEV_IMAGE).catch(() => null)) !== null;

/** Answers every request with what it saw: the path, the Host and whether a grant came along. */
const SERVE_PL = String.raw`use strict;
use warnings;
use IO::Socket::INET;
my ($bind) = map { $ARGV[$_ + 1] } grep { $ARGV[$_] eq "--bind-addr" } 0 .. $#ARGV;
my ($host, $port) = split /:/, $bind;
my $server = IO::Socket::INET->new(LocalAddr => $host, LocalPort => $port, Listen => 16, ReuseAddr => 1)
  or die "cannot listen on $bind: $!";
while (my $client = $server->accept) {
  my $line = <$client>;
  next unless defined $line;
  my (undef, $target) = split / /, $line;
  my %headers;
  while (my $header = <$client>) {
    $header =~ s/\r?\n$//;
    last if $header eq "";
    my ($name, $value) = split /:\s*/, $header, 2;
    $headers{lc $name} = $value;
  }
  my $body = "path=$target host=" . ($headers{host} // "") . " grant=" . ($headers{"x-berth-grant"} // "none") . "\n";
  print $client "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " . length($body) . "\r\nConnection: close\r\n\r\n" . $body;
  close $client;
}
`;

/** A code-server artifact whose launcher runs SERVE_PL from the artifact's own folder. */
async function standInTarball(): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), "berth-code-server-src-"));
  try {
    await mkdir(path.join(dir, "bin"));
    const launcher = path.join(dir, "bin", "code-server");
    await writeFile(launcher, '#!/bin/sh\nexec perl "$(dirname "$0")/serve.pl" "$@"\n');
    await chmod(launcher, 0o755);
    await writeFile(path.join(dir, "bin", "serve.pl"), SERVE_PL);
    const out = path.join(dir, "out.tar.gz");
    await create({ gzip: true, cwd: dir, file: out, portable: true }, ["bin"]);
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describeIf(
  { name: "Docker engine", available: hasEngine, why: "the upstream is a real dev container" },
  {
    name: DEV_IMAGE,
    available: devImageReady,
    why: "dev containers run the dev image (built by the dev-container suites)",
  },
)("the IDE listener with Docker upstreams", () => {
  let dataDir = "";
  let artifacts: ArtifactServer;
  let tarball: Buffer;
  let driver: DockerDriver;
  let manager: ServerManager;
  let listener: IdeListener;
  const key = testGrantKey();
  const progress: ServerProgressEvent[] = [];
  const serverId = `t${RUN}proxy`;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "berth-ide-upstreams-"));
    tarball = await standInTarball();
    artifacts = await startArtifactServer();
    artifacts.serve("code-server.tar.gz", tarball);
    driver = new DockerDriver({ docker: engine, log: quiet });
    manager = new ServerManager({
      driver,
      images: dockerImages({ docker: engine, cacheDir: CACHE_DIR, log: quiet }),
      store: new SpecStore({ dir: SpecStore.folderFor(dataDir) }),
      runtimes: await RuntimeStore.open({ root: runtimeFolder(dataDir) }),
      dataDir,
      labels: LABELS,
      log: quiet,
      onProgress: (event) => progress.push(event),
      codeServerTimings: { checkEveryMs: 250 },
    });
    listener = await startIdeListener({
      listen: { host: "127.0.0.1", port: 0 },
      nodeId: NODE,
      grantKey: () => key,
      upstreams: serverIdeUpstreams({
        servers: manager,
        hostOf: (id) => driver.address(id),
      }),
      log: quiet,
    });
  }, 5 * 60_000);

  afterAll(async () => {
    await listener?.close();
    manager?.dispose();
    await removeRunContainers(engine, RUN);
    await artifacts?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const spec = (): ServerSpecPayload => ({
    ...devServerSpec(serverId),
    codeServer: {
      artifact: {
        name: "code-server",
        version: `0.0.0-${RUN}`,
        url: artifacts.url("code-server.tar.gz"),
        sha256: sha256(tarball),
        sizeBytes: tarball.length,
        binPath: "bin",
      },
      port: 6000,
    },
  });

  async function get(urlPath: string): Promise<{ status: number; body: string }> {
    const grant = await signTestGrant({ key, nodeId: NODE, serverId });
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      request(`${listener.url}${urlPath}`, {
        headers: { host: "portal.test", [NODE_GRANT_HEADER]: grant },
      })
        .on("response", resolve)
        .on("error", reject)
        .end();
    });
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return { status: res.statusCode!, body: Buffer.concat(chunks).toString() };
  }

  async function until(what: string, probe: () => boolean) {
    const deadline = Date.now() + 60_000;
    while (!probe()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it(
    "reaches code-server at the container's address, and refuses once it or the server stops",
    async () => {
      expect(await get("/proxy/" + serverId + "/")).toMatchObject({ status: 404 });

      expect(await manager.provision({ spec: spec(), start: true })).toMatchObject({ ok: true });
      await until("ready", () =>
        progress.some((p) => p.serverId === serverId && p.stage === "ready"),
      );
      expect(await driver.address(serverId)).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

      expect(await get(`/proxy/${serverId}/some/file.js?v=1`)).toEqual({
        status: 200,
        body: "path=/some/file.js?v=1 host=portal.test grant=none\n",
      });

      expect(await manager.codeServer(serverId, "stop")).toMatchObject({
        ok: true,
        data: { state: "stopped" },
      });
      expect(await get(`/proxy/${serverId}/`)).toEqual({
        status: 409,
        body: JSON.stringify({ code: "CONFLICT", message: "code-server is stopped" }),
      });

      expect(await manager.power(serverId, "stop")).toMatchObject({ ok: true });
      const stopped = await get(`/proxy/${serverId}/`);
      expect(stopped.status).toBe(409);
      expect(JSON.parse(stopped.body)).toMatchObject({
        message: expect.stringMatching(/not running$/),
      });

      expect(await manager.delete(serverId)).toMatchObject({ ok: true });
      expect(await get(`/proxy/${serverId}/`)).toMatchObject({ status: 404 });
    },
    5 * 60_000,
  );
});
