// Making sure a server's image is on the node before its container is created. Nothing is pulled:
// the node builds its own images (berth/generic, berth/dev) and expects any other to be there.
import type Docker from "dockerode";
import type { Logger } from "pino";
import { DriverError } from "../drivers/driver";
import { ensureDevImage } from "../images/dev-image";
import { ensureGenericImage } from "../images/ensure-image";
import { inspectImage } from "../images/image-build";
import { imageTag, localImageOf } from "./spec";

export interface ServerImages {
  /** Returns the tag to create the container from; throws a DriverError when it cannot be had. */
  ensure(image: string): Promise<string>;
}

/** For the process driver: servers run on the host, images do not apply. */
export const noImages: ServerImages = {
  ensure: async (image) => imageTag(image),
};

export function dockerImages({
  docker,
  cacheDir,
  log,
}: {
  docker: Docker;
  cacheDir: string;
  log: Logger;
}): ServerImages {
  return {
    async ensure(image) {
      switch (localImageOf(image)) {
        case "generic":
          return ensureGenericImage(docker, { log });
        case "dev":
          return ensureDevImage(docker, { cacheDir, log });
        default:
          if (await inspectImage(docker, image)) return image;
          throw new DriverError(
            "UNAVAILABLE",
            `Image ${image} is not on this node (no registry here)`,
          );
      }
    },
  };
}
