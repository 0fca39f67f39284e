import type { FileEntry } from "@berth/protocol";
import { describe, expect, it } from "vitest";
import { nextSort, sortEntries } from "./sort-entries";

const entry = (name: string, type: FileEntry["type"], size = 0, mtimeMs = 0): FileEntry => ({
  name,
  type,
  size,
  mtimeMs,
  mode: 0o644,
});

const entries = [
  entry("server.properties", "file", 1200, 30),
  entry("world", "dir", 0, 10),
  entry("logs", "dir", 0, 50),
  entry("file10.txt", "file", 5, 20),
  entry("file9.txt", "file", 5, 40),
  entry("Banned-players.json", "file", 2, 60),
];
const names = (list: FileEntry[]) => list.map((e) => e.name);

describe("sortEntries", () => {
  it("puts folders first and sorts names naturally, ignoring case", () => {
    expect(names(sortEntries(entries, { key: "name", dir: "asc" }))).toEqual([
      "logs",
      "world",
      "Banned-players.json",
      "file9.txt",
      "file10.txt",
      "server.properties",
    ]);
  });
  it("keeps folders first when descending", () => {
    expect(names(sortEntries(entries, { key: "name", dir: "desc" })).slice(0, 2)).toEqual([
      "world",
      "logs",
    ]);
  });
  it("sorts by size with the name breaking ties", () => {
    expect(names(sortEntries(entries, { key: "size", dir: "desc" })).slice(2)).toEqual([
      "server.properties",
      "file9.txt",
      "file10.txt",
      "Banned-players.json",
    ]);
  });
  it("sorts by modification time", () => {
    expect(names(sortEntries(entries, { key: "mtime", dir: "asc" }))).toEqual([
      "world",
      "logs",
      "file10.txt",
      "server.properties",
      "file9.txt",
      "Banned-players.json",
    ]);
  });
  it("does not change its input", () => {
    const copy = [...entries];
    sortEntries(entries, { key: "size", dir: "asc" });
    expect(entries).toEqual(copy);
  });
});

describe("nextSort", () => {
  it("flips the same column and starts a new one ascending (dates newest first)", () => {
    expect(nextSort({ key: "name", dir: "asc" }, "name")).toEqual({ key: "name", dir: "desc" });
    expect(nextSort({ key: "name", dir: "desc" }, "size")).toEqual({ key: "size", dir: "asc" });
    expect(nextSort({ key: "name", dir: "asc" }, "mtime")).toEqual({ key: "mtime", dir: "desc" });
  });
});
