import { readFileSync, readdirSync } from "node:fs";
import { endianness } from "node:os";

/**
 * Clock ticks per second of the times in /proc/<pid>/stat. USER_HZ is part of Linux's userspace ABI
 * and is 100 on every architecture Node supports; only sysconf(_SC_CLK_TCK) could say otherwise.
 */
export const USER_HZ = 100;

/** The fields of /proc/<pid>/stat this driver uses (see proc(5)). */
export interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  /** utime + stime + cutime + cstime: own CPU time plus that of reaped children, in clock ticks. */
  cpuTicks: number;
  numThreads: number;
  /** Start time after boot in clock ticks; with the pid it identifies one process across pid reuse. */
  startTicks: number;
  rssPages: number;
}

/** Parses one /proc/<pid>/stat line; null when it is not one. The command name may hold spaces and ")". */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 1 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  // Fields after the command name, numbered from 3 ("state") in proc(5).
  const rest = text.slice(close + 2).split(" ");
  if (!Number.isInteger(pid) || rest.length < 22) return null;
  const field = (n: number) => Number(rest[n - 3]);
  const stat: ProcStat = {
    pid,
    state: rest[0] ?? "?",
    ppid: field(4),
    pgrp: field(5),
    session: field(6),
    cpuTicks: field(14) + field(15) + field(16) + field(17),
    numThreads: field(20),
    startTicks: field(22),
    rssPages: field(24),
  };
  for (const value of Object.values(stat)) {
    if (typeof value === "number" && !Number.isFinite(value)) return null;
  }
  return stat;
}

/** How processes are read; the real one reads /proc, tests may hand in a fake. */
export interface ProcReader {
  /** Every process on the host. */
  all(): ProcStat[];
  /** One process, or null when it is gone. */
  one(pid: number): ProcStat | null;
  pageSize: number;
}

export function createProcReader(procRoot = "/proc"): ProcReader {
  const one = (pid: number): ProcStat | null => {
    try {
      return parseProcStat(readFileSync(`${procRoot}/${pid}/stat`, "latin1"));
    } catch {
      return null;
    }
  };
  return {
    one,
    all() {
      const stats: ProcStat[] = [];
      let names: string[];
      try {
        names = readdirSync(procRoot);
      } catch {
        return stats;
      }
      for (const name of names) {
        const code = name.charCodeAt(0);
        if (code < 48 || code > 57) continue;
        const stat = one(Number(name));
        if (stat) stats.push(stat);
      }
      return stats;
    },
    pageSize: readPageSize(procRoot),
  };
}

/** AT_PAGESZ from the auxiliary vector; /proc reports RSS in pages. */
export function readPageSize(procRoot = "/proc"): number {
  try {
    return pageSizeFromAuxv(readFileSync(`${procRoot}/self/auxv`));
  } catch {
    return 4096;
  }
}

const AT_PAGESZ = 6n;

/** Reads a 64-bit auxv (pairs of native-endian words) for AT_PAGESZ. */
export function pageSizeFromAuxv(auxv: Buffer, order: "LE" | "BE" = endianness()): number {
  const read = (offset: number) =>
    order === "LE" ? auxv.readBigUInt64LE(offset) : auxv.readBigUInt64BE(offset);
  for (let offset = 0; offset + 16 <= auxv.length; offset += 16) {
    const key = read(offset);
    if (key === 0n) break;
    if (key === AT_PAGESZ) return Number(read(offset + 8));
  }
  return 4096;
}
