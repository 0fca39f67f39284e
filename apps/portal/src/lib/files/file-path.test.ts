import { describe, expect, it } from "vitest";
import { baseName, breadcrumbs, joinPath, moveTarget, nameProblem, parentPath } from "./file-path";

describe("joinPath", () => {
  it("joins parts without doubled, leading or trailing slashes", () => {
    expect(joinPath("", "world/", "/region", "r.0.0.mca")).toBe("world/region/r.0.0.mca");
    expect(joinPath("")).toBe("");
    expect(joinPath("/", "./a", ".")).toBe("a");
  });
});

describe("parentPath and baseName", () => {
  it("split a path at its last segment", () => {
    expect(parentPath("world/region/r.mca")).toBe("world/region");
    expect(parentPath("server.properties")).toBe("");
    expect(parentPath("")).toBe("");
    expect(baseName("world/region/r.mca")).toBe("r.mca");
    expect(baseName("world/")).toBe("world");
    expect(baseName("")).toBe("");
  });
});

describe("breadcrumbs", () => {
  it("starts at the server folder and opens every folder on the way", () => {
    expect(breadcrumbs("world/region")).toEqual([
      { label: "Server folder", path: "" },
      { label: "world", path: "world" },
      { label: "region", path: "world/region" },
    ]);
    expect(breadcrumbs("", "Files")).toEqual([{ label: "Files", path: "" }]);
    expect(breadcrumbs("/a//b/")).toHaveLength(3);
  });
});

describe("nameProblem", () => {
  it("refuses empty, reserved, slashed and overlong names", () => {
    expect(nameProblem("ops.json")).toBeNull();
    expect(nameProblem("  ")).toMatch(/required/);
    expect(nameProblem("..")).toMatch(/reserved/);
    expect(nameProblem("a/b")).toMatch(/\//);
    expect(nameProblem("é".repeat(128))).toMatch(/too long/);
    expect(nameProblem("é".repeat(127))).toBeNull();
  });
});

describe("moveTarget", () => {
  it("puts the entry under the destination folder", () => {
    expect(moveTarget("world/a.txt", "/backups/")).toBe("backups/a.txt");
    expect(moveTarget("a.txt", "")).toBe("a.txt");
  });
  it("refuses a move into the entry itself or below it", () => {
    expect(moveTarget("world", "world")).toBeNull();
    expect(moveTarget("world", "world/region")).toBeNull();
    expect(moveTarget("world", "worlds")).toBe("worlds/world");
  });
});
