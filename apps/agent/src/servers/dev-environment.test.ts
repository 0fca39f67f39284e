import { userInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { LOGIN_SHELL, devEnvironment, terminalShell } from "./dev-environment";

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
});
