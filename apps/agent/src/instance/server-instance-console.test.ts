import { describe, expect, it } from "vitest";
import { setup, startServer } from "./test-fixture";

describe("ServerInstance console", () => {
  it("passes on the raw output of the current run, across restarts", async () => {
    const fx = setup();
    await startServer(fx);
    fx.proc().emit("\x1b[32mhello");
    fx.proc().emit(" world\r\n");
    expect(fx.output).toEqual(["\x1b[32mhello", " world\r\n"]);

    await fx.instance.restart();
    expect(fx.instance.state).toBe("running");
    fx.proc().emit("second run\n");
    expect(fx.output.at(-1)).toBe("second run\n");
  });

  it("stops passing on output once the instance is disposed", async () => {
    const fx = setup();
    await startServer(fx);
    expect(fx.proc().attached).toBe(1);
    fx.instance.dispose();
    fx.proc().emit("after dispose\n");
    expect(fx.output).toEqual([]);
  });

  it("writes input and resizes only while a run is live", async () => {
    const fx = setup();
    expect(fx.instance.writeConsole("say hi\n")).toEqual({
      ok: false,
      error: { code: "CONFLICT", message: "The server is not running" },
    });
    expect(fx.instance.resizeConsole(100, 30)).toMatchObject({ ok: false });

    await startServer(fx);
    expect(fx.instance.writeConsole("say hi\n")).toEqual({ ok: true, data: {} });
    expect(fx.proc().input).toContain("say hi\n");
    expect(fx.instance.resizeConsole(100, 30)).toEqual({ ok: true, data: {} });
    expect(fx.proc().sizes).toEqual([[100, 30]]);

    fx.proc().exit({ exitCode: 1 });
    expect(fx.instance.state).toBe("crashed");
    expect(fx.instance.writeConsole("say hi\n")).toMatchObject({
      ok: false,
      error: { code: "CONFLICT" },
    });
  });
});
