import { describe, expect, it } from "vitest";
import {
  walkEntries,
  type DirectoryEntryLike,
  type EntryLike,
  type FileEntryLike,
} from "./dropped-files";

const file = (name: string): FileEntryLike => ({
  isFile: true,
  isDirectory: false,
  name,
  file: (success) => success(new File([name], name)),
});

/** Hands its children out in batches of two, as real readers hand out batches. */
const dir = (name: string, children: EntryLike[]): DirectoryEntryLike => ({
  isFile: false,
  isDirectory: true,
  name,
  createReader: () => {
    let offset = 0;
    return {
      readEntries: (success) => {
        const batch = children.slice(offset, offset + 2);
        offset += batch.length;
        success(batch);
      },
    };
  },
});

describe("walkEntries", () => {
  it("keeps the paths of files in dropped folders, reading every batch", async () => {
    const dropped = await walkEntries([
      file("a.txt"),
      dir("world", [file("level.dat"), dir("region", [file("r.0.0.mca")]), file("x"), file("y")]),
    ]);
    expect(dropped.map((d) => d.relativePath)).toEqual([
      "a.txt",
      "world/level.dat",
      "world/region/r.0.0.mca",
      "world/x",
      "world/y",
    ]);
    expect(dropped[0]!.file.name).toBe("a.txt");
  });

  it("stops at the limit", async () => {
    const many = dir(
      "many",
      Array.from({ length: 10 }, (_, i) => file(`f${i}`)),
    );
    expect(await walkEntries([many], 3)).toHaveLength(3);
  });

  it("drops an empty folder without error", async () => {
    expect(await walkEntries([dir("empty", [])])).toEqual([]);
  });
});
