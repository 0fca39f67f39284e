import { describe, expect, it } from "vitest";
import { allocatePorts, chooseNode } from "./placement";

describe("chooseNode", () => {
  const nodes = [
    { id: "a", name: "a", memoryMb: 8192, allocatedMb: 6144 },
    { id: "b", name: "b", memoryMb: 4096, allocatedMb: 0 },
    { id: "c", name: "c", memoryMb: 16384, allocatedMb: 15360 },
  ];

  it("picks the node with the most free memory that fits", () => {
    expect(chooseNode(nodes, 1024)?.id).toBe("b");
    expect(chooseNode(nodes, 4096)?.id).toBe("b");
  });

  it("returns null when nothing fits", () => {
    expect(chooseNode(nodes, 4097)).toBeNull();
    expect(chooseNode([], 1)).toBeNull();
  });
});

describe("allocatePorts", () => {
  it("takes the lowest free ports of the range", () => {
    expect(allocatePorts({ start: 25565, end: 25570 }, new Set([25565, 25567]), 2)).toEqual([
      25566, 25568,
    ]);
  });

  it("returns null when the range cannot supply enough", () => {
    expect(allocatePorts({ start: 1, end: 3 }, new Set([1, 2]), 2)).toBeNull();
  });

  it("allocates nothing for a template without ports", () => {
    expect(allocatePorts({ start: 1, end: 1 }, new Set([1]), 0)).toEqual([]);
  });
});
