import { describe, expect, it } from "vitest";
import { crashToastText } from "./crash-toast";

const crash = {
  serverName: "survival",
  class: "mod_or_plugin_error",
  subject: "examplemod",
  restartAt: 130_000,
  crashLoop: false,
  at: 100_000,
};

describe("crashToastText", () => {
  it("names the server, the class, the subject and the restart", () => {
    expect(crashToastText(crash)).toEqual({
      title: "“survival” crashed",
      description: "Mod or plugin error (examplemod). Restarting in 30 s.",
    });
  });

  it("says when restarts are paused or off", () => {
    expect(crashToastText({ ...crash, crashLoop: true, restartAt: null }).description).toBe(
      "Mod or plugin error (examplemod). Crash loop — auto-restart paused.",
    );
    expect(
      crashToastText({ ...crash, class: "oom", subject: null, restartAt: null }).description,
    ).toBe("Out of memory. It stays down until someone starts it.");
  });

  it("still reads when the server's name is not known", () => {
    expect(crashToastText({ ...crash, serverName: null }).title).toBe("A server crashed");
  });
});
