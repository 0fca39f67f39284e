// Every provisioned server's spec, one file each (`<dataDir>/state/servers/<id>.json`), so an
// agent that restarts knows its servers, their images and their policies without the portal.
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { ServerSpecPayload } from "@berth/protocol";
import { z } from "zod";
import type { InstanceLog } from "../instance/instance-log";
import { writeFileAtomic } from "../write-file-atomic";

const StoredServer = z.object({ spec: ServerSpecPayload });
type StoredServer = z.infer<typeof StoredServer>;

export class SpecStore {
  readonly dir: string;

  constructor({ dir }: { dir: string }) {
    this.dir = dir;
  }

  /** `<dataDir>/state/servers`. */
  static folderFor(dataDir: string): string {
    return path.join(dataDir, "state", "servers");
  }

  fileOf(serverId: string): string {
    return path.join(this.dir, `${serverId}.json`);
  }

  async save(spec: ServerSpecPayload): Promise<void> {
    const stored: StoredServer = { spec };
    await writeFileAtomic(this.fileOf(spec.serverId), `${JSON.stringify(stored, null, 2)}\n`);
  }

  async remove(serverId: string): Promise<void> {
    await rm(this.fileOf(serverId), { force: true });
  }

  /** Every readable spec; a file that cannot be read or parsed is logged and left alone. */
  async loadAll(log: InstanceLog): Promise<ServerSpecPayload[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const specs: ServerSpecPayload[] = [];
    for (const name of names.sort()) {
      if (!name.endsWith(".json")) continue;
      const file = path.join(this.dir, name);
      try {
        const parsed = StoredServer.safeParse(JSON.parse(await readFile(file, "utf8")));
        if (!parsed.success) {
          log.warn({ file, issue: parsed.error.issues[0]?.message }, "server spec file ignored");
          continue;
        }
        if (`${parsed.data.spec.serverId}.json` !== name) {
          log.warn({ file }, "server spec file ignored: its name does not match its server id");
          continue;
        }
        specs.push(parsed.data.spec);
      } catch (error) {
        log.warn({ file, err: error }, "server spec file ignored");
      }
    }
    return specs;
  }
}
