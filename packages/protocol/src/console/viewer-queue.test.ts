import { describe, expect, it } from "vitest";
import { ViewerQueue } from "./viewer-queue";

const frame = (i: number, data = `f${i}`) => ({ fromSeq: i * 10, toSeq: i * 10 + 10, data });

describe("ViewerQueue", () => {
  it("hands frames out in order", () => {
    const queue = new ViewerQueue();
    queue.push(frame(0));
    queue.push(frame(1));
    expect(queue.take(1)).toEqual([frame(0)]);
    expect(queue.take()).toEqual([frame(1)]);
    expect(queue.take()).toEqual([]);
    expect(queue.bytes).toBe(0);
  });

  it("drops the oldest frames past the frame limit and counts them", () => {
    const queue = new ViewerQueue({ maxFrames: 3 });
    for (let i = 0; i < 10; i++) queue.push(frame(i));
    expect(queue.length).toBe(3);
    expect(queue.droppedFrames).toBe(7);
    expect(queue.take().map((f) => f.data)).toEqual(["f7", "f8", "f9"]);
  });

  it("stays under its byte limit and drops a frame larger than the limit", () => {
    const queue = new ViewerQueue({ maxBytes: 100 });
    for (let i = 0; i < 1000; i++) {
      queue.push(frame(i, "x".repeat(30)));
      expect(queue.bytes).toBeLessThanOrEqual(100);
    }
    expect(queue.length).toBe(3);
    queue.push(frame(2000, "y".repeat(101)));
    expect(queue.take().map((f) => f.data.length)).toEqual([30, 30, 30]);
    expect(queue.droppedFrames).toBe(998);
    expect(queue.droppedBytes).toBe(997 * 30 + 101);
  });

  it("counts bytes as UTF-8", () => {
    const queue = new ViewerQueue();
    queue.push(frame(0, "€"));
    expect(queue.bytes).toBe(3);
  });
});
