// Runs file operations as the server's user when the agent is root and the server has an owner
// (Docker: the container's user). Checks and uses of a path are separate system calls, so a process
// inside the server that swaps a folder for a symlink at the right moment could make a root agent
// follow it; done as the server's user, such a race gains nothing the server could not do itself.
// One worker process per owner, started on demand and ended when idle.
import { fork, type ChildProcess } from "node:child_process";
import { chown, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { FileResult, type FileOperation } from "@berth/protocol";
import type { WorkerReply, WorkerRequest } from "./file-worker-main";
import type { FileOwner, FileRoot } from "./file-root";
import { ownerCanReach } from "./owner-reach";
import { runFileOperation } from "./run-file-operation";
import { FileError } from "./server-paths";

const WORKER_BIN = fileURLToPath(new URL("../../bin/berth-file-worker.js", import.meta.url));
const IDLE_MS = 30_000;

interface Worker {
  child: ChildProcess;
  pending: Map<number, { resolve: (r: FileResult) => void; reject: (e: FileError) => void }>;
  idle: NodeJS.Timeout | null;
}

export interface OwnerWorkers {
  run(where: FileRoot, operation: FileOperation): Promise<FileResult>;
  close(): void;
}

export interface OwnerWorkersOptions {
  idleMs?: number;
  /**
   * Told once per root when the server's user cannot reach that root or the worker's own code by
   * name (a folder on the way closed to it): the operations then run in the agent itself.
   */
  onUnreachable?: (info: { root: string; owner: FileOwner }) => void;
}

export function createOwnerWorkers(options: OwnerWorkersOptions = {}): OwnerWorkers {
  const idleMs = options.idleMs ?? IDLE_MS;
  const workers = new Map<string, Worker>();
  const reported = new Set<string>();
  let nextId = 1;

  /** The worker only helps where its user can load its code and reach the server's folder. */
  const workerCanServe = async (where: FileRoot, owner: FileOwner): Promise<boolean> => {
    if ((await ownerCanReach(owner, WORKER_BIN)) && (await ownerCanReach(owner, where.root))) {
      return true;
    }
    if (!reported.has(where.root)) {
      reported.add(where.root);
      options.onUnreachable?.({ root: where.root, owner });
    }
    return false;
  };

  const start = (owner: FileOwner): Worker => {
    const key = `${owner.uid}:${owner.gid}`;
    const child = fork(WORKER_BIN, [], {
      uid: owner.uid,
      gid: owner.gid,
      cwd: "/",
      // Nothing of the agent's environment: other processes of that user could read it.
      env: {
        NODE_ENV: process.env.NODE_ENV ?? "production",
        PATH: process.env.PATH ?? "/usr/bin:/bin",
      },
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    const worker: Worker = { child, pending: new Map(), idle: null };
    child.on("message", (reply: WorkerReply) => {
      const waiting = worker.pending.get(reply.id);
      if (!waiting) return;
      worker.pending.delete(reply.id);
      if (reply.ok) {
        const parsed = FileResult.safeParse(reply.result);
        if (parsed.success) waiting.resolve(parsed.data);
        else waiting.reject(new FileError("INTERNAL", "The file worker sent a malformed answer"));
      } else {
        waiting.reject(new FileError(reply.code, reply.message));
      }
      if (worker.pending.size === 0) arm(key, worker);
    });
    const gone = () => {
      if (workers.get(key) === worker) workers.delete(key);
      for (const waiting of worker.pending.values()) {
        waiting.reject(new FileError("INTERNAL", "The file worker stopped unexpectedly"));
      }
      worker.pending.clear();
    };
    child.on("exit", gone);
    child.on("error", gone);
    workers.set(key, worker);
    return worker;
  };

  const arm = (key: string, worker: Worker) => {
    if (worker.idle) clearTimeout(worker.idle);
    worker.idle = setTimeout(() => {
      if (worker.pending.size > 0) return;
      workers.delete(key);
      worker.child.disconnect();
    }, idleMs);
    worker.idle.unref();
  };

  return {
    async run(where, operation) {
      if (!where.owner || process.getuid?.() !== 0) return runFileOperation(where, operation);
      const owner = where.owner;
      if (!(await workerCanServe(where, owner))) return runFileOperation(where, operation);
      // The scratch folder is out of the server's reach but must be the worker's to write in.
      if (where.scratch) {
        await mkdir(where.scratch, { recursive: true, mode: 0o700 });
        await chown(where.scratch, owner.uid, owner.gid);
      }
      const key = `${owner.uid}:${owner.gid}`;
      const worker = workers.get(key) ?? start(owner);
      if (worker.idle) clearTimeout(worker.idle);
      const id = nextId++;
      const request: WorkerRequest = {
        id,
        where: { root: where.root, ...(where.scratch ? { scratch: where.scratch } : {}) },
        operation,
      };
      return new Promise<FileResult>((resolve, reject) => {
        worker.pending.set(id, { resolve, reject });
        worker.child.send(request, (error) => {
          if (!error) return;
          worker.pending.delete(id);
          reject(new FileError("INTERNAL", "The file worker cannot be reached", { cause: error }));
        });
      });
    },
    close() {
      for (const worker of workers.values()) {
        if (worker.idle) clearTimeout(worker.idle);
        worker.child.kill();
      }
      workers.clear();
    },
  };
}
