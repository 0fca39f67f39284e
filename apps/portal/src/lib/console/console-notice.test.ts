import { describe, expect, it } from "vitest";
import { acceptsConsoleInput, consoleNotice, terminalNotice } from "./console-notice";

describe("acceptsConsoleInput", () => {
  it("takes input while the process exists", () => {
    for (const state of ["starting", "running", "stopping"]) {
      expect(acceptsConsoleInput(state)).toBe(true);
    }
    for (const state of ["offline", "installing", "crashed", "error"]) {
      expect(acceptsConsoleInput(state)).toBe(false);
    }
  });
});

describe("consoleNotice", () => {
  it("says nothing while the server runs", () => {
    expect(consoleNotice("running")).toBeNull();
  });

  it("explains a stopped or crashed process and keeps the scrollback meaningful", () => {
    expect(consoleNotice("offline")).toMatchObject({ tone: "warning" });
    expect(consoleNotice("offline")?.text).toMatch(/last run/);
    expect(consoleNotice("crashed")).toMatchObject({ tone: "danger" });
  });

  it("has a line for a state it does not know", () => {
    expect(consoleNotice("hibernating")?.text).toBe("The server is hibernating.");
  });
});

describe("terminalNotice", () => {
  const shell = { exited: false, exitCode: null };

  it("says nothing for a live shell on a running server", () => {
    expect(terminalNotice(shell, "running")).toBeNull();
  });

  it("tells that the shell exited, with its code", () => {
    expect(terminalNotice({ exited: true, exitCode: 2 }, "running")?.text).toMatch(
      /exited with code 2/,
    );
    expect(terminalNotice({ exited: true, exitCode: null }, "running")?.text).toMatch(
      /^This shell exited\./,
    );
  });

  it("tells that the server is not running", () => {
    expect(terminalNotice(shell, "offline")?.text).toMatch(/server is offline/);
  });
});
