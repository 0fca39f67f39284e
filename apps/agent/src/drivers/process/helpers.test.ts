import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CpuWindow } from "./cpu-window";
import { execCwd, isSameUser, terminalSize } from "./exec-options";
import { resolveExecutable } from "./resolve-executable";
import { exitInfoFromPty, signalName } from "./signals";

describe("CpuWindow", () => {
  it("reports ticks over the window as percent of a core", () => {
    const cpu = new CpuWindow(1000);
    expect(cpu.percent()).toBe(0);
    cpu.add(0, 0);
    cpu.add(500, 25);
    expect(cpu.percent()).toBeCloseTo(50);
    cpu.add(1000, 150);
    expect(cpu.percent()).toBeCloseTo(150);
    cpu.add(1500, 150);
    expect(cpu.percent()).toBeCloseTo(125); // 125 ticks over the last 1000 ms
  });

  it("never goes negative when ticks vanish", () => {
    const cpu = new CpuWindow();
    cpu.add(0, 100);
    cpu.add(500, 10);
    expect(cpu.percent()).toBe(0);
  });
});

describe("signals", () => {
  it("names signals and reports signalled exits the shell's way", () => {
    expect(signalName(9)).toBe("SIGKILL");
    expect(signalName(0)).toBeNull();
    expect(exitInfoFromPty(0, 15, false)).toEqual({
      exitCode: 143,
      signal: "SIGTERM",
      oomKilled: false,
    });
    expect(exitInfoFromPty(3, 0, false)).toEqual({ exitCode: 3, signal: null, oomKilled: false });
    expect(exitInfoFromPty(0, 9, true)).toEqual({
      exitCode: 137,
      signal: "SIGKILL",
      oomKilled: true,
    });
  });
});

describe("exec options", () => {
  const spec = { dataDir: "/srv/berth/s1", workdir: "/data" };

  it("maps container paths into the data folder", () => {
    expect(execCwd(spec)).toBe("/srv/berth/s1");
    expect(execCwd(spec, "/data")).toBe("/srv/berth/s1");
    expect(execCwd(spec, "/data/world")).toBe("/srv/berth/s1/world");
    expect(execCwd(spec, "logs")).toBe("/srv/berth/s1/logs");
    expect(execCwd(spec, "/database")).toBe("/database");
    expect(execCwd(spec, "/tmp")).toBe("/tmp");
  });

  it("accepts only the agent's own identity", () => {
    const me = { username: "berth", uid: 1000, gid: 1000 };
    expect(isSameUser("berth", me)).toBe(true);
    expect(isSameUser("1000", me)).toBe(true);
    expect(isSameUser("1000:1000", me)).toBe(true);
    expect(isSameUser("root", me)).toBe(false);
    expect(isSameUser("berth:0", me)).toBe(false);
    expect(isSameUser("berth:1000:x", me)).toBe(false);
  });

  it("clamps terminal sizes and refuses nonsense", () => {
    expect(terminalSize(80.7, 24)).toEqual({ cols: 80, rows: 24 });
    expect(terminalSize(5000, 5000)).toEqual({ cols: 1000, rows: 1000 });
    expect(terminalSize(0, 24)).toBeNull();
    expect(terminalSize(Number.NaN, 24)).toBeNull();
  });
});

describe("resolveExecutable", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "berth-resolve-"));
    await writeFile(path.join(dir, "run.sh"), "#!/bin/sh\n");
    await chmod(path.join(dir, "run.sh"), 0o755);
    await writeFile(path.join(dir, "plain.txt"), "");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("searches PATH, takes paths relative to the working directory, and needs +x", () => {
    expect(resolveExecutable("run.sh", `/nonexistent:${dir}`, "/")).toBe(path.join(dir, "run.sh"));
    expect(resolveExecutable("./run.sh", "", dir)).toBe(path.join(dir, "run.sh"));
    expect(resolveExecutable("plain.txt", dir, "/")).toBeNull();
    expect(resolveExecutable("run.sh", "/nonexistent", "/")).toBeNull();
    expect(resolveExecutable("", dir, dir)).toBeNull();
  });
});
