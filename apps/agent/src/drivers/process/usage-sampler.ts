import { CpuWindow } from "./cpu-window";
import type { ProcReader, ProcStat } from "./proc-stat";
import { groupProcesses, sumUsage, type TreeUsage } from "./process-tree";

export interface SampleTarget {
  /** Sessions the driver started for the server (main PTY and exec PTYs). */
  sessions: readonly number[];
  /** 0 = no memory limit. */
  memoryLimitBytes: number;
}

export interface ServerUsage extends TreeUsage {
  cpuPercent: number;
  atMs: number;
}

export interface UsageSamplerOptions {
  reader: ProcReader;
  /** The servers to sample right now. */
  targets(): ReadonlyMap<string, SampleTarget>;
  /** Called for every server after each sample (also after the quick re-checks near a limit). */
  onUsage(serverId: string, usage: ServerUsage): void;
  intervalMs?: number;
  /** Re-check period for servers above `hotFraction` of their memory limit. */
  hotIntervalMs?: number;
  hotFraction?: number;
  now?: () => number;
}

interface Known {
  members: ProcStat[];
  cpu: CpuWindow;
  usage: ServerUsage;
}

/**
 * One timer for every server of a driver. Each tick reads the host's process table once
 * (/proc/<pid>/stat of every process: one small read each) and attributes processes to servers by
 * session; a server's usage is the sum over its processes. Between full ticks, servers close to
 * their memory limit are re-checked more often by re-reading only their known processes, so a fast
 * allocator is caught sooner without scanning the whole table more often. The timer runs only
 * while there is something to sample and never keeps the agent alive.
 */
export class UsageSampler {
  readonly #options: Required<Omit<UsageSamplerOptions, "now">> & { now: () => number };
  readonly #known = new Map<string, Known>();
  #timer: NodeJS.Timeout | null = null;
  #lastFullAtMs = -Infinity;

  constructor(options: UsageSamplerOptions) {
    this.#options = {
      intervalMs: 250,
      hotIntervalMs: 50,
      hotFraction: 0.5,
      now: () => performance.now(),
      ...options,
    };
  }

  /** The latest usage of a server, or null before its first sample. */
  usage(serverId: string): ServerUsage | null {
    return this.#known.get(serverId)?.usage ?? null;
  }

  /** (Re)arms the timer; call when a server starts. */
  wake(): void {
    if (this.#timer === null) this.#schedule(0);
  }

  /** Drops what is known about a server (its processes are gone). */
  forget(serverId: string): void {
    this.#known.delete(serverId);
  }

  /** Samples every target now (a full scan), outside the timer. */
  sampleNow(): void {
    this.#full(this.#options.targets());
  }

  /** The processes found for a server at its latest sample (they may have exited since). */
  knownMembers(serverId: string): readonly ProcStat[] {
    return this.#known.get(serverId)?.members ?? [];
  }

  /** The processes of one server right now, from a fresh scan (for killing a whole tree). */
  membersNow(sessions: readonly number[]): ProcStat[] {
    const key = "\0members";
    return groupProcesses(this.#options.reader.all(), new Map([[key, sessions]])).get(key) ?? [];
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => this.#tick(), delayMs);
    this.#timer.unref();
  }

  #tick(): void {
    this.#timer = null;
    const targets = this.#options.targets();
    if (targets.size === 0) {
      this.#known.clear();
      return;
    }
    const now = this.#options.now();
    if (now - this.#lastFullAtMs >= this.#options.intervalMs - 1) this.#full(targets);
    else this.#hot(targets);
    const hot = this.#hotIds(targets).length > 0;
    const sinceFull = this.#options.now() - this.#lastFullAtMs;
    const untilFull = Math.max(0, this.#options.intervalMs - sinceFull);
    this.#schedule(hot ? Math.min(this.#options.hotIntervalMs, untilFull) : untilFull);
  }

  #full(targets: ReadonlyMap<string, SampleTarget>): void {
    const { reader } = this.#options;
    const atMs = this.#options.now();
    this.#lastFullAtMs = atMs;
    const sessions = new Map<string, readonly number[]>();
    for (const [id, target] of targets) sessions.set(id, target.sessions);
    const snapshot = reader.all();
    const groups = groupProcesses(snapshot, sessions);
    for (const id of this.#known.keys()) if (!targets.has(id)) this.#known.delete(id);
    keepKnownMembers(snapshot, groups, this.#known);
    for (const [id, members] of groups) {
      let known = this.#known.get(id);
      const total = sumUsage(members, reader.pageSize);
      if (!known) {
        known = { members, cpu: new CpuWindow(), usage: { ...total, cpuPercent: 0, atMs } };
        this.#known.set(id, known);
      }
      known.members = members;
      known.cpu.add(atMs, total.cpuTicks);
      known.usage = { ...total, cpuPercent: known.cpu.percent(), atMs };
      this.#options.onUsage(id, known.usage);
    }
  }

  #hot(targets: ReadonlyMap<string, SampleTarget>): void {
    const { reader } = this.#options;
    for (const id of this.#hotIds(targets)) {
      const known = this.#known.get(id)!;
      const members: ProcStat[] = [];
      for (const member of known.members) {
        const fresh = reader.one(member.pid);
        // Same pid and start time: the same process (not a reused pid).
        if (fresh && fresh.startTicks === member.startTicks) members.push(fresh);
      }
      const total = sumUsage(members, reader.pageSize);
      // CPU stays as of the last full sample; only memory is re-checked here.
      known.usage = { ...total, cpuPercent: known.usage.cpuPercent, atMs: this.#options.now() };
      this.#options.onUsage(id, known.usage);
    }
  }

  #hotIds(targets: ReadonlyMap<string, SampleTarget>): string[] {
    const ids: string[] = [];
    for (const [id, target] of targets) {
      const known = this.#known.get(id);
      if (!known || target.memoryLimitBytes <= 0) continue;
      if (known.usage.rssBytes >= target.memoryLimitBytes * this.#options.hotFraction) ids.push(id);
    }
    return ids;
  }
}

/**
 * A process once found in a server's tree stays the server's while it lives (same pid and start
 * time), even after its parent exited and it was re-parented outside the tree: this is how a
 * double-forked daemon that also left the session is still counted, and still killed.
 */
function keepKnownMembers(
  snapshot: readonly ProcStat[],
  groups: Map<string, ProcStat[]>,
  known: ReadonlyMap<string, Pick<Known, "members">>,
): void {
  const claimed = new Set<number>();
  for (const members of groups.values()) for (const member of members) claimed.add(member.pid);
  let byPid: Map<number, ProcStat> | null = null;
  for (const [id, members] of groups) {
    const previous = known.get(id)?.members;
    if (!previous) continue;
    for (const old of previous) {
      if (claimed.has(old.pid)) continue;
      byPid ??= new Map(snapshot.map((stat) => [stat.pid, stat]));
      const fresh = byPid.get(old.pid);
      if (!fresh || fresh.startTicks !== old.startTicks) continue;
      claimed.add(fresh.pid);
      members.push(fresh);
    }
  }
}
