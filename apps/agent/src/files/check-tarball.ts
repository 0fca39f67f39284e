// Reads a tarball's headers only, through the runtimes' ArchivePolicy, before anything of it is
// written: a refused archive then writes nothing at all (tar keeps writing queued entries for a
// while after an abort, which a cleanup could race).
import { list, type ReadEntry } from "tar";
import {
  ArchivePolicy,
  DEFAULT_ARCHIVE_LIMITS,
  type ArchiveLimits,
} from "../runtimes/archive-policy";

/** Throws the policy's first refusal (a RuntimeError), or what made the archive unreadable. */
export async function checkTarball(file: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS) {
  const policy = new ArchivePolicy(limits);
  let refusal: unknown = null;
  await list({
    file,
    strict: true,
    onReadEntry: (entry: ReadEntry) => {
      if (refusal) return;
      try {
        policy.check({
          path: entry.path,
          type: entry.type,
          linkpath: entry.linkpath,
          size: entry.size,
        });
      } catch (error) {
        refusal = error;
      }
    },
  });
  if (refusal) throw refusal;
  policy.finish();
}
