// The image for dev containers: Debian bookworm with the dev user (images/dev/Dockerfile). No
// registry means no `FROM debian`: the base is a debootstrap rootfs (about a minute and ~360 MB the
// first time), kept as a tarball in the cache folder so a node rebuilds it only when its version
// changes, and imported into the engine as `berth/dev-base:<version>`.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { access, mkdir, mkdtemp, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import type Docker from "dockerode";
import pino, { type Logger } from "pino";
import { DriverError } from "../drivers/driver";
import {
  CONTEXT_LABEL,
  DEFAULT_IMAGES_DIR,
  buildImage,
  followProgress,
  inspectImage,
  oncePerEngine,
} from "./image-build";

/** Bump when images/dev/ changes in a way old nodes must rebuild for. */
export const DEV_IMAGE = "berth/dev:2";

const SUITE = "bookworm";
/** Bump with the suite or the package list: names the cached tarball and the base image. */
const ROOTFS_VERSION = `${SUITE}-minbase-1`;
export const BASE_IMAGE = `berth/dev-base:${ROOTFS_VERSION}`;
/** What a developer expects in a shell, beyond minbase. */
const PACKAGES = [
  "bash",
  "ca-certificates",
  "curl",
  "git",
  "less",
  "nano",
  "openssh-client",
  "procps",
];
const DEFAULT_MIRROR = "http://deb.debian.org/debian";

export interface EnsureDevImageOptions {
  /** The node's cache folder (BERTH_CACHE_DIR); the rootfs goes to debian-rootfs/<version>/. */
  cacheDir: string;
  /** Folder holding `dev/Dockerfile`; the repository's images/ by default. */
  imagesDir?: string;
  /** Debian mirror for debootstrap. */
  mirror?: string;
  log?: Logger;
}

/**
 * Returns the dev image's tag, making whatever is missing: the rootfs tarball (debootstrap, root
 * only), the imported base image, the image itself. Concurrent calls share one build.
 */
export async function ensureDevImage(
  docker: Docker,
  options: EnsureDevImageOptions,
): Promise<string> {
  const log = options.log ?? pino({ enabled: false });
  const dockerfilePath = path.join(options.imagesDir ?? DEFAULT_IMAGES_DIR, "dev", "Dockerfile");
  const dockerfile = await readFile(dockerfilePath, "utf8").catch(() => null);
  const digest =
    dockerfile === null
      ? null
      : createHash("sha256").update(`${BASE_IMAGE}\n${dockerfile}`).digest("hex").slice(0, 16);

  const existing = await inspectImage(docker, DEV_IMAGE);
  if (existing && (digest === null || existing.Config?.Labels?.[CONTEXT_LABEL] === digest)) {
    return DEV_IMAGE;
  }
  if (dockerfile === null || digest === null) {
    throw new DriverError(
      "UNAVAILABLE",
      `Image ${DEV_IMAGE} is not on this node and cannot be built: ${dockerfilePath} is missing`,
    );
  }

  return oncePerEngine(docker, DEV_IMAGE, async () => {
    if (!(await inspectImage(docker, BASE_IMAGE))) {
      const tarball = await ensureRootfsTarball(options, log);
      const started = performance.now();
      const [repo, tag] = BASE_IMAGE.split(":");
      const stream = await docker.importImage(tarball, { repo, tag });
      await followProgress(docker, stream, `Importing ${tarball} as ${BASE_IMAGE}`);
      log.info(
        { image: BASE_IMAGE, ms: Math.round(performance.now() - started) },
        "base image imported",
      );
    }
    const started = performance.now();
    await buildImage(docker, {
      tag: DEV_IMAGE,
      files: { Dockerfile: { content: dockerfile } },
      labels: { [CONTEXT_LABEL]: digest },
      buildargs: { BASE: BASE_IMAGE },
    });
    log.info({ image: DEV_IMAGE, ms: Math.round(performance.now() - started) }, "image built");
    if (existing) {
      await docker
        .getImage(existing.Id)
        .remove()
        .catch(() => undefined);
    }
    return DEV_IMAGE;
  });
}

/** `<cacheDir>/debian-rootfs/<version>/rootfs.tar`, made by debootstrap when missing. */
async function ensureRootfsTarball(options: EnsureDevImageOptions, log: Logger): Promise<string> {
  const dir = path.join(options.cacheDir, "debian-rootfs", ROOTFS_VERSION);
  const tarball = path.join(dir, "rootfs.tar");
  if (await exists(tarball)) return tarball;
  if (process.getuid?.() !== 0) {
    throw new DriverError(
      "UNAVAILABLE",
      `Image ${DEV_IMAGE} needs a Debian rootfs at ${tarball}; making one (debootstrap) needs root`,
    );
  }
  await mkdir(dir, { recursive: true });
  // Built beside its final place and renamed in, so an interrupted build leaves no tarball.
  const work = await mkdtemp(path.join(dir, ".build-"));
  const started = performance.now();
  try {
    const rootfs = path.join(work, "rootfs");
    log.info({ suite: SUITE, rootfs }, "debootstrap: making the dev image's Debian rootfs");
    await run(
      DEBOOTSTRAP,
      [
        "--variant=minbase",
        `--include=${PACKAGES.join(",")}`,
        SUITE,
        rootfs,
        options.mirror ?? DEFAULT_MIRROR,
      ],
      30 * 60_000,
    );
    const partial = path.join(work, "rootfs.tar");
    await run("tar", ["--numeric-owner", "-C", rootfs, "-cf", partial, "."], 10 * 60_000);
    await rename(partial, tarball);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  log.info({ tarball, ms: Math.round(performance.now() - started) }, "Debian rootfs cached");
  return tarball;
}

/** debootstrap lives in /usr/sbin, which a non-login root PATH may lack. */
const DEBOOTSTRAP = ["debootstrap", "/usr/sbin/debootstrap"];

/** Runs the first of `commands` that exists; a failure carries the end of its output. */
async function run(commands: string | string[], args: string[], timeoutMs: number): Promise<void> {
  const candidates = Array.isArray(commands) ? commands : [commands];
  for (const [index, command] of candidates.entries()) {
    const last = index === candidates.length - 1;
    const outcome = await runOnce(command, args, timeoutMs);
    if (outcome === "missing" && !last) continue;
    if (outcome === "missing") {
      throw new DriverError("UNAVAILABLE", `${candidates.join(" / ")} not found; install it`);
    }
    return;
  }
}

function runOnce(command: string, args: string[], timeoutMs: number): Promise<"ok" | "missing"> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return resolve("missing");
      reject(
        new DriverError("FAILED", `Cannot run ${command}: ${error.message}`, { cause: error }),
      );
    });
    child.on("close", (code, signal) => {
      if (code === 0) return resolve("ok");
      const tail = output.trim().split("\n").slice(-8).join("\n");
      reject(
        new DriverError("FAILED", `${command} failed (${signal ?? `exit ${code}`}):\n${tail}`),
      );
    });
  });
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
