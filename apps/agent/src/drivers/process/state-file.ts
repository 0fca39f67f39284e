import { readFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../../write-file-atomic";

const Spec = z.object({
  serverId: z.string(),
  image: z.string(),
  command: z.array(z.string()).min(1),
  env: z.record(z.string(), z.string()),
  dataDir: z.string(),
  workdir: z.string(),
  limits: z.object({ memoryMb: z.number(), cpuPercent: z.number(), pids: z.number() }),
  ports: z.array(
    z.object({
      hostPort: z.number(),
      containerPort: z.number(),
      protocol: z.enum(["tcp", "udp"]),
    }),
  ),
  capabilities: z.array(z.string()),
  labels: z.record(z.string(), z.string()).optional(),
});

const IsoDate = z.iso.datetime().nullable();

/**
 * One server's record as the process driver keeps it on disk: the spec, the last run's outcome,
 * and the identity (pid + start time) of the process while it runs, so that a later agent can
 * tell a leftover of an earlier agent from an unrelated process that reuses the pid.
 */
export const ProcessRecordFile = z.object({
  version: z.literal(1),
  spec: Spec,
  state: z.object({
    exitCode: z.number().int().nullable(),
    signal: z.string().nullable(),
    oomKilled: z.boolean(),
    startedAt: IsoDate,
    finishedAt: IsoDate,
  }),
  run: z.object({ pid: z.number().int().positive(), startTicks: z.number() }).nullable(),
});
export type ProcessRecordFile = z.infer<typeof ProcessRecordFile>;

/** Server ids become file names, so they are held to a safe alphabet. */
export const SAFE_SERVER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function recordPath(stateDir: string, serverId: string): string {
  return join(stateDir, `${serverId}.json`);
}

export async function writeRecordFile(stateDir: string, record: ProcessRecordFile): Promise<void> {
  await writeFileAtomic(recordPath(stateDir, record.spec.serverId), JSON.stringify(record));
}

export async function removeRecordFile(stateDir: string, serverId: string): Promise<void> {
  await rm(recordPath(stateDir, serverId), { force: true });
}

/** Every readable record in the folder; unreadable ones are reported and left where they are. */
export async function readRecordFiles(
  stateDir: string,
  onInvalid: (file: string, error: unknown) => void,
): Promise<ProcessRecordFile[]> {
  let names: string[];
  try {
    names = await readdir(stateDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const records: ProcessRecordFile[] = [];
  for (const name of names.sort()) {
    if (!name.endsWith(".json")) continue;
    const file = join(stateDir, name);
    try {
      const record = ProcessRecordFile.parse(JSON.parse(await readFile(file, "utf8")));
      if (`${record.spec.serverId}.json` !== name) throw new Error("file name and serverId differ");
      records.push(record);
    } catch (error) {
      onInvalid(file, error);
    }
  }
  return records;
}
