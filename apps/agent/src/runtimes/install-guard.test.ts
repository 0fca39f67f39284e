import { describe, expect, it } from "vitest";
import { InstallGuard } from "./install-guard";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("InstallGuard", () => {
  it("runs one task for concurrent callers of a key and fans out its progress", async () => {
    const guard = new InstallGuard<string>();
    const gate = deferred<string>();
    let calls = 0;
    const seenA: number[] = [];
    const seenB: number[] = [];
    const task = async (progress: (bytes: number, total: number | undefined) => void) => {
      calls++;
      await Promise.resolve();
      progress(5, 10);
      return gate.promise;
    };

    const a = guard.run("node/20@aa", task, (bytes) => seenA.push(bytes));
    const b = guard.run("node/20@aa", task, (bytes) => seenB.push(bytes));
    expect(guard.running).toEqual(["node/20@aa"]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    gate.resolve("done");

    expect(await Promise.all([a, b])).toEqual(["done", "done"]);
    expect(calls).toBe(1);
    expect(seenA).toEqual([5]);
    expect(seenB).toEqual([5]);
    expect(guard.running).toEqual([]);
  });

  it("runs different keys in parallel", async () => {
    const guard = new InstallGuard<string>();
    const gates = { a: deferred<string>(), b: deferred<string>() };
    const started: string[] = [];
    const a = guard.run("a", async () => {
      started.push("a");
      return gates.a.promise;
    });
    const b = guard.run("b", async () => {
      started.push("b");
      return gates.b.promise;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(started).toEqual(["a", "b"]);
    gates.b.resolve("B");
    expect(await b).toBe("B");
    gates.a.resolve("A");
    expect(await a).toBe("A");
  });

  it("shares a failure, then forgets it so the next call tries again", async () => {
    const guard = new InstallGuard<string>();
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error("sha256 mismatch");
    };
    const results = await Promise.allSettled([guard.run("k", failing), guard.run("k", failing)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(calls).toBe(1);
    expect(await guard.run("k", async () => "ok")).toBe("ok");
  });
});
