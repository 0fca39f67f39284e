import { userInfo } from "node:os";
import { describe, expect, it } from "vitest";
import {
  DEV_IMAGE_PATH,
  LOGIN_SHELL,
  devEnvironment,
  devSearchPath,
  placeRuntimes,
  terminalShell,
} from "./dev-environment";

describe("dev environment", () => {
  it("runs as the image's dev user with its home under Docker", () => {
    expect(devEnvironment("docker", { dataDir: "/srv/berth/s1/data" })).toEqual({
      user: "dev",
      cwd: "/home/dev/workspace",
      env: {
        HOME: "/home/dev",
        USER: "dev",
        LOGNAME: "dev",
        TERM: "xterm-256color",
        LANG: "C.UTF-8",
      },
    });
  });

  it("names the agent's own user under the process driver, home in the server's folder", () => {
    const me = userInfo().username;
    const env = devEnvironment("process", { dataDir: "/srv/berth/s1/data" });
    expect(env).toEqual({
      cwd: "/home/dev/workspace",
      env: {
        HOME: "/srv/berth/s1/data",
        USER: me,
        LOGNAME: me,
        TERM: "xterm-256color",
        LANG: "C.UTF-8",
      },
    });
    expect(env.user).toBeUndefined();
  });

  it("starts bash as a login shell where there is one, else sh", () => {
    expect(LOGIN_SHELL.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(LOGIN_SHELL[2]).toBe(
      "if command -v bash >/dev/null 2>&1; then exec bash -l; else exec sh -l; fi",
    );
    expect(terminalShell("process", { dataDir: "/d" }, { cols: 90, rows: 20 })).toMatchObject({
      command: LOGIN_SHELL,
      cwd: "/home/dev/workspace",
      cols: 90,
      rows: 20,
    });
  });

  it("puts each runtime's bin folder first on PATH, as mounted or as stored", () => {
    const runtimes = [
      { name: "node", version: "20.11.0", binPath: "bin" },
      { name: "go", version: "1.22.1", binPath: "go/bin" },
    ];
    const docker = placeRuntimes("docker", runtimes, "/var/lib/berth/runtimes");
    expect(docker).toEqual({
      mounts: [
        { source: "/var/lib/berth/runtimes/node/20.11.0", target: "/opt/berth/runtimes/node" },
        { source: "/var/lib/berth/runtimes/go/1.22.1", target: "/opt/berth/runtimes/go" },
      ],
      binDirs: ["/opt/berth/runtimes/node/bin", "/opt/berth/runtimes/go/go/bin"],
    });
    expect(devSearchPath("docker", docker.binDirs, "/host/bin")).toBe(
      `/opt/berth/runtimes/node/bin:/opt/berth/runtimes/go/go/bin:${DEV_IMAGE_PATH}`,
    );

    const host = placeRuntimes("process", runtimes, "/var/lib/berth/runtimes");
    expect(host).toEqual({
      mounts: [],
      binDirs: [
        "/var/lib/berth/runtimes/node/20.11.0/bin",
        "/var/lib/berth/runtimes/go/1.22.1/go/bin",
      ],
    });
    expect(devSearchPath("process", host.binDirs, "/usr/bin:/bin")).toBe(
      "/var/lib/berth/runtimes/node/20.11.0/bin:/var/lib/berth/runtimes/go/1.22.1/go/bin:/usr/bin:/bin",
    );
  });

  it("gives shells the server's own PATH, so both see the same runtimes", () => {
    const spec = { dataDir: "/d", env: { PATH: "/opt/berth/runtimes/node/bin:/usr/bin" } };
    expect(devEnvironment("docker", spec).env.PATH).toBe("/opt/berth/runtimes/node/bin:/usr/bin");
    expect(terminalShell("process", spec, { cols: 80, rows: 24 }).env?.PATH).toBe(
      "/opt/berth/runtimes/node/bin:/usr/bin",
    );
    expect(devEnvironment("docker", { dataDir: "/d", env: {} }).env.PATH).toBeUndefined();
  });
});
