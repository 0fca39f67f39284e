import { describe, expect, it } from "vitest";
import { ArchivePolicy, type ArchiveEntryHeader } from "./archive-policy";

function verdict(entries: ArchiveEntryHeader[]): string {
  const policy = new ArchivePolicy();
  try {
    for (const entry of entries) policy.check(entry);
    policy.finish();
    return "ok";
  } catch (error) {
    return (error as Error).message;
  }
}

const file = (path: string, size = 1): ArchiveEntryHeader => ({ path, type: "File", size });
const dir = (path: string): ArchiveEntryHeader => ({ path, type: "Directory" });
const symlink = (path: string, linkpath: string): ArchiveEntryHeader => ({
  path,
  type: "SymbolicLink",
  linkpath,
});
const hardlink = (path: string, linkpath: string): ArchiveEntryHeader => ({
  path,
  type: "Link",
  linkpath,
});

describe("ArchivePolicy", () => {
  it("accepts an ordinary runtime tarball", () => {
    expect(
      verdict([
        dir("./"),
        dir("./bin/"),
        file("./bin/node"),
        dir("lib/node_modules/npm/bin"),
        file("lib/node_modules/npm/bin/npm-cli.js"),
        symlink("bin/npm", "../lib/node_modules/npm/bin/npm-cli.js"),
        symlink("bin/nodejs", "node"),
        symlink("lib/current", "."),
        hardlink("bin/node2", "bin/node"),
        symlink("dangling", "does/not/exist"),
      ]),
    ).toBe("ok");
  });

  it.each([
    ["/etc/passwd", "absolute path"],
    ["C:/Windows/evil", "absolute path"],
    ["../evil", "contains '..'"],
    ["bin/../../evil", "contains '..'"],
    ["a/b/..", "contains '..'"],
    ["bad\0name", "NUL"],
  ])("refuses the entry name %j", (name, reason) => {
    expect(verdict([file(name)])).toContain(reason);
  });

  it.each(["CharacterDevice", "BlockDevice", "FIFO", "SomethingNew"])(
    "refuses %s entries",
    (type) => {
      expect(verdict([{ path: "dev/thing", type }])).toContain(`entry type ${type} is not allowed`);
    },
  );

  it.each([
    [[symlink("bin/x", "/etc/passwd")], "symlink to an absolute path"],
    [[symlink("bin/x", "../../etc/passwd")], "points outside"],
    [[symlink("up", "..")], "points outside"],
    [[dir("a/b"), symlink("a/b/up", "../../..")], "points outside"],
    // Each link alone stays inside; followed through each other they leave.
    [[dir("x/y"), symlink("x/y/a", ".."), symlink("x/y/l", "a/../..")], "points outside"],
    // Declared in the other order: caught once the whole archive is known.
    [[dir("x/y"), symlink("x/y/l", "a/../.."), symlink("x/y/a", "..")], "points outside"],
    [[symlink("a", "b"), symlink("b", "a")], "symlink loop"],
  ])("refuses escaping symlinks %#", (entries, reason) => {
    expect(verdict(entries as ArchiveEntryHeader[])).toContain(reason);
  });

  it("refuses entries written through a symlink, in either order", () => {
    expect(verdict([symlink("lib", "."), file("lib/evil")])).toContain("through the symlink lib");
    expect(verdict([dir("lib"), file("lib/x"), symlink("lib", "other")])).toContain(
      "through the symlink lib",
    );
  });

  it("refuses hardlinks that leave the root or copy a symlink", () => {
    expect(verdict([hardlink("x", "/etc/shadow")])).toContain("absolute hardlink target");
    expect(verdict([hardlink("x", "../outside")])).toContain("contains '..'");
    expect(verdict([symlink("s", "."), hardlink("x", "s/y")])).toContain("through the symlink s");
    expect(verdict([dir("d"), symlink("d/s", "../t"), hardlink("top", "d/s")])).toContain(
      "hardlink to a symlink",
    );
  });

  it("refuses a non-folder entry replacing the root", () => {
    expect(verdict([file("./")])).toContain("root must be a folder");
    expect(verdict([symlink(".", "/")])).toContain("root must be a folder");
  });

  it("enforces the extracted size and entry count limits", () => {
    const small = new ArchivePolicy({ maxExtractedBytes: 10, maxEntries: 3 });
    small.check(file("a", 6));
    expect(() => small.check(file("b", 6))).toThrow("extracted size exceeds 10 bytes");
    const few = new ArchivePolicy({ maxExtractedBytes: 100, maxEntries: 2 });
    few.check(dir("a"));
    few.check(dir("b"));
    expect(() => few.check(dir("c"))).toThrow("more than 2 entries");
  });
});
