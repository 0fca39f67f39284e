import type { ProcStat } from "./proc-stat";

/**
 * Finds each server's processes in one snapshot of the host's process table.
 *
 * A server's processes are those in the sessions the driver started for it (its main PTY and its
 * exec PTYs; a PTY's first process leads a new session, and its children, grandchildren and
 * background jobs stay in it), plus any descendant of those that moved to a session of its own
 * with setsid(2) while its parent is still alive. A process whose parent exited is re-parented to
 * init and is found only if it kept the session; without cgroups nothing better is possible.
 */
export function groupProcesses(
  stats: readonly ProcStat[],
  sessionsByServer: ReadonlyMap<string, readonly number[]>,
): Map<string, ProcStat[]> {
  const owner = new Map<number, string>();
  for (const [serverId, sessions] of sessionsByServer) {
    for (const session of sessions) owner.set(session, serverId);
  }
  const groups = new Map<string, ProcStat[]>();
  for (const serverId of sessionsByServer.keys()) groups.set(serverId, []);
  if (owner.size === 0) return groups;

  const children = new Map<number, ProcStat[]>();
  const claimed = new Set<number>();
  for (const stat of stats) {
    const serverId = owner.get(stat.session);
    if (serverId !== undefined) {
      groups.get(serverId)?.push(stat);
      claimed.add(stat.pid);
    } else {
      const siblings = children.get(stat.ppid);
      if (siblings) siblings.push(stat);
      else children.set(stat.ppid, [stat]);
    }
  }
  if (children.size === 0) return groups;

  // Descendants that left the session: walk down from every claimed process.
  for (const members of groups.values()) {
    for (let i = 0; i < members.length; i++) {
      const below = children.get(members[i]!.pid);
      if (!below) continue;
      for (const child of below) {
        if (claimed.has(child.pid)) continue;
        claimed.add(child.pid);
        members.push(child);
      }
    }
  }
  return groups;
}

export interface TreeUsage {
  rssBytes: number;
  cpuTicks: number;
  /** Processes plus their extra threads. */
  tasks: number;
  processes: number;
}

/** Sums a server's processes. RSS is summed per process, so pages shared between them count twice. */
export function sumUsage(members: readonly ProcStat[], pageSize: number): TreeUsage {
  let rssPages = 0;
  let cpuTicks = 0;
  let tasks = 0;
  for (const member of members) {
    rssPages += member.rssPages;
    cpuTicks += member.cpuTicks;
    tasks += Math.max(1, member.numThreads);
  }
  return { rssBytes: rssPages * pageSize, cpuTicks, tasks, processes: members.length };
}
