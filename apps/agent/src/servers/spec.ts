// From what the portal sends (ServerSpecPayload) to what a driver and an instance take. Pure, so
// the mapping is unit-tested; where things live on disk is decided here and nowhere else.
import path from "node:path";
import type {
  DriverName,
  ServerSnapshot as WireSnapshot,
  ServerSpecPayload,
} from "@berth/protocol";
import type { ReadOnlyMount, ServerSpec } from "../drivers/driver";
import { DEV_IMAGE } from "../images/dev-image";
import { GENERIC_IMAGE } from "../images/ensure-image";
import type { ServerSnapshot, TemplatePolicy } from "../instance/instance-types";
import { CODE_SERVER_MOUNT } from "../code-server/commands";
import { DEV_WORKSPACE, devSearchPath, placeRuntimes } from "./dev-environment";

/** Working directory inside a game server's container; the server's data folder is mounted there. */
export const CONTAINER_WORKDIR = "/data";
export { DEV_HOME, DEV_USER, DEV_WORKSPACE } from "./dev-environment";

/** Images the node builds itself (there is no registry to pull from). */
export type LocalImage = "generic" | "dev";

/** Which of the node-built images a reference names (`berth/generic:*`, `berth/dev:*`), if any. */
export function localImageOf(image: string): LocalImage | null {
  if (image.startsWith("berth/generic:")) return "generic";
  if (image.startsWith("berth/dev:")) return "dev";
  return null;
}

/** The tag a container is created from: a node-built image's current version, or the image as named. */
export function imageTag(image: string): string {
  const local = localImageOf(image);
  if (local === "generic") return GENERIC_IMAGE;
  if (local === "dev") return DEV_IMAGE;
  return image;
}

/** `<dataDir>/runtimes`: the node's runtime store, shared by its dev servers. */
export function runtimeFolder(dataDir: string): string {
  return path.join(dataDir, "runtimes");
}

/** `<dataDir>/servers/<serverId>`: everything of one server; removed when the server is deleted. */
export function serverFolder(dataDir: string, serverId: string): string {
  return path.join(dataDir, "servers", serverId);
}

export interface ServerSpecContext {
  dataDir: string;
  labels?: Record<string, string>;
  /** Which driver runs it: where runtimes are seen from inside depends on it. */
  driver?: DriverName;
  /** The node's runtime store folder (`<store>/<name>/<version>`). */
  runtimeRoot?: string;
}

export function toServerSpec(
  payload: ServerSpecPayload,
  { dataDir, labels = {}, driver = "docker", runtimeRoot }: ServerSpecContext,
): ServerSpec {
  const { runtimes, codeServer } = payload;
  const store = runtimeRoot ?? runtimeFolder(dataDir);
  const placement = runtimes.length > 0 ? placeRuntimes(driver, runtimes, store) : null;
  const mounts: ReadOnlyMount[] = [...(placement?.mounts ?? [])];
  if (codeServer && driver === "docker") {
    // Not on PATH: it runs with its own Node, and users start it through Berth.
    const { name, version } = codeServer.artifact;
    mounts.push({ source: path.join(store, name, version), target: CODE_SERVER_MOUNT });
  }
  return {
    serverId: payload.serverId,
    image: imageTag(payload.image),
    command: ["sh", "-c", payload.startup],
    env: {
      ...payload.env,
      ...(placement ? searchPathEnv(devSearchPath(driver, placement.binDirs)) : {}),
    },
    ...(mounts.length > 0 ? { mounts } : {}),
    dataDir: path.join(serverFolder(dataDir, payload.serverId), "data"),
    workdir: payload.kind === "dev" ? DEV_WORKSPACE : CONTAINER_WORKDIR,
    limits: { ...payload.limits },
    ports: payload.ports.map((p) => ({ ...p })),
    capabilities: [...payload.capabilities],
    labels: { ...labels },
  };
}

/** PATH, and BERTH_PATH for the dev image's login shells, which reset PATH (images/dev). */
function searchPathEnv(searchPath: string): Record<string, string> {
  return { PATH: searchPath, BERTH_PATH: searchPath };
}

export function toTemplatePolicy(payload: ServerSpecPayload): TemplatePolicy {
  const { stopCommand, donePattern, stopTimeoutMs, termTimeoutMs } = payload.policy;
  return {
    ...(stopCommand ? { stopCommand } : {}),
    ...(donePattern ? { donePattern } : {}),
    stopTimeoutMs,
    termTimeoutMs,
  };
}

/** Whether two payloads describe the same server (key order does not matter). */
export function sameSpec(a: ServerSpecPayload, b: ServerSpecPayload): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}

/** The instance's snapshot in the wire's shape. */
export function toWireSnapshot(snapshot: ServerSnapshot): WireSnapshot {
  return {
    serverId: snapshot.serverId,
    state: snapshot.state,
    since: snapshot.since,
    exit: snapshot.exit ?? null,
    restartAt: snapshot.restartAt ?? null,
    codeServer: null,
  };
}
