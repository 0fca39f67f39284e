import { describe, expect, it } from "vitest";
import { MAX_GAME_INPUT_CHARS } from "@berth/protocol";
import { countLineEnds, InputLimiter } from "./input-limits";

function clock() {
  let t = 5_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const game = { serverId: "s1", terminalId: null };
const terminal = { serverId: "s1", terminalId: "t1" };

describe("countLineEnds", () => {
  it("counts \\r, \\n and \\r\\n as one line end each", () => {
    expect(countLineEnds("say hi")).toBe(0);
    expect(countLineEnds("say hi\n")).toBe(1);
    expect(countLineEnds("say hi\r")).toBe(1);
    expect(countLineEnds("a\r\nb\r\n")).toBe(2);
    expect(countLineEnds("a\n\nb\r\r")).toBe(4);
  });
});

describe("InputLimiter", () => {
  it("lets a game console send a burst of 10 commands, then one per second", () => {
    const c = clock();
    const limiter = new InputLimiter(c.now);
    for (let i = 0; i < 10; i++) expect(limiter.checkInput(game, `cmd ${i}\n`)).toBeNull();
    expect(limiter.checkInput(game, "cmd\n")).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    c.advance(1000);
    expect(limiter.checkInput(game, "cmd\n")).toBeNull();
    expect(limiter.checkInput(game, "cmd\n")).toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });

  it("does not count keystrokes without a line end as commands, but bounds their bytes", () => {
    const c = clock();
    const limiter = new InputLimiter(c.now);
    for (let i = 0; i < 10; i++) limiter.checkInput(game, "x\n");
    // No lines left, yet plain keystrokes still pass.
    expect(limiter.checkInput(game, "abc")).toBeNull();
    const limiter2 = new InputLimiter(c.now);
    let refused = 0;
    for (let i = 0; i < 100; i++) if (limiter2.checkInput(game, "k".repeat(1000))) refused++;
    expect(refused).toBeGreaterThan(80);
  });

  it("refuses an oversized game command with the limit in the message", () => {
    const limiter = new InputLimiter(clock().now);
    expect(limiter.checkInput(game, "x".repeat(MAX_GAME_INPUT_CHARS + 1))).toEqual({
      code: "BAD_REQUEST",
      message: "Input too large (at most 4096 characters).",
    });
    expect(limiter.checkInput(game, "x".repeat(MAX_GAME_INPUT_CHARS))).toBeNull();
  });

  it("refuses a paste of more lines than the burst allows, and takes nothing for it", () => {
    const limiter = new InputLimiter(clock().now);
    expect(limiter.checkInput(game, "a\n".repeat(11))).toEqual({
      code: "TOO_MANY_REQUESTS",
      message: "Too many lines at once (at most 10).",
    });
    expect(limiter.checkInput(game, "a\n".repeat(10))).toBeNull();
  });

  it("gives terminals a large byte budget: a 64 KiB paste passes, a sustained flood does not", () => {
    const c = clock();
    const limiter = new InputLimiter(c.now);
    const paste = "y\n".repeat(32 * 1024);
    for (let i = 0; i < 4; i++) expect(limiter.checkInput(terminal, paste)).toBeNull();
    expect(limiter.checkInput(terminal, paste)).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    c.advance(1000);
    expect(limiter.checkInput(terminal, paste)).toBeNull();
  });

  it("keeps budgets per console and forgets a server's on request", () => {
    const c = clock();
    const limiter = new InputLimiter(c.now);
    for (let i = 0; i < 10; i++) limiter.checkInput(game, "x\n");
    expect(limiter.checkInput({ serverId: "s2", terminalId: null }, "x\n")).toBeNull();
    expect(limiter.checkInput(game, "x\n")).not.toBeNull();
    limiter.forgetServer("s1");
    expect(limiter.checkInput(game, "x\n")).toBeNull();
  });

  it("bounds resizes", () => {
    const limiter = new InputLimiter(clock().now);
    let allowed = 0;
    for (let i = 0; i < 100; i++) if (limiter.allowResize(terminal)) allowed++;
    expect(allowed).toBe(20);
  });
});
