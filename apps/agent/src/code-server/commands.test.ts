import { spawn, execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { launchCommand, parseScan, scanCommand, stopCommand } from "./commands";

const run = promisify(execFile);
let folder: string | undefined;
afterEach(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
  folder = undefined;
});

/** A process started from inside `root`, as code-server's node is started from the artifact. */
async function processFrom(root: string) {
  await mkdir(path.join(root, "bin"), { recursive: true });
  const binary = path.join(root, "bin", "sleep");
  await copyFile("/bin/sleep", binary);
  const child = spawn(binary, ["300"], { stdio: "ignore" });
  await new Promise((resolve) => child.once("spawn", resolve));
  return child;
}

describe("code-server commands, run by a real sh against this machine's /proc", () => {
  it("the scan finds the processes started from the artifact's folder and never itself", async () => {
    folder = await mkdtemp(path.join(tmpdir(), "berth-cs-"));
    const root = path.join(folder, "code-server");
    const child = await processFrom(root);
    const [command, ...args] = scanCommand(root);
    const { stdout } = await run(command!, args);
    expect(parseScan(stdout)).toEqual([child.pid]);

    const [stop, ...stopArgs] = stopCommand(parseScan(stdout), 2);
    const exited = new Promise((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    await run(stop!, stopArgs);
    expect(await exited).toBe("SIGTERM");
    const after = await run(command!, args);
    expect(parseScan(after.stdout)).toEqual([]);
  });

  it("a process that ignores TERM is killed after the grace period", async () => {
    folder = await mkdtemp(path.join(tmpdir(), "berth-cs-"));
    const child = spawn("sh", ["-c", "trap '' TERM; sleep 300 & wait"], { stdio: "ignore" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const exited = new Promise((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    const [stop, ...stopArgs] = stopCommand([child.pid!], 1);
    await run(stop!, stopArgs);
    expect(await exited).toBe("SIGKILL");
  });

  it("launches in the background with the flags code-server needs, and answers at once", () => {
    const command = launchCommand({
      root: "/opt/berth/addons/code-server",
      binPath: "bin",
      home: "/home/dev",
      workspace: "/home/dev/workspace",
      port: 6000,
    });
    expect(command).toContain("CS_LAUNCHER=/opt/berth/addons/code-server/bin/code-server");
    expect(command).toContain("CS_USER_DATA=/home/dev/.local/share/code-server");
    expect(command).toContain("CS_CONFIG=/home/dev/.config/code-server/config.yaml");
    const script = command.at(-1)!;
    expect(script).toContain("--auth none");
    // The workspace is the user's own: no trust prompt before a terminal opens.
    expect(script).toContain("--disable-workspace-trust");
    expect(script).toContain('--bind-addr "0.0.0.0:$CS_PORT"');
    expect(script).toMatch(/setsid --fork .* >"\$CS_LOG" 2>&1 <\/dev\/null$/);
  });
});
