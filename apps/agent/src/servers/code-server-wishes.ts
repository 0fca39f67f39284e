// Whether each dev server's code-server should run, on disk: an owner's stop must hold across an
// agent restart, or the restarted agent would start it again. A marker file per stopped one.
import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { CodeServerWish } from "../code-server/code-server-supervisor";

export class CodeServerWishes {
  constructor(private readonly dir: string) {}

  static folderFor(dataDir: string): string {
    return path.join(dataDir, "state", "code-server-stopped");
  }

  of(serverId: string): CodeServerWish {
    const marker = path.join(this.dir, serverId);
    return {
      get: async () => !(await exists(marker)),
      set: async (wanted) => {
        if (wanted) {
          await rm(marker, { force: true });
          return;
        }
        await mkdir(this.dir, { recursive: true });
        await writeFile(marker, "");
      },
    };
  }

  /** The server is gone: nothing of its wish stays. */
  async forget(serverId: string): Promise<void> {
    await rm(path.join(this.dir, serverId), { force: true });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
