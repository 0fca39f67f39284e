import { describe, expect, it } from "vitest";
import { back, EMPTY_HISTORY, forward, MAX_HISTORY, remember } from "./command-history";

describe("command history", () => {
  it("walks back through sent lines and forward to the draft being typed", () => {
    let history = remember(remember(EMPTY_HISTORY, "say hi"), "list");
    let step = back(history, "half-typ");
    expect(step.line).toBe("list");
    history = step.history;
    step = back(history, step.line);
    expect(step.line).toBe("say hi");
    step = back(step.history, step.line);
    expect(step.line).toBe("say hi");
    step = forward(step.history, step.line);
    expect(step.line).toBe("list");
    step = forward(step.history, step.line);
    expect(step.line).toBe("half-typ");
    expect(step.history.index).toBeNull();
  });

  it("leaves the input alone with nothing to walk", () => {
    expect(back(EMPTY_HISTORY, "x").line).toBe("x");
    expect(forward(remember(EMPTY_HISTORY, "a"), "x").line).toBe("x");
  });

  it("skips blank lines and an immediate repeat", () => {
    const history = remember(remember(remember(EMPTY_HISTORY, "a"), "a"), "   ");
    expect(history.entries).toEqual(["a"]);
  });

  it("keeps the newest lines only", () => {
    let history = EMPTY_HISTORY;
    for (let i = 0; i < MAX_HISTORY + 5; i++) history = remember(history, `cmd ${i}`);
    expect(history.entries).toHaveLength(MAX_HISTORY);
    expect(history.entries[0]).toBe("cmd 5");
  });

  it("ends a walk when a line is sent", () => {
    const walked = back(remember(EMPTY_HISTORY, "a"), "");
    expect(remember(walked.history, "a")).toEqual({ entries: ["a"], index: null, draft: "" });
  });
});
