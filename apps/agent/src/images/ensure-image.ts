// The image for the "Generic console program" template: `FROM scratch` + the host's static
// busybox (images/generic/Dockerfile). There is no registry to pull from, so the node builds it,
// in about a second, the first time it is asked for; afterwards the tag is found in milliseconds.
import { createHash } from "node:crypto";
import { open, readFile } from "node:fs/promises";
import path from "node:path";
import type Docker from "dockerode";
import pino, { type Logger } from "pino";
import { DriverError } from "../drivers/driver";
import {
  CONTEXT_LABEL,
  DEFAULT_IMAGES_DIR,
  buildImage,
  inspectImage,
  oncePerEngine,
} from "./image-build";

/** Bump the version when images/generic/ changes in a way old nodes must rebuild for. */
export const GENERIC_IMAGE = "berth/generic:1";

const BUSYBOX_CANDIDATES = ["/bin/busybox", "/usr/bin/busybox"];

export interface EnsureImageOptions {
  /** Folder holding `generic/Dockerfile`; the repository's images/ by default. */
  imagesDir?: string;
  /** A statically linked busybox; by default the first of /bin/busybox, /usr/bin/busybox. */
  busyboxPath?: string;
  log?: Logger;
}

/**
 * Returns the generic image's tag, building it first when the engine does not have it (or has
 * one built from another Dockerfile: the Dockerfile's digest is a label on the image).
 * Concurrent calls share one build.
 */
export async function ensureGenericImage(
  docker: Docker,
  options: EnsureImageOptions = {},
): Promise<string> {
  const log = options.log ?? pino({ enabled: false });
  const dockerfilePath = path.join(
    options.imagesDir ?? DEFAULT_IMAGES_DIR,
    "generic",
    "Dockerfile",
  );
  const dockerfile = await readFile(dockerfilePath, "utf8").catch(() => null);
  const digest = dockerfile === null ? null : sha256(dockerfile).slice(0, 16);

  const existing = await inspectImage(docker, GENERIC_IMAGE);
  if (existing && (digest === null || existing.Config?.Labels?.[CONTEXT_LABEL] === digest)) {
    return GENERIC_IMAGE;
  }
  if (dockerfile === null || digest === null) {
    throw new DriverError(
      "UNAVAILABLE",
      `Image ${GENERIC_IMAGE} is not on this node and cannot be built: ${dockerfilePath} is missing`,
    );
  }

  return oncePerEngine(docker, GENERIC_IMAGE, async () => {
    const busybox = await findStaticBusybox(options.busyboxPath);
    const started = performance.now();
    await buildImage(docker, {
      tag: GENERIC_IMAGE,
      files: { Dockerfile: { content: dockerfile }, busybox: { from: busybox, executable: true } },
      labels: { [CONTEXT_LABEL]: digest },
    });
    log.info(
      { image: GENERIC_IMAGE, busybox, ms: Math.round(performance.now() - started) },
      "image built",
    );
    if (existing) {
      // The previous build under this tag is dangling now; the engine refuses while it is in use.
      await docker
        .getImage(existing.Id)
        .remove()
        .catch(() => undefined);
    }
    return GENERIC_IMAGE;
  });
}

/** The busybox copied into a `FROM scratch` image must not need a dynamic loader. */
export async function findStaticBusybox(explicit?: string): Promise<string> {
  const candidates = explicit ? [explicit] : BUSYBOX_CANDIDATES;
  for (const candidate of candidates) {
    const kind = await elfLinkage(candidate);
    if (kind === "static") return candidate;
    if (kind === "dynamic" && explicit) {
      throw new DriverError(
        "UNAVAILABLE",
        `${candidate} is dynamically linked; the generic image needs a static busybox (Debian: busybox-static)`,
      );
    }
  }
  throw new DriverError(
    "UNAVAILABLE",
    `No static busybox found (looked at ${candidates.join(", ")}); install busybox-static`,
  );
}

/** "static"/"dynamic" for an ELF executable (by its PT_INTERP header), null when unreadable. */
async function elfLinkage(file: string): Promise<"static" | "dynamic" | null> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch {
    return null;
  }
  try {
    const header = Buffer.alloc(64);
    await handle.read(header, 0, 64, 0);
    if (header.readUInt32BE(0) !== 0x7f454c46) return null; // "\x7fELF"
    const is64 = header[4] === 2;
    const little = header[5] === 1;
    const u16 = (buf: Buffer, at: number) => (little ? buf.readUInt16LE(at) : buf.readUInt16BE(at));
    const u32 = (buf: Buffer, at: number) => (little ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
    const phoff = is64
      ? Number(little ? header.readBigUInt64LE(0x20) : header.readBigUInt64BE(0x20))
      : u32(header, 0x1c);
    const phentsize = u16(header, is64 ? 0x36 : 0x2a);
    const phnum = u16(header, is64 ? 0x38 : 0x2c);
    const table = Buffer.alloc(phentsize * phnum);
    await handle.read(table, 0, table.length, phoff);
    const PT_INTERP = 3;
    for (let i = 0; i < phnum; i++) {
      if (u32(table, i * phentsize) === PT_INTERP) return "dynamic";
    }
    return "static";
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
