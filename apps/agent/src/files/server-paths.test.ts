// Text rules of confinement, and resolution against a real folder with links in and out.
import { mkdir, mkdtemp, realpath, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FILE_NAME_MAX_BYTES, FILE_PATH_MAX_BYTES } from "@berth/protocol";
import { FileError, isInside, pathSegments, resolveEntry, resolveInside } from "./server-paths";

const refusal = (userPath: string): string => {
  try {
    pathSegments(userPath);
  } catch (error) {
    expect(error).toBeInstanceOf(FileError);
    return (error as FileError).message;
  }
  throw new Error(`accepted ${JSON.stringify(userPath)}`);
};

describe("pathSegments", () => {
  it("splits on / only, dropping empty and . segments", () => {
    expect(pathSegments("")).toEqual([]);
    expect(pathSegments(".")).toEqual([]);
    expect(pathSegments("./world//region/./r.0.0.mca/")).toEqual(["world", "region", "r.0.0.mca"]);
  });

  it("keeps look-alikes and encoded forms as literal names, never decoding them", () => {
    expect(pathSegments("..\u2215..\u2215etc")).toEqual(["..\u2215..\u2215etc"]);
    expect(pathSegments("\uff0e\uff0e/\uff0f")).toEqual(["\uff0e\uff0e", "\uff0f"]);
    expect(pathSegments("%2e%2e/%2e%2e%2fetc")).toEqual(["%2e%2e", "%2e%2e%2fetc"]);
    expect(pathSegments("%252e%252e")).toEqual(["%252e%252e"]);
    expect(pathSegments("...")).toEqual(["..."]);
    expect(pathSegments("..a/a..")).toEqual(["..a", "a.."]);
  });

  it("refuses .., absolute paths, backslashes, control characters and broken text", () => {
    expect(refusal("..")).toBe("A path cannot go up with ..");
    expect(refusal("a/../../b")).toBe("A path cannot go up with ..");
    expect(refusal("/etc/passwd")).toBe("Paths are relative to the server's folder, not absolute");
    expect(refusal("..\\..\\x")).toBe("Use / to separate folders");
    expect(refusal("a\0b")).toBe("A path cannot contain NUL bytes");
    expect(refusal("a\u001bb")).toBe("A path cannot contain control characters");
    expect(refusal("a\u007f")).toBe("A path cannot contain control characters");
    expect(refusal("a\u0085")).toBe("A path cannot contain control characters");
    expect(refusal("a\ud800b")).toBe("A path must be valid Unicode text");
    expect(pathSegments("\ud83d\ude00")).toEqual(["\ud83d\ude00"]);
  });

  it("refuses names and paths longer than Linux takes, in bytes", () => {
    expect(pathSegments("a".repeat(FILE_NAME_MAX_BYTES))).toHaveLength(1);
    expect(refusal("a".repeat(FILE_NAME_MAX_BYTES + 1))).toBe(
      `A name can be at most ${FILE_NAME_MAX_BYTES} bytes long`,
    );
    expect(refusal("\u00e9".repeat(128))).toMatch(/^A name can be at most/);
    expect(refusal("a/".repeat(FILE_PATH_MAX_BYTES / 2 + 1))).toBe(
      `A path can be at most ${FILE_PATH_MAX_BYTES} bytes long`,
    );
  });
});

describe("resolveInside and resolveEntry", () => {
  let sandbox: string;
  let root: string;
  beforeAll(async () => {
    sandbox = await realpath(await mkdtemp(path.join(os.tmpdir(), "berth-paths-")));
    root = path.join(sandbox, "data");
    await mkdir(path.join(root, "sub"), { recursive: true });
    await mkdir(path.join(sandbox, "outside"));
    await symlink("sub", path.join(root, "in"));
    await symlink("../outside", path.join(root, "out"));
    await symlink("out", path.join(root, "via"));
    await symlink("../outside/missing", path.join(root, "dangling"));
  });
  afterAll(() => rm(sandbox, { recursive: true, force: true }));

  it("follows links that stay inside and names what does not exist yet", async () => {
    expect(await resolveInside(root, "in/new/file")).toEqual({
      absolute: path.join(root, "sub", "new", "file"),
      relative: "sub/new/file",
    });
    expect(await resolveInside(root, "")).toEqual({ absolute: root, relative: "" });
  });

  it("refuses links that lead out, directly, through another link, or dangling", async () => {
    for (const userPath of ["out", "out/x", "via/x", "dangling"]) {
      await expect(resolveInside(root, userPath)).rejects.toMatchObject({
        code: "FORBIDDEN",
        message: `${userPath.split("/")[0]} leads outside the server's folder`,
      });
    }
  });

  it("names a link itself with resolveEntry, but never what is below a link out", async () => {
    expect(await resolveEntry(root, "out")).toEqual({
      absolute: path.join(root, "out"),
      relative: "out",
    });
    expect(await resolveEntry(root, "in/x")).toMatchObject({ relative: "sub/x" });
    await expect(resolveEntry(root, "out/x")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(resolveEntry(root, "")).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("isInside compares whole segments", () => {
    expect(isInside("/a/b", "/a/b")).toBe(true);
    expect(isInside("/a/b", "/a/b/..c")).toBe(true);
    expect(isInside("/a/b", "/a/bc")).toBe(false);
    expect(isInside("/a/b", "/a")).toBe(false);
  });
});
