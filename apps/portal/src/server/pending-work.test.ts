import { describe, expect, it } from "vitest";
import { PendingWork } from "./pending-work";

describe("PendingWork", () => {
  it("waits for tracked work, failed work and work started meanwhile", async () => {
    const work = new PendingWork();
    const done: string[] = [];
    const later = (name: string, ms: number, fail = false) =>
      new Promise<void>((resolve, reject) =>
        setTimeout(() => {
          done.push(name);
          if (fail) reject(new Error(name));
          else resolve();
        }, ms),
      );
    work.track(later("a", 10)).then(() => void work.track(later("c", 10)));
    work.track(later("b", 5, true)).catch(() => undefined);
    await work.idle();
    expect(done).toEqual(["b", "a", "c"]);
    await work.idle();
  });
});
