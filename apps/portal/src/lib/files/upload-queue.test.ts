import { describe, expect, it } from "vitest";
import {
  nextToStart,
  percentOf,
  uploadId,
  uploadsReducer,
  uploadTotals,
  type UploadItem,
} from "./upload-queue";

const add = (items: UploadItem[], ...files: Array<[string, number]>) =>
  uploadsReducer(items, {
    type: "add",
    items: files.map(([path, size]) => ({ id: path, name: path.split("/").pop()!, path, size })),
  });

describe("uploadsReducer", () => {
  it("queues dropped files once", () => {
    let items = add([], ["a.txt", 10], ["world/b.dat", 30]);
    items = add(items, ["a.txt", 10]);
    expect(items.map((i) => [i.path, i.status, i.sent])).toEqual([
      ["a.txt", "queued", 0],
      ["world/b.dat", "queued", 0],
    ]);
  });

  it("follows an upload through progress, pause, resume and done", () => {
    let items = add([], ["a.txt", 100]);
    items = uploadsReducer(items, { type: "start", id: "a.txt" });
    items = uploadsReducer(items, { type: "progress", id: "a.txt", sent: 40 });
    expect(items[0]).toMatchObject({ status: "uploading", sent: 40 });
    items = uploadsReducer(items, { type: "pause", id: "a.txt" });
    expect(items[0]!.status).toBe("paused");
    items = uploadsReducer(items, { type: "start", id: "a.txt" });
    items = uploadsReducer(items, { type: "progress", id: "a.txt", sent: 500 });
    expect(items[0]!.sent).toBe(100);
    items = uploadsReducer(items, { type: "done", id: "a.txt" });
    expect(items[0]).toMatchObject({ status: "done", sent: 100 });
    // A late progress event does not undo "done".
    items = uploadsReducer(items, { type: "progress", id: "a.txt", sent: 10 });
    expect(items[0]!.sent).toBe(100);
  });

  it("records where a resumed upload continued and the error of a failed one", () => {
    let items = add([], ["big.bin", 1000]);
    items = uploadsReducer(items, { type: "resumed", id: "big.bin", offset: 600 });
    expect(items[0]).toMatchObject({ resumedFrom: 600, sent: 600 });
    items = uploadsReducer(items, { type: "fail", id: "big.bin", error: "Quota exceeded" });
    expect(items[0]).toMatchObject({ status: "error", error: "Quota exceeded" });
    items = uploadsReducer(items, { type: "start", id: "big.bin" });
    expect(items[0]).toMatchObject({ status: "uploading", error: null });
  });

  it("clears finished uploads and dismisses one", () => {
    let items = add([], ["a", 1], ["b", 1], ["c", 1]);
    items = uploadsReducer(items, { type: "done", id: "a" });
    items = uploadsReducer(items, { type: "clear-finished" });
    items = uploadsReducer(items, { type: "dismiss", id: "c" });
    expect(items.map((i) => i.path)).toEqual(["b"]);
  });
});

describe("uploadTotals", () => {
  it("sums bytes and counts states", () => {
    let items = add([], ["a", 100], ["b", 300], ["c", 0]);
    items = uploadsReducer(items, { type: "progress", id: "a", sent: 100 });
    items = uploadsReducer(items, { type: "done", id: "a" });
    items = uploadsReducer(items, { type: "start", id: "b" });
    items = uploadsReducer(items, { type: "progress", id: "b", sent: 100 });
    items = uploadsReducer(items, { type: "fail", id: "c", error: "x" });
    expect(uploadTotals(items)).toEqual({
      sent: 200,
      total: 400,
      percent: 50,
      active: 1,
      done: 1,
      failed: 1,
    });
    expect(uploadTotals([]).percent).toBe(100);
  });
});

describe("percentOf", () => {
  it("reaches 100 only when complete", () => {
    expect(percentOf(999, 1000)).toBe(99);
    expect(percentOf(1000, 1000)).toBe(100);
    expect(percentOf(0, 0)).toBe(100);
    expect(percentOf(1, 3)).toBe(33);
  });
});

describe("nextToStart and uploadId", () => {
  it("starts queued uploads in order up to the parallel limit", () => {
    let items = add([], ["a", 1], ["b", 1], ["c", 1], ["d", 1]);
    items = uploadsReducer(items, { type: "start", id: "a" });
    items = uploadsReducer(items, { type: "pause", id: "b" });
    expect(nextToStart(items, 2)).toEqual(["c"]);
    expect(nextToStart(items, 1)).toEqual([]);
  });
  it("names the same file to the same place the same way", () => {
    expect(uploadId("s1", "mods/x.jar", 10, 5)).toBe(uploadId("s1", "mods/x.jar", 10, 5));
    expect(uploadId("s1", "mods/x.jar", 10, 5)).not.toBe(uploadId("s2", "mods/x.jar", 10, 5));
  });
});
