import { describe, expect, it } from "vitest";
import { settle } from "./fake-clock";
import { PowerQueue, type Job } from "./power-queue";

type Kind = "start" | "stop" | "kill";

function makeQueue(maxWaiting?: number) {
  return new PowerQueue<Kind, string>({
    cancelled: (kind, reason) => `${kind} cancelled ${reason}`,
    failed: (kind, error) => `${kind} failed: ${(error as Error).message}`,
    full: (kind) => `${kind} refused: full`,
    ...(maxWaiting ? { maxWaiting } : {}),
  });
}

/** A job the test finishes by hand; it records when it ran and what signal it got. */
function manualJob(name: string, log: string[]) {
  let finish!: (result: string) => void;
  const state: { signal?: AbortSignal; abandoned?: Promise<void> } = {};
  const job: Job<string> = (signal, abandoned) => {
    log.push(`${name} began`);
    state.signal = signal;
    state.abandoned = abandoned;
    return new Promise<string>((resolve) => {
      finish = (result) => {
        log.push(`${name} ended`);
        resolve(result);
      };
      signal.addEventListener("abort", () => log.push(`${name} aborted`));
    });
  };
  return { job, finish: (result = `${name} ok`) => finish(result), state };
}

describe("PowerQueue", () => {
  it("runs actions one at a time, in arrival order", async () => {
    const queue = makeQueue();
    const log: string[] = [];
    const a = manualJob("a", log);
    const b = manualJob("b", log);
    const c = manualJob("c", log);
    const pa = queue.enqueue("start", a.job);
    const pb = queue.enqueue("stop", b.job);
    const pc = queue.enqueue("start", c.job);
    await settle();
    expect(log).toEqual(["a began"]);
    expect(queue.running).toEqual(["start"]);
    expect(queue.queued).toEqual(["stop", "start"]);
    a.finish();
    await settle();
    expect(log).toEqual(["a began", "a ended", "b began"]);
    b.finish();
    await settle();
    c.finish();
    expect(await Promise.all([pa, pb, pc])).toEqual(["a ok", "b ok", "c ok"]);
    expect(log).toEqual(["a began", "a ended", "b began", "b ended", "c began", "c ended"]);
  });

  it("coalesces a request with an identical one waiting at the tail of the queue", async () => {
    const queue = makeQueue();
    const log: string[] = [];
    const a = manualJob("a", log);
    const b = manualJob("b", log);
    const b2 = manualJob("b2", log);
    void queue.enqueue("stop", a.job);
    const pb = queue.enqueue("start", b.job);
    const pb2 = queue.enqueue("start", b2.job);
    expect(pb2).toBe(pb);
    expect(queue.queued).toEqual(["start"]);
    a.finish();
    await settle();
    b.finish();
    expect(await pb2).toBe("b ok");
    expect(log).not.toContain("b2 began");
  });

  it("does not coalesce with the running action or across a different kind", async () => {
    const queue = makeQueue();
    const log: string[] = [];
    const jobs = ["a", "b", "c", "d"].map((n) => manualJob(n, log));
    const pa = queue.enqueue("stop", jobs[0]!.job);
    const pb = queue.enqueue("stop", jobs[1]!.job);
    const pc = queue.enqueue("start", jobs[2]!.job);
    const pd = queue.enqueue("stop", jobs[3]!.job);
    expect(new Set([pa, pb, pc, pd]).size).toBe(4);
    expect(queue.queued).toEqual(["stop", "start", "stop"]);
    for (const j of jobs) {
      await settle();
      j.finish();
    }
    expect(await Promise.all([pa, pb, pc, pd])).toEqual(["a ok", "b ok", "c ok", "d ok"]);
  });

  it("refuses new actions while the queue is full, but still coalesces", async () => {
    const queue = makeQueue(2);
    const log: string[] = [];
    const a = manualJob("a", log);
    void queue.enqueue("start", a.job);
    void queue.enqueue("stop", async () => "b");
    const c = queue.enqueue("start", async () => "c");
    expect(await queue.enqueue("stop", async () => "d")).toBe("stop refused: full");
    expect(queue.enqueue("start", async () => "c2")).toBe(c);
    a.finish();
    expect(await c).toBe("c");
    expect(await queue.enqueue("stop", async () => "e")).toBe("e");
  });

  it("preempt aborts the running action, cancels the queued ones and runs at once", async () => {
    const queue = makeQueue();
    const log: string[] = [];
    const stop = manualJob("stop", log);
    const start = manualJob("start", log);
    const kill = manualJob("kill", log);
    const pStop = queue.enqueue("stop", stop.job);
    const pStart = queue.enqueue("start", start.job);
    await settle();
    const pKill = queue.preempt("kill", kill.job);
    expect(log).toEqual(["stop began", "stop aborted", "kill began"]);
    expect(stop.state.signal?.reason).toBe("by a kill");
    expect(await pStart).toBe("start cancelled by a kill");

    let abandonedSettled = false;
    void kill.state.abandoned!.then(() => (abandonedSettled = true));
    await settle();
    expect(abandonedSettled).toBe(false);
    stop.finish("stop interrupted");
    await settle();
    expect(abandonedSettled).toBe(true);
    kill.finish();
    expect(await pStop).toBe("stop interrupted");
    expect(await pKill).toBe("kill ok");
    expect(log).not.toContain("start began");
  });

  it("holds later actions until the preempt and the abandoned action are done", async () => {
    const queue = makeQueue();
    const log: string[] = [];
    const stop = manualJob("stop", log);
    const kill = manualJob("kill", log);
    const start = manualJob("start", log);
    void queue.enqueue("stop", stop.job);
    await settle();
    void queue.preempt("kill", kill.job);
    const pStart = queue.enqueue("start", start.job);
    kill.finish();
    await settle();
    expect(log).not.toContain("start began");
    stop.finish();
    await settle();
    expect(log.at(-1)).toBe("start began");
    start.finish();
    expect(await pStart).toBe("start ok");
  });

  it("shares the result of a preempt that is already running", async () => {
    const queue = makeQueue();
    const log: string[] = [];
    const kill = manualJob("kill", log);
    const kill2 = manualJob("kill2", log);
    const first = queue.preempt("kill", kill.job);
    const second = queue.preempt("kill", kill2.job);
    expect(second).toBe(first);
    kill.finish();
    expect(await second).toBe("kill ok");
    expect(log).not.toContain("kill2 began");
  });

  it("settles a throwing job with the failed result and carries on", async () => {
    const queue = makeQueue();
    const throwsAtOnce = queue.enqueue("start", () => {
      throw new Error("boom");
    });
    const rejects = queue.enqueue("stop", async () => {
      throw new Error("later");
    });
    const next = queue.enqueue("start", async () => "fine");
    expect(await throwsAtOnce).toBe("start failed: boom");
    expect(await rejects).toBe("stop failed: later");
    expect(await next).toBe("fine");
  });

  it("close aborts, cancels, and refuses what comes after", async () => {
    const queue = makeQueue();
    const log: string[] = [];
    const a = manualJob("a", log);
    void queue.enqueue("start", a.job);
    const queued = queue.enqueue("stop", async () => "never");
    queue.close("because it closed");
    expect(a.state.signal?.aborted).toBe(true);
    expect(await queued).toBe("stop cancelled because it closed");
    expect(await queue.enqueue("start", async () => "never")).toBe(
      "start cancelled because it closed",
    );
    expect(await queue.preempt("kill", async () => "never")).toBe(
      "kill cancelled because it closed",
    );
  });
});
