// What building images on the node needs, whatever the image: look a tag up, build from a
// throwaway context folder, follow the engine's progress stream, and share one build between
// concurrent callers.
import { chmod, copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type Docker from "dockerode";
import { DriverError } from "../drivers/driver";
import { dockerMessage, dockerStatus } from "../drivers/docker/errors";

/** The repository's images/ folder (one folder per image, each with its Dockerfile). */
export const DEFAULT_IMAGES_DIR = fileURLToPath(new URL("../../../../images/", import.meta.url));

/** The label that stores the digest of what an image was built from. */
export const CONTEXT_LABEL = "berth.image.context";

export async function inspectImage(
  docker: Docker,
  tag: string,
): Promise<Docker.ImageInspectInfo | null> {
  try {
    return await docker.getImage(tag).inspect();
  } catch (error) {
    if (dockerStatus(error) === 404) return null;
    throw new DriverError("UNAVAILABLE", `Cannot look up image ${tag}: ${describe(error)}`, {
      cause: error,
    });
  }
}

const inFlight = new WeakMap<Docker, Map<string, Promise<string>>>();

/** Runs `work` once per engine and tag at a time; concurrent callers get the same promise. */
export function oncePerEngine(
  docker: Docker,
  tag: string,
  work: () => Promise<string>,
): Promise<string> {
  let running = inFlight.get(docker);
  if (!running) inFlight.set(docker, (running = new Map()));
  const pending = running.get(tag);
  if (pending) return pending;
  const started = work().finally(() => running.delete(tag));
  running.set(tag, started);
  return started;
}

export interface ContextFile {
  /** Copied from this path (made executable when `executable`)… */
  from?: string;
  /** …or written with this content. */
  content?: string;
  executable?: boolean;
}

/** Builds `tag` with the engine's classic builder from a temporary folder holding `files`. */
export async function buildImage(
  docker: Docker,
  options: {
    tag: string;
    files: Record<string, ContextFile>;
    labels?: Record<string, string>;
    buildargs?: Record<string, string>;
  },
): Promise<void> {
  const context = await mkdtemp(path.join(tmpdir(), "berth-image-"));
  try {
    for (const [name, file] of Object.entries(options.files)) {
      const target = path.join(context, name);
      if (file.from) await copyFile(file.from, target);
      else await writeFile(target, file.content ?? "");
      if (file.executable) await chmod(target, 0o755);
    }
    const stream = await docker.buildImage(
      { context, src: Object.keys(options.files) },
      {
        t: options.tag,
        labels: options.labels ?? {},
        buildargs: options.buildargs ?? {},
        rm: true,
        forcerm: true,
      },
    );
    await followProgress(docker, stream, `Building image ${options.tag}`);
  } catch (error) {
    if (error instanceof DriverError) throw error;
    throw new DriverError("FAILED", `Building image ${options.tag} failed: ${describe(error)}`, {
      cause: error,
    });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

interface ProgressEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Waits for a build/import stream to end; an error event in it fails with the last output. */
export function followProgress(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  what: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, events: ProgressEvent[]) => {
      if (error) return reject(error);
      const failed = events.find((event) => event.error || event.errorDetail);
      if (!failed) return resolve();
      const output = events
        .map((event) => event.stream ?? "")
        .join("")
        .trim()
        .split("\n")
        .slice(-5)
        .join("\n");
      reject(
        new DriverError(
          "FAILED",
          `${what} failed: ${failed.errorDetail?.message ?? failed.error}${output ? `\n${output}` : ""}`,
        ),
      );
    });
  });
}

function describe(error: unknown): string {
  return dockerStatus(error) ? dockerMessage(error) : String(error);
}
