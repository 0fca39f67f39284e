import { describe, expect, it } from "vitest";
import { InOrder } from "./in-order";

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("InOrder", () => {
  it("runs one key's work in arrival order even when the first is slower", async () => {
    const order = new InOrder();
    const done: string[] = [];
    await Promise.all([
      order.run("s1", async () => {
        await later(30);
        done.push("starting");
      }),
      order.run("s1", async () => {
        done.push("ready");
      }),
    ]);
    expect(done).toEqual(["starting", "ready"]);
  });

  it("lets other keys through and survives a failure, then forgets idle keys", async () => {
    const order = new InOrder();
    const done: string[] = [];
    const slow = order.run("a", async () => {
      await later(30);
      throw new Error("boom");
    });
    await order.run("b", async () => {
      done.push("b");
    });
    expect(done).toEqual(["b"]);
    await expect(slow).rejects.toThrow("boom");
    await order.run("a", async () => {
      done.push("a");
    });
    expect(done).toEqual(["b", "a"]);
    await later(0);
    expect(order.size).toBe(0);
  });
});
